import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as yaml from 'yaml';
import * as z from 'zod';

/**
 * The part of manifest.yml the local platform acts on. Validation of the whole
 * manifest is @forge/manifest's job (see test/manifest); here we only parse what
 * drives behaviour, and keep unknown keys so nothing is lost.
 */
const functionSchema = z.object({
  key: z.string(),
  handler: z.string(),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
  runtime: z.object({ memoryMB: z.number().int().optional() }).loose().optional(),
});

const productEventEntry = z.union([
  z.string(),
  z.object({ eventType: z.string(), filter: z.record(z.string(), z.unknown()).optional() }).loose(),
]);

const triggerSchema = z
  .object({
    key: z.string(),
    function: z.string(),
    events: z.array(productEventEntry),
    filter: z
      .object({ ignoreSelf: z.boolean().optional(), expression: z.string().optional(), onError: z.string().optional() })
      .loose()
      .optional(),
  })
  .loose();

const consumerSchema = z.object({ key: z.string(), queue: z.string(), function: z.string() }).loose();
const webTriggerSchema = z.object({ key: z.string(), function: z.string() }).loose();
const scheduledTriggerSchema = z
  .object({ key: z.string(), function: z.string(), interval: z.enum(['fiveMinute', 'hour', 'day', 'week']) })
  .loose();
const uiModuleSchema = z
  .object({
    key: z.string(),
    resource: z.string().optional(),
    resolver: z.object({ function: z.string() }).loose().optional(),
    title: z.unknown().optional(),
  })
  .loose();

const egressEntry = z.union([
  z.string(),
  z.object({ address: z.string() }).loose(),
  z.object({ remote: z.string() }).loose(),
]);

const entitySchema = z.object({
  name: z.string(),
  attributes: z.record(
    z.string(),
    z.object({ type: z.enum(['string', 'integer', 'float', 'boolean', 'any']) }).loose(),
  ),
  indexes: z
    .array(
      z.union([
        z.string(),
        z.object({ name: z.string(), range: z.array(z.string()), partition: z.array(z.string()).optional() }).loose(),
      ]),
    )
    .optional(),
});

