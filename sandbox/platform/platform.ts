import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { KvsWireResponse, ProductEventReport } from './contracts';
import { ManualClock, RealClock, type Clock } from './clock';
import { bundleAppEntry, workerBootstrap } from './build';
import { EventService, type DeliveryResult, type QueuedEvent } from './events';
import { Invoker, type InvocationContext, type InvocationOutcome } from './invoker';
import type { CrashFault, CrashInjection, Hold, HoldPoint } from './faults';
import { kvsKeysOf } from './call-names';
import { functionOrThrow, loadManifest, type AppManifest, type FunctionPlan, type TriggerDecl } from './manifest';
import { Meter } from './metering';
import { CustomerEgress, EgressRequestError } from './customer-egress';
import { answerStargate } from './stargate';
import { PersonalDataReporting } from './personal-data';
import type { EgressRoute, RpcMessage } from './worker/protocol';
import { createKvsEngine, createFileBackend, createMemoryBackend } from './kvs/engine';
import { startPlatformServer, type PlatformServer } from './http-server';
import { seededRandom } from './random';

export interface ChaosOptions {
  /** Probability that a warm function instance is discarded after an invocation. */
  recycleProbability?: number;
  /** Probability that a processed async event is delivered once more. */
  duplicateEventProbability?: number;
  /** Product events: delay each delivery by a random time in [min, max] ms of platform time. */
  productEventDelayMs?: [number, number];
  /** Probability that a product event is delivered twice. */
  duplicateProductEventProbability?: number;
  seed?: number;
}

export interface PlatformOptions {
  appDir: string;
  /** `manual` (tests move time with `clock.advance`) or `real` (default). */
  clock?: 'real' | 'manual' | Clock;
  /** Directory for durable storage (npm start); omitted = in memory. */
  dataDir?: string;
  /** Port of the platform's HTTP endpoint (web triggers, resolvers); 0 = any free port. */
  port?: number;
  egressRoutes?: EgressRoute[];
  chaos?: ChaosOptions;
  maxWorkers?: number;
  /** One queue event at a time, earliest due first: the same inputs replay the same interleaving (model tests). */
  deterministic?: boolean;
  /** KVS throughput limits; false turns them off (bulk fixtures). */
  kvsRateLimits?: false | { requestsPerSecond?: number; readUnitsPerMinute?: number; writeUnitsPerMinute?: number };
  /** Deliver scheduled triggers on the clock (default true). */
  scheduleTriggers?: boolean;
}

export interface InstallOptions {
  installationId?: string;
  cloudId?: string;
  siteUrl?: string;
  /** Where `requestJira` goes: the Jira simulator (or any HTTP server in tests). */
  jiraBaseUrl?: string;
  /** Shared with the Jira simulator so it can trust the platform's identity headers. */
  platformToken?: string;
  license?: Record<string, unknown>;
  environmentType?: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';
}

export interface Installation {
  id: string;
  cloudId: string;
  siteUrl: string;
  contextAri: string;
  environmentId: string;
  environmentType: string;
  jiraBaseUrl?: string;
  platformToken: string;
  license?: Record<string, unknown>;
  kvs: ReturnType<typeof createKvsEngine>;
  events: EventService;
  /** Domains an administrator approved beyond the manifest's (customer-egress.ts). */
  customerEgress: CustomerEgress;
  /** Atlassian's personal data reporting API for this installation (personal-data.ts). */
  personalData: PersonalDataReporting;
}

export interface ResolverCall {
  installationId: string;
  moduleKey: string;
  functionKey: string;
  payload?: unknown;
  /** The signed-in user, established by the host, never by the browser's payload. */
  accountId?: string;
  /** The UI's view context (extension, localId, ...), as the host built it. */
  context?: Record<string, unknown>;
}

export type ResolverResult = { ok: true; body: unknown } | { ok: false; status: number; error: string };

export interface WebTriggerRequest {
  method: string;
  path: string;
  userPath: string;
  headers: Record<string, string[]>;
  queryParameters: Record<string, string[]>;
  body: string;
}

export interface WebTriggerResponse {
  statusCode: number;
  statusText?: string;
  headers?: Record<string, string[]>;
  body?: string;
}

