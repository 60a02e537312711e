/**
 * Remotes that told this warm instance to wait (a 429's window, by
 * connection): until then nothing more is sent to them from here, so a burst
 * of queued work (a bulk sync, a sweep) meets a rate limit about once per
 * instance and window instead of once per item. Memory only: a fresh instance
 * asks the remote again, and the remote answers for itself.
 */
import { SyncError } from './errors';
import type { Connector } from './ports';

const waits = new Map<string, { until: number; span: number }>();

/** The remote of this connection asked to be left alone until `untilMs` (epoch ms). */
export function remoteAskedToWait(connectionId: string, untilMs: number, nowMs = Date.now()): void {
  if (untilMs > (waits.get(connectionId)?.until ?? 0))
    waits.set(connectionId, { until: untilMs, span: untilMs - nowMs });
}

/** How long (ms) the connection's remote still asked to be left alone, and how long it asked for; 0 when it did not. */
export function remoteWait(connectionId: string, nowMs = Date.now()): { left: number; span: number } {
  const wait = waits.get(connectionId);
  if (!wait || wait.until <= nowMs) {
    waits.delete(connectionId);
    return { left: 0, span: 0 };
  }
  return { left: wait.until - nowMs, span: wait.span };
}

/** How long (ms) the connection's remote still asked to be left alone; 0 when it did not. */
export function remoteWaitLeft(connectionId: string, nowMs = Date.now()): number {
  return remoteWait(connectionId, nowMs).left;
}

function waitError(system: string, label: string, waitMs: number): SyncError {
  return new SyncError({
    system,
    kind: 'rate-limited',
    retryAfterMs: waitMs,
    message: `${label} asked Crosswalk to wait (its rate limit); trying again in ${Math.ceil(waitMs / 1000)} s`,
  });
}

/**
 * The connector, paced: while its remote's window lasts every call fails at once as rate-limited (nothing is
 * sent), and a rate-limited answer with a window starts one. Every user of the connector (the worker, the
 * sweep, the settings page) learns from every other in the same instance.
 */
export function paced(connectionId: string, label: string, connector: Connector): Connector {
  const learn = (e: unknown): never => {
    if (e instanceof SyncError && e.kind === 'rate-limited' && e.details.retryAfterMs)
      remoteAskedToWait(connectionId, Date.now() + e.details.retryAfterMs);
    throw e;
  };
  return new Proxy(connector, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const waitMs = remoteWaitLeft(connectionId);
        if (waitMs > 0) return Promise.reject(waitError(target.system, label, waitMs));
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? result.catch(learn) : result;
      };
    },
  });
}