export const manifestSchema = z
  .object({
    app: z
      .object({
        id: z.string(),
        runtime: z.object({ name: z.string(), memoryMB: z.number().int().optional() }).loose(),
        storage: z
          .object({ entities: z.array(entitySchema).optional() })
          .loose()
          .optional(),
      })
      .loose(),
    modules: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
    resources: z.array(z.object({ key: z.string(), path: z.string() }).loose()).optional(),
    permissions: z
      .object({
        scopes: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
        external: z
          .object({
            fetch: z
              .object({ backend: z.array(egressEntry).optional(), client: z.array(egressEntry).optional() })
              .loose()
              .optional(),
            /** Customer-managed egress: an administrator may approve more domains at run time (customer-egress.ts). */
            configurable: z.object({ enabled: z.boolean() }).optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type RawManifest = z.infer<typeof manifestSchema>;
export type FunctionDecl = z.infer<typeof functionSchema>;
export type TriggerDecl = z.infer<typeof triggerSchema>;
export type ConsumerDecl = z.infer<typeof consumerSchema>;
export type WebTriggerDecl = z.infer<typeof webTriggerSchema>;
export type ScheduledTriggerDecl = z.infer<typeof scheduledTriggerSchema>;
export type UiModuleDecl = z.infer<typeof uiModuleSchema> & { moduleType: string };
export type EntityDecl = z.infer<typeof entitySchema>;

/** Module types whose functions are limited to 25 s and serve resolvers. */
const UI_MODULE_TYPES = new Set([
  'jira:projectSettingsPage',
  'jira:issuePanel',
  'jira:issueContext',
  'jira:adminPage',
  'jira:dashboardGadget',
  'jira:globalPage',
  'jira:issueAction',
  'jira:projectPage',
]);

export type ModuleType = 'trigger' | 'consumer' | 'webtrigger' | 'scheduledTrigger' | 'resolver';

export interface FunctionPlan {
  decl: FunctionDecl;
  /** Source file relative to the app's src/ (Forge's `handler: file.export`). */
  file: string;
  exportName: string;
  timeoutMs: number;
  memoryMB: number;
  /** Module types that reference the function (the lowest timeout wins across them). */
  usedBy: ModuleType[];
}

export interface AppManifest {
  appDir: string;
  raw: RawManifest;
  appId: string;
  runtimeName: string;
  functions: Map<string, FunctionPlan>;
  triggers: TriggerDecl[];
  consumers: ConsumerDecl[];
  webTriggers: WebTriggerDecl[];
  scheduledTriggers: ScheduledTriggerDecl[];
  uiModules: UiModuleDecl[];
  entities: EntityDecl[];
  /** Backend egress allow-list, as addresses (remote entries are not fetchable addresses). */
  egressBackend: string[];
  /** `permissions.external.configurable.enabled`: the app may ask an administrator for more egress (customer-egress.ts). */
  configurableEgress: boolean;
  scopes: string[];
}

const DEFAULT_MEMORY_MB = 512;
const UI_TIMEOUT_S = 25;
const WEBTRIGGER_TIMEOUT_S = 55;
const ASYNC_DEFAULT_TIMEOUT_S = 55;

function parseHandler(handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1)
    throw new Error(`Invalid handler '${handler}': expected '<file>.<export>'`);
  return { file: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

/** Forge's invocation limits per module type (forge-platform.md §1). */
function timeoutFor(decl: FunctionDecl, usedBy: ModuleType[]): number {
  const limits = usedBy.map((type) => {
    switch (type) {
      case 'consumer':
      case 'scheduledTrigger':
        return decl.timeoutSeconds ?? ASYNC_DEFAULT_TIMEOUT_S;
      case 'webtrigger':
        return WEBTRIGGER_TIMEOUT_S;
      case 'trigger':
      case 'resolver':
        return UI_TIMEOUT_S;
    }
  });
  return Math.min(...(limits.length ? limits : [ASYNC_DEFAULT_TIMEOUT_S])) * 1000;
}

export function loadManifest(appDir: string): AppManifest {
  const text = readFileSync(path.join(appDir, 'manifest.yml'), 'utf8');
  return parseManifest(appDir, yaml.parse(text));
}

export function parseManifest(appDir: string, doc: unknown): AppManifest {
  const raw = manifestSchema.parse(doc);
  const modules = raw.modules;
  const list = <T>(type: string, schema: z.ZodType<T>): T[] => (modules[type] ?? []).map((m) => schema.parse(m));
  const functions = list('function', functionSchema);
  const triggers = list('trigger', triggerSchema);
  const consumers = list('consumer', consumerSchema);
  const webTriggers = list('webtrigger', webTriggerSchema);
  const scheduledTriggers = list('scheduledTrigger', scheduledTriggerSchema);
  const uiModules: UiModuleDecl[] = [];
  for (const [type, entries] of Object.entries(modules)) {
    if (!UI_MODULE_TYPES.has(type)) continue;
    for (const entry of entries) uiModules.push({ ...uiModuleSchema.parse(entry), moduleType: type });
  }

  const usage = new Map<string, ModuleType[]>();
  const use = (fn: string, type: ModuleType) => usage.set(fn, [...(usage.get(fn) ?? []), type]);
  triggers.forEach((t) => use(t.function, 'trigger'));
  consumers.forEach((c) => use(c.function, 'consumer'));
  webTriggers.forEach((w) => use(w.function, 'webtrigger'));
  scheduledTriggers.forEach((s) => use(s.function, 'scheduledTrigger'));
  uiModules.forEach((u) => u.resolver && use(u.resolver.function, 'resolver'));

  const appMemory = raw.app.runtime.memoryMB ?? DEFAULT_MEMORY_MB;
  const plans = new Map<string, FunctionPlan>();
  for (const decl of functions) {
    const usedBy = usage.get(decl.key) ?? [];
    plans.set(decl.key, {
      decl,
      ...parseHandler(decl.handler),
      usedBy,
      timeoutMs: timeoutFor(decl, usedBy),
      memoryMB: Math.min(decl.runtime?.memoryMB ?? appMemory, 1024),
    });
  }

  const egressBackend = (raw.permissions?.external?.fetch?.backend ?? []).flatMap((e) =>
    typeof e === 'string' ? [e] : 'address' in e && typeof e.address === 'string' ? [e.address] : [],
  );
  const scopes = (raw.permissions?.scopes ?? []).flatMap((s) => (typeof s === 'string' ? [s] : Object.keys(s)));

  return {
    appDir,
    raw,
    appId: raw.app.id,
    runtimeName: raw.app.runtime.name,
    functions: plans,
    triggers,
    consumers,
    webTriggers,
    scheduledTriggers,
    uiModules,
    entities: raw.app.storage?.entities ?? [],
    egressBackend,
    configurableEgress: raw.permissions?.external?.configurable?.enabled === true,
    scopes,
  };
}

export function functionOrThrow(manifest: AppManifest, key: string): FunctionPlan {
  const plan = manifest.functions.get(key);
  if (!plan) throw new Error(`manifest.yml has no function '${key}'`);
  return plan;
}
