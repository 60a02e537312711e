import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import type {
  FromWorker,
  InvokeMessage,
  OutboundMessage,
  RpcMessage,
  RuntimeSeed,
  ToWorker,
  EgressRoute,
} from './worker/protocol';
import { addKvs, emptyKvsCounters, gbSeconds, type InvocationRecord, type Meter } from './metering';
import { callName } from './call-names';
import { FaultBoard, type CrashFault, type CrashInjection, type Hold, type HoldPoint } from './faults';

/** What the platform answers for calls a handler makes through the runtime. */
export interface RuntimeServices {
  rpc(
    ctx: InvocationContext,
    msg: RpcMessage,
  ): Promise<{ status: number; headers?: Record<string, string>; body?: string }>;
}

/** Everything known about one running invocation, shared with the services that answer it. */
export interface InvocationContext {
  invocationId: string;
  installationId: string;
  functionKey: string;
  moduleType: string;
  moduleKey: string;
  /** Chain of async work started by one initial invocation (Forge's cyclic-invocation limit). */
  chainId: string;
  record: InvocationRecord;
}

export interface InvocationRequest {
  installationId: string;
  functionKey: string;
  bundlePath: string;
  exportName: string;
  moduleType: string;
  moduleKey: string;
  timeoutMs: number;
  memoryMB: number;
  args: unknown[];
  runtime: Omit<RuntimeSeed, 'appContext' | 'proxyToken' | 'traceId'> & {
    appContext: Omit<RuntimeSeed['appContext'], 'invocationId'>;
  };
  egress: { allowList: string[]; routes: EgressRoute[] };
  product: { jiraBaseUrl?: string; platformToken: string };
  chainId?: string;
  /** Platform time now (ms); the function's Date follows it. */
  platformNow: number;
}

export type InvocationOutcome =
  | { status: 'success'; value: unknown; record: InvocationRecord }
  | { status: 'error' | 'timeout' | 'crash'; error: string; record: InvocationRecord };

interface Slot {
  worker: Worker;
  bundlePath: string;
  memoryMB: number;
  busy: boolean;
  dead: boolean;
  onMessage?: (msg: FromWorker) => void;
  onExit?: (reason: string) => void;
  /** The invocation running now, whose log lines the worker's stdout/stderr belong to. */
  record?: InvocationRecord;
  /** Resolves once the app bundle has loaded in the worker. */
  ready: Promise<void>;
}

export interface InvokerOptions {
  bootstrapPath: string;
  services: RuntimeServices;
  meter: Meter;
  maxWorkers?: number;
  /** Chaos: probability that a warm worker is thrown away after an invocation. */
  recycleProbability?: number;
  random?: () => number;
}

/**
 * Runs invocations in worker threads, one at a time per worker, like Lambda
 * instances: warm workers are reused, so module state may survive between
 * invocations (and, in chaos mode, may not), and a worker that times out,
 * runs out of memory or crashes is thrown away.
 */
export class Invoker {
  private slots: Slot[] = [];
  private waiters: Array<() => void> = [];
  private readonly faults = new FaultBoard();
  private readonly maxWorkers: number;
  private closed = false;

  constructor(private readonly opts: InvokerOptions) {
    this.maxWorkers = opts.maxWorkers ?? 6;
  }

  injectCrash(fault: CrashFault): CrashInjection {
    return this.faults.injectCrash(fault);
  }

  holdBefore(point: HoldPoint): Hold {
    return this.faults.holdBefore(point);
  }

  /** Disarms every crash and lets every held run go on. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Throws away every idle warm instance: the next invocations start cold, with no module state. */
  discardWarmInstances(): void {
    for (const slot of this.slots.filter((s) => !s.busy)) this.kill(slot);
    this.slots = this.slots.filter((s) => !s.dead);
  }

