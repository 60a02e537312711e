import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from './clock';

/**
 * Forge async events (`@forge/events` v2+), server side: the publish, stats and
 * cancel endpoints, at-least-once delivery with retries, per-installation
 * concurrency keys and the documented limits (forge-platform.md §2).
 */

export const EVENT_LIMITS = {
  eventsPerRequest: 50,
  requestBytes: 200 * 1024,
  eventsPerMinute: 500,
  longConsumerEventBytes: 100 * 1024,
  retryDataBytes: 4 * 1024,
  maxRetryAfterSeconds: 900,
  retentionMs: 24 * 3600_000,
  cyclicPushLimit: 1000,
  maxBackoffMs: 15 * 60_000,
  firstBackoffMs: 5_000,
} as const;

const pushEventSchema = z.object({
  body: z.record(z.string(), z.unknown()),
  delayInSeconds: z.number().min(0).max(900).optional(),
  concurrency: z.object({ key: z.string().min(1), limit: z.number().int().min(1) }).optional(),
});

const publishSchema = z.object({
  queueName: z.string().regex(/^[a-zA-Z0-9-_]+$/),
  jobId: z.string().min(1),
  type: z.literal('avi:forge:app:event'),
  schema: z.string(),
  payload: z.array(pushEventSchema),
  time: z.string(),
});

const jobRequestSchema = z.object({ queueName: z.string(), jobId: z.string(), time: z.string().optional() });

export type DeliveryResult =
  | { kind: 'success' }
  | { kind: 'retry-requested'; retryAfterSeconds: number; retryReason: string; retryData?: unknown }
  | { kind: 'failed'; error: string };

export interface QueuedEvent {
  eventId: string;
  jobId: string;
  queueName: string;
  body: Record<string, unknown>;
  concurrency?: { key: string; limit: number };
  chainId: string;
  publishedAt: number;
  dueAt: number;
  retryCount: number;
  retryReason?: string;
  retryData?: unknown;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  lastError?: string;
  /** Set when chaos delivered this event once more after success (at-least-once). */
  duplicated?: boolean;
  /** Publication order, for the deterministic scheduler. */
  seq: number;
  /** The order in which attempts started, across all queues (the latest attempt's). */
  startOrder?: number;
}

export interface EventServiceOptions {
  clock: Clock;
  /** Timeout of the consumer functions for a queue (events for > 55 s consumers must be ≤ 100 KB). */
  consumerTimeoutSeconds(queueName: string): number | undefined;
  deliver(event: QueuedEvent, attemptContext: { retryContext?: Record<string, unknown> }): Promise<DeliveryResult>;
  /** Chaos: probability that a successfully processed event is delivered again. */
  duplicateProbability?: number;
  random?: () => number;
  onChange?: () => void;
  /**
   * Deterministic scheduling for model tests: one event runs at a time across
   * all queues, the earliest due first (publication order breaks ties), so a
   * seed replays the same interleaving whatever the machine's speed.
   */
  serial?: boolean;
}

export interface WireAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One installation's queues. */
export class EventService {
  private events = new Map<string, QueuedEvent>();
  private running = new Map<string, number>();
  private publishedInWindow: Array<{ at: number; count: number }> = [];
  private pushesPerChain = new Map<string, number>();
  private cancelTimers = new Map<string, () => void>();
  private inFlight = new Set<Promise<void>>();
  private seq = 0;
  private starts = 0;
  private totalRunning = 0;
  private paused = false;

  constructor(private readonly opts: EventServiceOptions) {}

