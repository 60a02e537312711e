/**
 * Platform time. Retries, delays, TTLs and scheduled triggers run on this clock
 * so tests can move time forward instead of waiting; invocation timeouts always
 * use wall-clock time, because they bound real work.
 */
export interface Clock {
  now(): number;
  /**
   * Run `fn` once the clock reaches `at` (ms since epoch). Returns a cancel function.
   * Background timers (recurring schedules) never count as pending work.
   */
  schedule(at: number, fn: () => void, options?: { background?: boolean }): () => void;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  schedule(at: number, fn: () => void): () => void {
    const timer = setTimeout(fn, Math.max(0, at - Date.now()));
    timer.unref?.();
    return () => clearTimeout(timer);
  }
}

interface Pending {
  at: number;
  background: boolean;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fn: () => void, options?: { background?: boolean }): () => void {
    const entry: Pending = { at, seq: this.seq++, fn, background: options?.background ?? false };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** The time of the earliest pending timer that is not a background one, if any. */
  nextDue(): number | undefined {
    return this.pending
      .filter((p) => !p.background)
      .reduce<number | undefined>((min, p) => (min === undefined || p.at < min ? p.at : min), undefined);
  }

  /** The time of the earliest pending timer, background ones (scheduled triggers) included. */
  nextAny(): number | undefined {
    return this.pending.reduce<number | undefined>(
      (min, p) => (min === undefined || p.at < min ? p.at : min),
      undefined,
    );
  }

  /** Move time forward by `ms`, firing due timers in time order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = Math.max(this.current, target);
  }
}