export interface SettleOptions {
  /** Platform time within which everything pending must be done; past it, `settle` fails. Manual clock only. */
  within?: number;
  /** When the `within` bound started (platform time; default now): a wait made of several settles shares one bound. */
  from?: number;
  /** Instead of `within`: move time at most this far, then stop without failing, leaving later work pending. */
  maxAdvanceMs?: number;
  /** Wall-clock limit on the wait (default 60 s). */
  timeoutMs?: number;
}

export interface SettleResult {
  /** Platform time that passed before everything was done. */
  tookMs: number;
}

/**
 * The bound a `settle()` that states none holds work to: a minute of platform time, enough for the first retries
 * after a transient failure (5 s, 10 s, 20 s) but not for a 15-minute backoff, a sweep or a day of retries. A case
 * that may take longer says so with `within`.
 */
export const DEFAULT_SETTLE_WITHIN_MS = 60_000;

function formatMs(ms: number): string {
  if (ms % 3600_000 === 0 && ms > 0) return `${ms / 3600_000} h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

const RESOLVER_REQUEST_LIMIT = 500 * 1024;
const RESOLVER_RESPONSE_LIMIT = 5 * 1024 * 1024;
const WEBTRIGGER_REQUEST_LIMIT = 5 * 1024 * 1024;
const TRIGGER_MAX_RETRIES = 4;
/** How often a scheduled trigger of each interval runs. */
export const SCHEDULE_INTERVAL_MS = {
  fiveMinute: 5 * 60_000,
  hour: 3600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
} as const;

const KVS_READ_PATHS = new Set([
  '/api/v1/get',
  '/api/v1/query',
  '/api/v1/secret/get',
  '/api/v1/entity/get',
  '/api/v1/entity/query',
  '/api/v1/batch/get',
]);

/**
 * The local Forge platform: reads an app's manifest.yml and runs its real
 * handlers with the real Forge SDKs, answering them at their runtime boundary.
 * See docs/ARCHITECTURE.md ("The local Forge platform").
 */
export class Platform {
  readonly meter = new Meter();
  readonly clock: Clock;
  readonly manifest: AppManifest;
  private readonly installations = new Map<string, Installation>();
  private readonly bundles = new Map<string, string>();
  private readonly webTriggerTokens = new Map<string, { installationId: string; moduleKey: string }>();
  private readonly uiSessions = new Map<
    string,
    { installationId: string; accountId?: string; moduleKey: string; context: Record<string, unknown> }
  >();
  private readonly egressRoutes: EgressRoute[];
  private readonly random: () => number;
  private readonly pendingTriggers = new Set<Promise<unknown>>();
  private heldProductEvents:
    Array<{ installationId: string; report: ProductEventReport; timestamp: number }> | undefined;
  private scheduleCancels: Array<() => void> = [];
  private invoker!: Invoker;
  private server!: PlatformServer;

  private constructor(private readonly opts: PlatformOptions) {
    this.manifest = loadManifest(opts.appDir);
    this.clock =
      opts.clock === 'manual' ? new ManualClock() : opts.clock && opts.clock !== 'real' ? opts.clock : new RealClock();
    this.egressRoutes = [...(opts.egressRoutes ?? [])];
    this.random = seededRandom(opts.chaos?.seed ?? 1);
  }

  static async start(opts: PlatformOptions): Promise<Platform> {
    const platform = new Platform(opts);
    await platform.init();
    return platform;
  }

  private async init(): Promise<void> {
    const files = new Set([...this.manifest.functions.values()].map((f) => f.file));
    for (const file of files) this.bundles.set(file, await bundleAppEntry(this.opts.appDir, file));
    this.invoker = new Invoker({
      bootstrapPath: await workerBootstrap(),
      services: { rpc: (ctx, msg) => this.answerRpc(ctx, msg) },
      meter: this.meter,
      maxWorkers: this.opts.maxWorkers,
      recycleProbability: this.opts.chaos?.recycleProbability,
      random: this.random,
    });
    this.server = await startPlatformServer(this, this.opts.port ?? 0);
  }

  /** Base URL of the platform's HTTP endpoint (web triggers, resolvers). */
  get url(): string {
    return this.server.url;
  }

  get manualClock(): ManualClock {
    if (!(this.clock instanceof ManualClock)) throw new Error('The platform runs on the real clock');
    return this.clock;
  }

  addEgressRoute(route: EgressRoute): void {
    this.egressRoutes.push(route);
  }

  /**
   * Arms a crash of a matching invocation before its Nth outbound call. The answer records whether it happened, in
   * which run and before which call: a crash test asserts on it rather than assume it.
   */
  injectCrash(fault: CrashFault): CrashInjection {
    return this.invoker.injectCrash(fault);
  }

  /**
   * Stops the next matching run just before its first outbound call whose name matches, until `release()`: a test
   * drives an interleaving (do X while the run is in flight) instead of racing a real-time sleep against a delay.
   */
  holdBefore(point: HoldPoint): Hold {
    return this.invoker.holdBefore(point);
  }

  /** Disarms every injected crash and releases every hold. */
  clearFaults(): void {
    this.invoker.clearFaults();
  }

  /** Throws away the idle warm function instances, as Forge may at any time: the next invocations start cold. */
  discardWarmInstances(): void {
    this.invoker.discardWarmInstances();
  }

  // ---------------------------------------------------------------- installations

  async install(options: InstallOptions = {}): Promise<Installation> {
    const id = options.installationId ?? randomUUID();
    if (this.installations.has(id)) throw new Error(`Installation ${id} exists`);
    const cloudId = options.cloudId ?? randomUUID();
    const dataDir = this.opts.dataDir ? path.join(this.opts.dataDir, id) : undefined;
    const installation: Installation = {
      id,
      cloudId,
      siteUrl: options.siteUrl ?? `https://site-${cloudId.slice(0, 8)}.atlassian.net`,
      contextAri: `ari:cloud:jira::site/${cloudId}`,
      environmentId: randomUUID(),
      environmentType: options.environmentType ?? 'DEVELOPMENT',
      jiraBaseUrl: options.jiraBaseUrl,
      platformToken: options.platformToken ?? randomBytes(24).toString('hex'),
      license: options.license,
      kvs: createKvsEngine({
        entities: this.manifest.entities,
        backend: dataDir ? createFileBackend(dataDir) : createMemoryBackend(),
        now: () => this.clock.now(),
        rateLimits: this.opts.kvsRateLimits,
      }),
      events: undefined as unknown as EventService,
      customerEgress: new CustomerEgress(dataDir ? path.join(dataDir, 'customer-egress.json') : undefined),
      personalData: new PersonalDataReporting(() => this.clock.now()),
    };
    installation.events = new EventService({
      clock: this.clock,
      consumerTimeoutSeconds: (queue) => {
        const consumer = this.manifest.consumers.find((c) => c.queue === queue);
        return consumer ? functionOrThrow(this.manifest, consumer.function).timeoutMs / 1000 : undefined;
      },
      deliver: (event, attempt) => this.deliverAsyncEvent(installation, event, attempt.retryContext),
      duplicateProbability: this.opts.chaos?.duplicateEventProbability,
      random: this.random,
      serial: this.opts.deterministic,
    });
    this.installations.set(id, installation);
    this.scheduleTriggersFor(installation);
    await this.deliverLifecycle(installation);
    return installation;
  }

  installation(id: string): Installation {
    const inst = this.installations.get(id);
    if (!inst) throw new Error(`No installation ${id}`);
    return inst;
  }

  listInstallations(): Installation[] {
    return [...this.installations.values()];
  }

  setJiraBaseUrl(installationId: string, jiraBaseUrl: string, platformToken?: string): void {
    const inst = this.installation(installationId);
    inst.jiraBaseUrl = jiraBaseUrl;
    if (platformToken) inst.platformToken = platformToken;
  }

  /** Atlassian's personal data reporting for an installation: who closed or updated their account, and what the app reported. */
  personalData(installationId: string): PersonalDataReporting {
    return this.installation(installationId).personalData;
  }

  // ---------------------------------------------------------------- customer-managed egress

  /**
   * An installation's customer-managed egress, as `@forge/bridge` `permissions.egress` reaches it: every call fails
   * when the manifest does not enable it (Forge refuses them alike). Who may approve is the product's to decide (the
   * host checks for an administrator and shows the dialog).
   */
  customerEgress(installationId: string): CustomerEgress {
    if (!this.manifest.configurableEgress)
      throw new EgressRequestError(
        'Customer-managed egress is not enabled: the manifest must set permissions.external.configurable.enabled',
      );
    return this.installation(installationId).customerEgress;
  }

  /**
   * What an installation's functions may fetch, and what their runtime permissions say they may: the manifest's
   * backend egress and, where the manifest enables it, the domains an administrator approved.
   */
  private backendEgress(inst: Installation): { allowList: string[]; external: Record<string, unknown> } {
    const external = (this.manifest.raw.permissions?.external ?? {}) as Record<string, unknown>;
    const approved = this.manifest.configurableEgress ? inst.customerEgress.domains('FETCH_BACKEND_SIDE') : [];
    if (!approved.length) return { allowList: this.manifest.egressBackend, external };
    const fetch = (external.fetch ?? {}) as { backend?: unknown[] };
    return {
      allowList: [...this.manifest.egressBackend, ...approved],
      external: {
        ...external,
        fetch: { ...fetch, backend: [...(fetch.backend ?? []), ...approved.map((address) => ({ address }))] },
      },
    };
  }

  // ---------------------------------------------------------------- invoking functions

  private async invoke(
    inst: Installation,
    plan: FunctionPlan,
    call: { moduleType: string; moduleKey: string; args: unknown[]; aaid?: string; chainId?: string },
  ): Promise<InvocationOutcome> {
    const bundlePath = this.bundles.get(plan.file);
    if (!bundlePath) throw new Error(`No bundle for ${plan.file}`);
    const egress = this.backendEgress(inst);
    return this.invoker.invoke({
      installationId: inst.id,
      functionKey: plan.decl.key,
      bundlePath,
      exportName: plan.exportName,
      moduleType: call.moduleType,
      moduleKey: call.moduleKey,
      timeoutMs: plan.timeoutMs,
      memoryMB: plan.memoryMB,
      args: call.args,
      chainId: call.chainId,
      platformNow: this.clock.now(),
      runtime: {
        contextAri: inst.contextAri,
        aaid: call.aaid,
        appContext: {
          appId: this.manifest.appId.replace(/^ari:cloud:ecosystem::app\//, ''),
          appVersion: '1.0.0',
          environmentId: inst.environmentId,
          environmentType: inst.environmentType,
          installationId: inst.id,
          functionKey: plan.decl.key,
          moduleType: call.moduleType,
          moduleKey: call.moduleKey,
          license: inst.license,
          installation: { ari: { installationId: inst.id }, contexts: [{ cloudId: inst.cloudId }] },
          permissions: { scopes: this.manifest.scopes, external: egress.external },
        },
      },
      egress: { allowList: egress.allowList, routes: this.egressRoutes },
      product: { jiraBaseUrl: inst.jiraBaseUrl, platformToken: inst.platformToken },
    });
  }

  private baseContext(inst: Installation): Record<string, unknown> {
    return { installContext: inst.contextAri, installation: { installationId: inst.id }, license: inst.license };
  }

  private async answerRpc(
    ctx: InvocationContext,
    msg: RpcMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body?: string }> {
    const inst = this.installation(ctx.installationId);
    let body: unknown;
    try {
      body = msg.body ? JSON.parse(msg.body) : undefined;
    } catch {
      return {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'INVALID_REQUEST', message: 'Body is not JSON' }),
      };
    }
    if (msg.channel === 'kvs') {
      const answer: KvsWireResponse = await inst.kvs.handle(msg.path, body);
      const text = answer.body === undefined ? undefined : JSON.stringify(answer.body);
      const isRead = KVS_READ_PATHS.has(msg.path);
      // Forge meters reads by what comes back (an empty read counts as 1 KB) and writes by what goes in.
      Invoker.meterKvs(
        ctx,
        isRead ? 'read' : 'write',
        isRead ? Math.max(1024, Buffer.byteLength(text ?? '')) : Buffer.byteLength(msg.body ?? ''),
        { path: msg.path, keys: kvsKeysOf(body) },
      );
      return { status: answer.status, headers: { 'content-type': 'application/json' }, body: text };
    }
    const answer = answerStargate(msg.path, body, {
      events: inst.events,
      chainId: ctx.chainId,
      onEventsPushed: (n) => (ctx.record.eventsPushed += n),
      personalData: inst.personalData,
      scopes: this.manifest.scopes,
      webTriggers: {
        create: (key) => this.webTriggerUrl(inst.id, key),
        list: () =>
          this.manifest.webTriggers.map((w) => ({ triggerKey: w.key, url: this.webTriggerUrl(inst.id, w.key)! })),
        delete: (id) => this.webTriggerTokens.delete(id),
      },
    });
    return {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
      body: answer.body === undefined ? undefined : JSON.stringify(answer.body),
    };
  }

  // ---------------------------------------------------------------- async events

  private async deliverAsyncEvent(
    inst: Installation,
    event: QueuedEvent,
    retryContext?: Record<string, unknown>,
  ): Promise<DeliveryResult> {
    const consumer = this.manifest.consumers.find((c) => c.queue === event.queueName);
    if (!consumer) return { kind: 'failed', error: `No consumer for queue ${event.queueName}` };
    const plan = functionOrThrow(this.manifest, consumer.function);
    const asyncEvent = {
      body: event.body,
      queueName: event.queueName,
      jobId: event.jobId,
      eventId: event.eventId,
      ...(event.concurrency ? { concurrency: event.concurrency } : {}),
      ...(retryContext ? { retryContext } : {}),
    };
    const outcome = await this.invoke(inst, plan, {
      moduleType: 'consumer',
      moduleKey: consumer.key,
      args: [asyncEvent, this.baseContext(inst)],
      chainId: event.chainId,
    });
    return toDeliveryResult(outcome);
  }

  // ---------------------------------------------------------------- product events

  /** Holds (or releases) every installation's queues: published events wait until resumed. */
  pauseQueues(): void {
    for (const i of this.installations.values()) i.events.pause();
  }

  resumeQueues(): void {
    for (const i of this.installations.values()) i.events.resume();
  }

  /** Hold product events instead of delivering them, to release later in another order. */
  holdProductEvents(): void {
    this.heldProductEvents ??= [];
  }

  /** Drops held events: they are lost, as events sometimes are. */
  discardHeldProductEvents(): number {
    const n = this.heldProductEvents?.length ?? 0;
    this.heldProductEvents = undefined;
    return n;
  }

  /**
   * Delivers held events one after another in the given order (each event's
   * trigger runs finish before the next starts), keeping their original timestamps.
   */
  async releaseProductEvents(order: 'fifo' | 'reverse' | 'shuffle' = 'fifo'): Promise<void> {
    const held = this.heldProductEvents ?? [];
    this.heldProductEvents = undefined;
    if (order === 'reverse') held.reverse();
    if (order === 'shuffle') held.sort(() => this.random() - 0.5);
    for (const h of held) {
      const inst = this.installation(h.installationId);
      await Promise.all(
        this.matchingTriggers(h.report).map((trigger) =>
          this.runTrigger(inst, trigger, this.triggerPayload(h.report, h.timestamp), h.report.atlassianId, 0),
        ),
      );
    }
  }

  private matchingTriggers(report: ProductEventReport): TriggerDecl[] {
    return this.manifest.triggers.filter(
      (t) => subscribes(t, report.eventType) && !(t.filter?.ignoreSelf && report.selfGenerated),
    );
  }

  private triggerPayload(report: ProductEventReport, timestamp: number): Record<string, unknown> {
    return {
      ...report.fields,
      eventType: report.eventType,
      selfGenerated: report.selfGenerated,
      ...(report.atlassianId ? { atlassianId: report.atlassianId } : {}),
      ...(report.webhookTraceValue ? { webhookTraceValue: report.webhookTraceValue } : {}),
      timestamp,
    };
  }

  /** Called by product simulators (and tests) for every change a trigger may subscribe to. */
  deliverProductEvent(installationId: string, report: ProductEventReport): void {
    const timestamp = this.clock.now();
    if (this.heldProductEvents) {
      this.heldProductEvents.push({ installationId, report, timestamp });
      return;
    }
    const inst = this.installation(installationId);
    const chaos = this.opts.chaos;
    const copies =
      chaos?.duplicateProductEventProbability && this.random() < chaos.duplicateProductEventProbability ? 2 : 1;
    for (const trigger of this.matchingTriggers(report)) {
      const payload = this.triggerPayload(report, timestamp);
      for (let copy = 0; copy < copies; copy++) {
        const delay = chaos?.productEventDelayMs
          ? chaos.productEventDelayMs[0] + this.random() * (chaos.productEventDelayMs[1] - chaos.productEventDelayMs[0])
          : 0;
        this.clock.schedule(timestamp + delay, () =>
          this.track(this.runTrigger(inst, trigger, payload, report.atlassianId, 0)),
        );
      }
    }
  }

  private async runTrigger(
    inst: Installation,
    trigger: TriggerDecl,
    payload: Record<string, unknown>,
    actor: string | undefined,
    attempt: number,
  ): Promise<void> {
    const plan = functionOrThrow(this.manifest, trigger.function);
    const context = { ...this.baseContext(inst), ...(actor ? { principal: { accountId: actor } } : {}) };
    const withRetry =
      attempt > 0
        ? { ...payload, retryContext: { retryCount: attempt, retryReason: 'FUNCTION_RETRY_REQUEST' } }
        : payload;
    const outcome = await this.invoke(inst, plan, {
      moduleType: 'trigger',
      moduleKey: trigger.key,
      args: [withRetry, context],
      aaid: actor,
    });
    const result = toDeliveryResult(outcome);
    // Product triggers retry on InvocationError and on platform failures (timeout, crash), at most 4 times.
    const retryable = result.kind === 'retry-requested' || outcome.status === 'timeout' || outcome.status === 'crash';
    if (!retryable || attempt >= TRIGGER_MAX_RETRIES) return;
    const after =
      result.kind === 'retry-requested'
        ? Math.min(900, Math.max(1, result.retryAfterSeconds)) * 1000
        : 5_000 * 2 ** attempt;
    this.clock.schedule(this.clock.now() + after, () =>
      this.track(this.runTrigger(inst, trigger, payload, actor, attempt + 1)),
    );
  }

  private async deliverLifecycle(inst: Installation): Promise<void> {
    this.deliverProductEvent(inst.id, {
      eventType: 'avi:forge:installed:app',
      selfGenerated: false,
      fields: {
        id: inst.id,
        app: { id: this.manifest.appId, version: '1.0.0' },
        environment: { id: inst.environmentId },
      },
    });
  }

  // ---------------------------------------------------------------- scheduled triggers

  private scheduleTriggersFor(inst: Installation): void {
    if (this.opts.scheduleTriggers === false) return;
    for (const st of this.manifest.scheduledTriggers) {
      const interval = SCHEDULE_INTERVAL_MS[st.interval];
      // Forge spreads runs over the interval at a consistent offset per installation.
      const offset = Math.floor(this.random() * interval);
      const fire = (at: number) => {
        const cancel = this.clock.schedule(
          at,
          () => {
            this.track(this.runScheduledTrigger(inst.id, st.key));
            fire(at + interval);
          },
          { background: true },
        );
        this.scheduleCancels.push(cancel);
      };
      fire(this.clock.now() + offset);
    }
  }

  async runScheduledTrigger(installationId: string, moduleKey: string): Promise<InvocationOutcome> {
    const inst = this.installation(installationId);
    const st = this.manifest.scheduledTriggers.find((s) => s.key === moduleKey);
    if (!st) throw new Error(`No scheduledTrigger ${moduleKey}`);
    const plan = functionOrThrow(this.manifest, st.function);
    const request = { context: { cloudId: inst.cloudId, moduleKey }, contextToken: randomBytes(16).toString('hex') };
    return this.invoke(inst, plan, {
      moduleType: 'scheduledTrigger',
      moduleKey,
      args: [request, this.baseContext(inst)],
    });
  }

  // ---------------------------------------------------------------- web triggers

  webTriggerUrl(installationId: string, moduleKey: string): string | undefined {
    if (!this.manifest.webTriggers.some((w) => w.key === moduleKey)) return undefined;
    for (const [token, t] of this.webTriggerTokens)
      if (t.installationId === installationId && t.moduleKey === moduleKey) return `${this.url}/x1/${token}`;
    const token = randomBytes(18).toString('base64url');
    this.webTriggerTokens.set(token, { installationId, moduleKey });
    return `${this.url}/x1/${token}`;
  }

  /** Handles a request to a web trigger URL; the HTTP server calls this. */
  async handleWebTrigger(token: string, request: WebTriggerRequest): Promise<WebTriggerResponse> {
    const target = this.webTriggerTokens.get(token);
    if (!target) return { statusCode: 404, body: 'Web trigger not found' };
    if (Buffer.byteLength(request.body) > WEBTRIGGER_REQUEST_LIMIT)
      return { statusCode: 413, body: 'Request payload too large' };
    const inst = this.installation(target.installationId);
    const wt = this.manifest.webTriggers.find((w) => w.key === target.moduleKey)!;
    const plan = functionOrThrow(this.manifest, wt.function);
    const outcome = await this.invoke(inst, plan, {
      moduleType: 'webtrigger',
      moduleKey: wt.key,
      args: [request, this.baseContext(inst)],
    });
    if (outcome.status !== 'success') return { statusCode: 500, body: 'Internal server error' };
    const res = outcome.value as Partial<WebTriggerResponse> | undefined;
    const valid =
      res &&
      typeof res === 'object' &&
      Number.isInteger(res.statusCode) &&
      (res.body === undefined || typeof res.body === 'string') &&
      (res.headers === undefined || Object.values(res.headers).every((v) => Array.isArray(v)));
    return valid ? (res as WebTriggerResponse) : { statusCode: 500, body: 'Incompatible web trigger response' };
  }

  // ---------------------------------------------------------------- resolvers

  /** A UI session binds a browser to a signed-in user; the platform, not the browser, supplies accountId. */
  createUiSession(s: {
    installationId: string;
    accountId?: string;
    moduleKey: string;
    context?: Record<string, unknown>;
  }): string {
    const token = randomBytes(24).toString('base64url');
    this.uiSessions.set(token, { ...s, context: s.context ?? {} });
    return token;
  }

  uiSession(token: string) {
    return this.uiSessions.get(token);
  }

  async invokeResolver(call: ResolverCall): Promise<ResolverResult> {
    const inst = this.installation(call.installationId);
    const mod = this.manifest.uiModules.find((m) => m.key === call.moduleKey);
    if (!mod?.resolver) return { ok: false, status: 404, error: `Module ${call.moduleKey} has no resolver` };
    const payloadBytes = Buffer.byteLength(JSON.stringify(call.payload ?? {}));
    if (payloadBytes > RESOLVER_REQUEST_LIMIT)
      return { ok: false, status: 413, error: `Request payload is ${payloadBytes} bytes; the limit is 500 KB` };
    const plan = functionOrThrow(this.manifest, mod.resolver.function);
    const outcome = await this.invoke(inst, plan, {
      moduleType: 'resolver',
      moduleKey: mod.key,
      aaid: call.accountId,
      args: [
        {
          call: { functionKey: call.functionKey, payload: call.payload ?? {} },
          context: { ...call.context, moduleKey: mod.key, cloudId: inst.cloudId, siteUrl: inst.siteUrl },
        },
        {
          principal: call.accountId ? { accountId: call.accountId } : undefined,
          installContext: inst.contextAri,
          license: inst.license,
          installation: { installationId: inst.id },
        },
      ],
    });
    if (outcome.status !== 'success') return { ok: false, status: 500, error: outcome.error };
    const responseBytes = Buffer.byteLength(JSON.stringify(outcome.value ?? null));
    if (responseBytes > RESOLVER_RESPONSE_LIMIT)
      return { ok: false, status: 500, error: `Response payload is ${responseBytes} bytes; the limit is 5 MB` };
    return { ok: true, body: outcome.value };
  }

  // ---------------------------------------------------------------- quiescence

  private track(p: Promise<unknown>): void {
    const tracked = p.catch(() => undefined).finally(() => this.pendingTriggers.delete(tracked));
    this.pendingTriggers.add(tracked);
  }

  /**
   * Waits until nothing is due: no running trigger, no event ready to run. With the manual clock it also moves time
   * to each pending retry or delay, and fails when work is still pending past `within` (default
   * {@link DEFAULT_SETTLE_WITHIN_MS}) of platform time: a test states how soon things must converge (the retry
   * schedule, one sweep period) and learns when they take longer. `maxAdvanceMs` instead moves time at most that far
   * and stops without failing, leaving later work pending (0 = run only what is due now). Answers how much platform
   * time passed.
   */
  async settle(options: SettleOptions = {}): Promise<SettleResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const manual = this.clock instanceof ManualClock ? this.clock : undefined;
    const startedAt = options.from ?? this.clock.now();
    const strict = options.maxAdvanceMs === undefined;
    const bound = options.maxAdvanceMs ?? options.within ?? DEFAULT_SETTLE_WITHIN_MS;
    const limit = manual ? startedAt + bound : 0;
    const done = (): SettleResult => ({ tookMs: this.clock.now() - startedAt });
    for (;;) {
      if (Date.now() > deadline) throw new Error('Platform did not settle in time');
      await Promise.all([
        ...this.pendingTriggers,
        ...[...this.installations.values()].map((i) => i.events.settleRunning()),
      ]);
      await new Promise((r) => setImmediate(r));
      const busy =
        this.pendingTriggers.size > 0 ||
        [...this.installations.values()].some((i) => i.events.outstanding().some((e) => e.state === 'running'));
      if (busy) continue;
      const outstanding = [...this.installations.values()].some((i) => i.events.outstanding().length > 0);
      if (!manual) {
        if (!outstanding) return done();
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const next = manual.nextDue();
      if (next === undefined) return done();
      if (next > limit) {
        if (strict) throw new Error(this.notQuietMessage(bound, startedAt, next));
        return done();
      }
      // Step to a scheduled trigger due on the way, and let it finish, before time moves on:
      // an invocation must never see the world's clock run ahead of its own.
      manual.advanceTo(Math.min(next, manual.nextAny() ?? next));
    }
  }

  /** Says what is still pending past a settle's bound, for the failure a test reports. */
  private notQuietMessage(bound: number, startedAt: number, next: number): string {
    const at = (t: number) => `+${formatMs(t - startedAt)}`;
    const pending = [...this.installations.values()]
      .flatMap((i) => i.events.outstanding())
      .filter((e) => e.state === 'pending')
      .sort((a, b) => a.dueAt - b.dueAt);
    const events = pending
      .slice(0, 5)
      .map(
        (e) =>
          `${e.queueName} event ${JSON.stringify(e.body).slice(0, 160)} (attempt ${e.retryCount + 1} due at ${at(e.dueAt)}${e.lastError ? `, after: ${e.lastError.slice(0, 120)}` : ''})`,
      );
    return (
      `Not quiet within ${formatMs(bound)} of platform time: the next work is due at ${at(next)}` +
      (events.length
        ? `; still pending: ${events.join('; ')}${pending.length > 5 ? ` and ${pending.length - 5} more` : ''}`
        : ' (a product trigger retry or a delayed delivery)')
    );
  }

  /**
   * Moves the manual clock forward by `ms`, stopping at each timer on the way
   * (scheduled triggers, retries, delays) until what it started has finished.
   */
  async advanceTime(ms: number): Promise<void> {
    const manual = this.manualClock;
    const target = manual.now() + ms;
    for (;;) {
      await Promise.all([
        ...this.pendingTriggers,
        ...[...this.installations.values()].map((i) => i.events.settleRunning()),
      ]);
      const next = manual.nextAny();
      if (next === undefined || next > target) break;
      manual.advanceTo(next);
      await new Promise((r) => setImmediate(r));
    }
    manual.advanceTo(target);
  }

  async stop(): Promise<void> {
    this.scheduleCancels.forEach((c) => c());
    await this.server.close();
    await this.invoker.close();
    for (const inst of this.installations.values()) inst.kvs.close?.();
  }
}

function subscribes(trigger: TriggerDecl, eventType: string): boolean {
  return trigger.events.some((e) => (typeof e === 'string' ? e : e.eventType) === eventType);
}

function toDeliveryResult(outcome: InvocationOutcome): DeliveryResult {
  if (outcome.status !== 'success') return { kind: 'failed', error: outcome.error };
  const value = outcome.value as
    { _retry?: boolean; retryOptions?: { retryAfter?: number; retryReason?: string; retryData?: unknown } } | undefined;
  if (value && typeof value === 'object' && value._retry === true) {
    return {
      kind: 'retry-requested',
      retryAfterSeconds: value.retryOptions?.retryAfter ?? 1,
      retryReason: value.retryOptions?.retryReason ?? 'FUNCTION_RETRY_REQUEST',
      retryData: value.retryOptions?.retryData,
    };
  }
  return { kind: 'success' };
}

export function startPlatform(opts: PlatformOptions): Promise<Platform> {
  return Platform.start(opts);
}
