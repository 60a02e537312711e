/** The model against the registry's second, fourth… systems (test/model/model-runs.ts). */
import { describeModelRuns } from './model-runs';

describeModelRuns(1, 2);
