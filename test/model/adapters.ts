/**
 * Every connector the model holds to the promise, by registry kind: each system's simulator folder exports its
 * adapter as `modelAdapter` (`sandbox/sims/<kind>/model.ts`), so a new system is in the model, the soak and the
 * bench without a line here.
 */
import type { RemoteAdapter } from './adapter';
import { implementedSystems } from '../../src/connectors/registry';

function adapterOf(kind: string): () => RemoteAdapter {
  const module = require(`../../sandbox/sims/${kind}/model`) as { modelAdapter?: () => RemoteAdapter };
  if (!module.modelAdapter) throw new Error(`sandbox/sims/${kind}/model.ts exports no modelAdapter`);
  return module.modelAdapter;
}

export const ADAPTERS: Readonly<Record<string, () => RemoteAdapter>> = Object.fromEntries(
  implementedSystems().map((s) => [s.kind, adapterOf(s.kind)] as const),
);