  /** Holds every queue: published events wait (model tests deliver signals first, then run them in order). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.startNext();
  }

  publish(rawBody: unknown, chainId: string): WireAnswer {
    const parsed = publishSchema.safeParse(rawBody);
    if (!parsed.success)
      return {
        status: 400,
        body: {
          message: 'Invalid publish request',
          errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        },
      };
    const req = parsed.data;
    const bytes = Buffer.byteLength(JSON.stringify(req.payload));
    if (req.payload.length > EVENT_LIMITS.eventsPerRequest || bytes > EVENT_LIMITS.requestBytes) {
      return {
        status: 413,
        body: {
          errorMessage: `Payload too large: at most ${EVENT_LIMITS.eventsPerRequest} events and ${EVENT_LIMITS.requestBytes / 1024} KB per request`,
        },
      };
    }
    const timeout = this.opts.consumerTimeoutSeconds(req.queueName);
    if (timeout !== undefined && timeout > 55) {
      const big = req.payload.findIndex(
        (e) => Buffer.byteLength(JSON.stringify(e)) > EVENT_LIMITS.longConsumerEventBytes,
      );
      if (big >= 0)
        return {
          status: 413,
          body: { errorMessage: `Event ${big} exceeds 100 KB, the limit for consumers with a timeout over 55 s` },
        };
    }
    const pushes = (this.pushesPerChain.get(chainId) ?? 0) + 1;
    if (pushes > EVENT_LIMITS.cyclicPushLimit)
      return { status: 405, body: { message: 'Cyclic invocation limit reached' } };
    const now = this.opts.clock.now();
    this.publishedInWindow = this.publishedInWindow.filter((w) => w.at > now - 60_000);
    const lastMinute = this.publishedInWindow.reduce((n, w) => n + w.count, 0);
    if (lastMinute + req.payload.length > EVENT_LIMITS.eventsPerMinute)
      return { status: 429, body: { message: 'Rate limit exceeded: 500 events per minute per installation' } };
    this.pushesPerChain.set(chainId, pushes);
    this.publishedInWindow.push({ at: now, count: req.payload.length });

    for (const e of req.payload) {
      const event: QueuedEvent = {
        eventId: randomUUID(),
        jobId: req.jobId,
        queueName: req.queueName,
        body: e.body,
        concurrency: e.concurrency,
        chainId,
        publishedAt: now,
        dueAt: now + (e.delayInSeconds ?? 0) * 1000,
        retryCount: 0,
        state: 'pending',
        attempts: 0,
        seq: this.seq++,
      };
      this.events.set(event.eventId, event);
      this.scheduleAt(event);
    }
    this.opts.onChange?.();
    return { status: 201, body: {} };
  }

  stats(rawBody: unknown): WireAnswer {
    const req = jobRequestSchema.safeParse(rawBody);
    if (!req.success) return { status: 400, body: { message: 'Invalid stats request' } };
    const jobEvents = this.jobEvents(req.data.queueName, req.data.jobId);
    if (!jobEvents.length) return { status: 404, body: { message: 'Job does not exist' } };
    const count = (pred: (e: QueuedEvent) => boolean) => jobEvents.filter(pred).length;
    return {
      status: 200,
      body: {
        success: count((e) => e.state === 'succeeded'),
        inProgress: count((e) => e.state === 'pending' || e.state === 'running'),
        failed: count((e) => e.state === 'failed' || e.state === 'cancelled'),
      },
    };
  }

  cancel(rawBody: unknown): WireAnswer {
    const req = jobRequestSchema.safeParse(rawBody);
    if (!req.success) return { status: 400, body: { message: 'Invalid cancel request' } };
    const jobEvents = this.jobEvents(req.data.queueName, req.data.jobId);
    if (!jobEvents.length) return { status: 404, body: { message: 'Job does not exist' } };
    // Events not yet started, including pending retries, are dropped; running ones finish.
    for (const e of jobEvents.filter((ev) => ev.state === 'pending')) {
      e.state = 'cancelled';
      this.cancelTimers.get(e.eventId)?.();
    }
    this.opts.onChange?.();
    return { status: 204 };
  }

  /** Events not yet finished (pending or running). */
  outstanding(): QueuedEvent[] {
    return [...this.events.values()].filter((e) => e.state === 'pending' || e.state === 'running');
  }

  all(): QueuedEvent[] {
    return [...this.events.values()];
  }