  get activeInvocations(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  async invoke(req: InvocationRequest): Promise<InvocationOutcome> {
    const invocationId = randomUUID();
    const record: InvocationRecord = {
      invocationId,
      installationId: req.installationId,
      functionKey: req.functionKey,
      moduleType: req.moduleType,
      moduleKey: req.moduleKey,
      startedAt: Date.now(),
      durationMs: 0,
      memoryMB: req.memoryMB,
      gbSeconds: 0,
      outcome: 'success',
      kvs: emptyKvsCounters(),
      kvsCalls: [],
      requests: [],
      eventsPushed: 0,
      productRequests: 0,
      egressRequests: 0,
      outboundCalls: 0,
      calls: [],
      logs: [],
    };
    const ctx: InvocationContext = {
      invocationId,
      installationId: req.installationId,
      functionKey: req.functionKey,
      moduleType: req.moduleType,
      moduleKey: req.moduleKey,
      chainId: req.chainId ?? invocationId,
      record,
    };
    const slot = await this.acquire(req.bundlePath, req.memoryMB);
    slot.record = record;
    await slot.ready;
    const faults = this.faults.forRun({
      invocationId,
      functionKey: req.functionKey,
      moduleKey: req.moduleKey,
      moduleType: req.moduleType,
    });

    const started = Date.now();
    const deadline = started + req.timeoutMs;
    const message: InvokeMessage = {
      type: 'invoke',
      invocationId,
      exportName: req.exportName,
      args: req.args,
      deadline,
      clockOffsetMs: req.platformNow - Date.now(),
      runtime: {
        ...req.runtime,
        proxyToken: randomUUID(),
        traceId: randomUUID().replace(/-/g, ''),
        appContext: { ...req.runtime.appContext, invocationId },
      },
      egress: { ...req.egress, maxRequests: 100 * Math.ceil(req.timeoutMs / 60_000) },
      product: req.product,
    };

    const outcome = await new Promise<InvocationOutcome>((resolve) => {
      let outbound = 0;
      let settled = false;
      const finish = (o: InvocationOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        slot.onMessage = undefined;
        slot.onExit = undefined;
        resolve(o);
      };
      const fail = (status: 'error' | 'timeout' | 'crash', error: string) => finish({ status, error, record });
      const timer = setTimeout(() => {
        this.kill(slot);
        fail('timeout', `Invocation timed out after ${req.timeoutMs / 1000} s`);
      }, req.timeoutMs);

      /** Counts and names the call; true when an injected crash stops the run before it. */
      const crashIfDue = (msg: RpcMessage | OutboundMessage): boolean => {
        outbound += 1;
        const call = callName(msg);
        record.outboundCalls = outbound;
        record.calls.push(call);
        if (!faults.crashBefore(outbound, call)) return false;
        this.kill(slot);
        fail('crash', `Injected crash at outbound call ${outbound}`);
        return true;
      };

      const answer = (msg: FromWorker) => {
        if (settled) return;
        switch (msg.type) {
          case 'result':
            if (msg.ok) finish({ status: 'success', value: msg.value, record });
            else fail('error', msg.error ? `${msg.error.name}: ${msg.error.message}` : 'Unknown error');
            return;
          case 'outbound':
            if (msg.kind === 'product') record.productRequests += 1;
            else record.egressRequests += 1;
            record.requests.push(`${msg.method} ${msg.url}`);
            this.post(slot, { type: 'outbound-ack', id: msg.id });
            return;
          case 'rpc':
            void this.opts.services.rpc(ctx, msg).then(
              (res) =>
                !settled &&
                this.post(slot, {
                  type: 'rpc-result',
                  id: msg.id,
                  status: res.status,
                  headers: res.headers ?? {},
                  body: res.body,
                }),
              (err: unknown) =>
                !settled &&
                this.post(slot, {
                  type: 'rpc-result',
                  id: msg.id,
                  status: 500,
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ code: 'INTERNAL_SERVER_ERROR', message: String(err) }),
                }),
            );
            return;
        }
      };
      /** Counts, crashes or holds an outbound call before answering it; a promise while a hold keeps the run waiting. */
      const process = (msg: FromWorker): Promise<void> | undefined => {
        if (settled) return undefined;
        if (msg.type === 'outbound' || msg.type === 'rpc') {
          if (crashIfDue(msg)) return undefined;
          const hold = faults.holdBefore(outbound, record.calls[outbound - 1]!);
          if (hold) return hold.then(() => answer(msg));
        }
        answer(msg);
        return undefined;
      };
      // While a hold keeps the run waiting, whatever else it sends waits behind it, in order.
      let held: Promise<void> | undefined;
      slot.onExit = (reason) => fail('crash', reason);
      slot.onMessage = (msg) => {
        if (held) held = held.then(() => process(msg));
        else held = process(msg);
      };
      if (slot.dead) {
        fail('crash', 'The function instance failed to start');
        return;
      }
      if (faults.crashBeforeStart()) {
        this.kill(slot);
        fail('crash', 'Injected crash before the handler ran');
        return;
      }
      this.post(slot, message);
    });

