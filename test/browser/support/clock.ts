/**
 * Real time that a test may move forward: the sandbox runs on it (the
 * platform, the functions and every simulator read the platform's clock), so
 * a test that needs one change to be newer than another steps the clock
 * between them instead of sleeping.
 */
import type { Clock } from '../../../sandbox/platform/clock';

export class SteppableClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward for everyone reading this clock (timers already set still fire when the wall clock reaches them). */
  step(ms: number): void {
    this.offsetMs += ms;
  }

  schedule(at: number, fn: () => void): () => void {
    const timer = setTimeout(fn, Math.max(0, at - this.now()));
    timer.unref?.();
    return () => clearTimeout(timer);
  }
}
