/**
 * The simulated world of each registered system, found by its registry kind:
 * `sims/<kind>/index.ts` exports its `simulatedSystem`, `demo/<kind>-connection.ts`
 * its `demo`. Nothing here names a system, so a new one is served, paired and
 * tested once its folders exist (docs/ARCHITECTURE.md, "Adding a system").
 */
import { implementedSystems } from '../src/connectors/registry';
import type { DemoPairing, RunningSimulator, SimulatedSystem } from './simulated-system';

function load<T>(path: string, name: string, kind: string): T {
  // A computed path: the folder is the system's kind, so no list here grows with the systems.
  const module = require(path) as Record<string, unknown>;
  const found = module[name];
  if (!found) throw new Error(`${path} exports no ${name}: every registered system needs one (${kind})`);
  return found as T;
}

export function simulatedSystemOf(kind: string): SimulatedSystem {
  return load<SimulatedSystem>(`./sims/${kind}`, 'simulatedSystem', kind);
}

export function demoOf(kind: string): DemoPairing<RunningSimulator> {
  return load<DemoPairing<RunningSimulator>>(`./demo/${kind}-connection`, 'demo', kind);
}

/** The registry's kinds, in its order. */
export function simulatedKinds(): string[] {
  return implementedSystems().map((s) => s.kind);
}
