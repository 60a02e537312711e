/** The model against the registry's first, third, fifth… systems (test/model/model-runs.ts). */
import { describeModelRuns } from './model-runs';

describeModelRuns(0, 2);