  /** Resolves when every delivery started so far has finished. */
  async settleRunning(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private jobEvents(queueName: string, jobId: string): QueuedEvent[] {
    return [...this.events.values()].filter((e) => e.jobId === jobId && e.queueName === queueName);
  }

  private scheduleAt(event: QueuedEvent): void {
    const cancel = this.opts.clock.schedule(event.dueAt, () => {
      this.cancelTimers.delete(event.eventId);
      this.tryStart(event);
    });
    this.cancelTimers.set(event.eventId, cancel);
  }

  private tryStart(event: QueuedEvent): void {
    if (event.state !== 'pending') return;
    if (this.paused || (this.opts.serial && this.totalRunning > 0)) return; // started by startNext
    const key = event.concurrency?.key;
    if (key && (this.running.get(key) ?? 0) >= event.concurrency!.limit) return; // started when a slot frees
    if (key) this.running.set(key, (this.running.get(key) ?? 0) + 1);
    event.state = 'running';
    event.attempts += 1;
    event.startOrder = this.starts++;
    this.totalRunning += 1;
    const run = this.run(event).finally(() => {
      this.inFlight.delete(run);
      this.totalRunning -= 1;
      if (key) this.running.set(key, (this.running.get(key) ?? 1) - 1);
      if (this.opts.serial || this.paused) this.startNext();
      else if (key) this.startWaiting(key);
      this.opts.onChange?.();
    });
    this.inFlight.add(run);
  }

  /** Starts what is due and waiting (held by a pause, the serial lane or a concurrency slot), earliest first. */
  private startNext(): void {
    if (this.paused) return;
    const now = this.opts.clock.now();
    const due = [...this.events.values()]
      .filter((e) => e.state === 'pending' && e.dueAt <= now && !this.cancelTimers.has(e.eventId))
      .sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
    for (const e of due) {
      this.tryStart(e);
      if (this.opts.serial && this.totalRunning > 0) return;
    }
  }

  /** Start the earliest-due waiting events for a concurrency key once a slot is free. */
  private startWaiting(key: string): void {
    const now = this.opts.clock.now();
    const waiting = [...this.events.values()]
      .filter(
        (e) =>
          e.state === 'pending' && e.concurrency?.key === key && e.dueAt <= now && !this.cancelTimers.has(e.eventId),
      )
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const e of waiting) this.tryStart(e);
  }

  private async run(event: QueuedEvent): Promise<void> {
    const now = this.opts.clock.now();
    const retryContext =
      event.retryCount > 0
        ? {
            retryCount: event.retryCount,
            retryReason: event.retryReason ?? 'FUNCTION_RETRY_REQUEST',
            retryData: event.retryData,
            retentionWindow: {
              startTime: new Date(event.publishedAt).toISOString(),
              remainingTimeMs: Math.max(0, event.publishedAt + EVENT_LIMITS.retentionMs - now),
            },
          }
        : undefined;
    let result: DeliveryResult;
    try {
      result = await this.opts.deliver(event, { retryContext });
    } catch (err) {
      result = { kind: 'failed', error: String(err) };
    }
    const after = this.opts.clock.now();
    if (result.kind === 'success') {
      event.state = 'succeeded';
      const random = this.opts.random ?? Math.random;
      if (!event.duplicated && this.opts.duplicateProbability && random() < this.opts.duplicateProbability) {
        event.duplicated = true;
        event.state = 'pending';
        event.dueAt = after;
        this.scheduleAt(event);
      }
      return;
    }
    let delayMs: number;
    if (result.kind === 'retry-requested') {
      const retryDataBytes = result.retryData === undefined ? 0 : Buffer.byteLength(JSON.stringify(result.retryData));
      event.retryReason = result.retryReason;
      event.retryData = retryDataBytes <= EVENT_LIMITS.retryDataBytes ? result.retryData : undefined;
      event.lastError =
        retryDataBytes <= EVENT_LIMITS.retryDataBytes
          ? 'Retry requested by InvocationError'
          : 'retryData over 4 KB was dropped';
      delayMs = Math.min(EVENT_LIMITS.maxRetryAfterSeconds, Math.max(1, result.retryAfterSeconds)) * 1000;
    } else {
      event.retryReason = 'FUNCTION_RETRY_REQUEST';
      event.retryData = undefined;
      event.lastError = result.error;
      delayMs = Math.min(EVENT_LIMITS.maxBackoffMs, EVENT_LIMITS.firstBackoffMs * 2 ** event.retryCount);
    }
    event.retryCount += 1;
    event.dueAt = after + delayMs;
    if (event.dueAt > event.publishedAt + EVENT_LIMITS.retentionMs) {
      // Past the retention window an event that keeps failing is dropped (forge-platform.md §2).
      event.state = 'failed';
      return;
    }
    event.state = 'pending';
    this.scheduleAt(event);
  }
}