    faults.end();
    record.durationMs = Date.now() - started;
    record.gbSeconds = gbSeconds(req.memoryMB, record.durationMs);
    record.outcome = outcome.status === 'success' ? 'success' : outcome.status;
    if (outcome.status !== 'success') record.error = outcome.error;
    this.opts.meter.record(record);
    this.release(slot);
    return outcome;
  }

  /** Count KVS traffic against the invocation that caused it. */
  static meterKvs(
    ctx: InvocationContext,
    kind: 'read' | 'write',
    bytes: number,
    call?: { path: string; keys: string[] },
  ): void {
    addKvs(ctx.record.kvs, kind, bytes);
    if (call) ctx.record.kvsCalls.push(call);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private post(slot: Slot, msg: ToWorker): void {
    if (!slot.dead) slot.worker.postMessage(msg);
  }

  private kill(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    void slot.worker.terminate();
  }

  private spawn(bundlePath: string, memoryMB: number): Slot {
    const worker = new Worker(this.opts.bootstrapPath, {
      workerData: { bundlePath },
      resourceLimits: { maxOldGenerationSizeMb: memoryMB },
      // The bootstrap and the bundle are plain CommonJS: a worker need not inherit the parent's loader hooks
      // (tsx under `npm start` and the soak), which made every cold start transpile and map sources again.
      execArgv: [],
      // Function logs are captured per invocation, as Forge's log viewer shows them.
      stdout: true,
      stderr: true,
    });
    worker.unref();
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const slot: Slot = { worker, bundlePath, memoryMB, busy: false, dead: false, ready };
    const capture = (stream: NodeJS.ReadableStream) =>
      stream.on('data', (chunk: Buffer) => {
        const lines = chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0);
        if (slot.record) slot.record.logs.push(...lines);
        if (process.env.FORGE_SANDBOX_LOGS)
          for (const l of lines) process.stderr.write(`[${slot.record?.functionKey ?? 'function'}] ${l}\n`);
      });
    capture(worker.stdout);
    capture(worker.stderr);
    worker.on('message', (msg: FromWorker) => (msg.type === 'ready' ? markReady() : slot.onMessage?.(msg)));
    // A worker that dies while loading never becomes ready; its waiters learn it from onExit.
    worker.on('exit', () => markReady());
    worker.on('error', (err) => {
      slot.dead = true;
      const oom = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      slot.onExit?.(oom ? `Out of memory (limit ${memoryMB} MB)` : `Invocation crashed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      slot.dead = true;
      slot.onExit?.(`Invocation process exited with code ${code}`);
      this.slots = this.slots.filter((s) => s !== slot);
      this.wakeOne();
    });
    this.slots.push(slot);
    return slot;
  }

  private async acquire(bundlePath: string, memoryMB: number): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new Error('Platform is stopped');
      const warm = this.slots.find((s) => !s.busy && !s.dead && s.bundlePath === bundlePath && s.memoryMB === memoryMB);
      if (warm) {
        warm.busy = true;
        return warm;
      }
      const live = this.slots.filter((s) => !s.dead);
      if (live.length >= this.maxWorkers) {
        const idle = live.find((s) => !s.busy);
        if (idle) this.kill(idle);
        else {
          await new Promise<void>((resolve) => this.waiters.push(resolve));
          continue;
        }
      }
      const slot = this.spawn(bundlePath, memoryMB);
      slot.busy = true;
      return slot;
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    const random = this.opts.random ?? Math.random;
    if (!slot.dead && this.opts.recycleProbability && random() < this.opts.recycleProbability) this.kill(slot);
    if (slot.dead) this.slots = this.slots.filter((s) => s !== slot);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }
}
