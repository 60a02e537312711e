/**
 * Crash cases derived from a recorded run of the same case, not counted by hand: the case runs once without a crash
 * and the calls its worker runs made are recorded; then it runs again, crashed before each of those calls (or before
 * a call found by its name, "the call after the remote create"), and each time the crash must have happened exactly
 * once, in the run and before the call the recording names, after the same calls the recording made. When the code
 * makes more or fewer calls, the positions follow it; when a crash would land nowhere, the case fails instead of
 * passing without one.
 *
 * Every run of a case starts cold (warm instances discarded first): a warm instance keeps ids and credentials it
 * looked up and makes fewer calls, so the recording and the crashed run start alike.
 */
import type { CrashInjection, InvocationRecord, Platform } from '../../sandbox/platform';

/**
 * One case: `arm()` marks the moment the crash is injected (before the change whose runs it crashes); `tag` makes
 * the case's items its own (the recording's tag is 0, a crashed case's the position).
 */
export type CrashCase = (arm: () => void, tag: number) => Promise<void>;

/** A call's name without what differs from one case to the next (ids, keys, numbers). */
export const callShape = (call: string): string => call.replace(/[0-9a-f]*\d[0-9a-f]*/gi, '#');

export class CrashCases {
  constructor(
    private readonly platform: Platform,
    private readonly runCase: CrashCase,
    private readonly functionKey = 'sync-worker',
  ) {}

  /** Runs the case without a crash; answers the runs of the function it caused after `arm()`, in the order they started. */
  async record(): Promise<InvocationRecord[]> {
    this.platform.discardWarmInstances();
    let from: number | undefined;
    await this.runCase(() => {
      this.expectNothingQueued();
      from = this.platform.meter.invocations().length;
    }, 0);
    if (from === undefined) throw new Error('The case never armed its crash');
    const runs = this.platform.meter
      .invocations()
      .slice(from)
      .filter((r) => r.functionKey === this.functionKey && r.outcome === 'success')
      .sort((a, b) => a.startedAt - b.startedAt);
    if (!runs.length || !runs[0]!.calls.length) throw new Error(`The recorded case ran no ${this.functionKey} call`);
    return runs;
  }

  /**
   * Runs the case crashed before call `at` of its `run`-th run (1 = the first after `arm()`), and checks that exactly
   * one crash happened there, before the call `recorded` makes at that position, after the calls it makes before it.
   */
  async crash(recorded: InvocationRecord, run: number, at: number): Promise<CrashInjection> {
    const expected = recorded.calls[at - 1];
    if (expected === undefined) throw new Error(`The recorded run makes ${recorded.calls.length} calls, not ${at}`);
    this.platform.discardWarmInstances();
    let injection: CrashInjection | undefined;
    await this.runCase(() => {
      this.expectNothingQueued();
      injection = this.platform.injectCrash({ functionKey: this.functionKey, atOutboundCall: at, inRun: run });
    }, at);
    if (!injection) throw new Error('The case never armed its crash');
    expect(injection.crashes.map((c) => ({ run: c.run, atCall: c.atCall, call: callShape(c.call ?? '') }))).toEqual([
      { run, atCall: at, call: callShape(expected) },
    ]);
    const crashed = this.platform.meter
      .invocations({ functionKey: this.functionKey })
      .find((r) => r.invocationId === injection!.crashes[0]!.invocationId)!;
    expect(crashed.calls.map(callShape)).toEqual(recorded.calls.slice(0, at).map(callShape));
    return injection;
  }

  /** Runs counted from `arm()` are the case's own only if nothing earlier is still queued to run. */
  private expectNothingQueued(): void {
    const queued = this.platform.listInstallations().flatMap((i) => i.events.outstanding());
    if (queued.length)
      throw new Error(
        `The case armed its crash while earlier work was still queued: ${queued.map((e) => JSON.stringify(e.body)).join('; ')}`,
      );
  }
}

/** The position (1-based) of the first call of a recorded run whose name matches; fails when there is none. */
export function positionOf(run: InvocationRecord, name: RegExp): number {
  const i = run.calls.findIndex((c) => name.test(c));
  if (i < 0) throw new Error(`The recorded run makes no call matching ${name}:\n${run.calls.join('\n')}`);
  return i + 1;
}

/** Positions `from` to `to` (inclusive). */
export const positions = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * Runs `check` once per position, in order; a failure says at which position and before which recorded call, so one
 * test covering every call of a run reports the call that broke.
 */
export async function atEachPosition(
  run: InvocationRecord,
  at: readonly number[],
  check: (position: number) => Promise<unknown>,
): Promise<void> {
  if (!at.length) throw new Error('No crash position to run: a crash case must crash somewhere');
  for (const n of at) {
    try {
      await check(n);
    } catch (e) {
      if (e instanceof Error)
        e.message = `Crash before call ${n} of ${run.calls.length} (${run.calls[n - 1] ?? '?'}):\n${e.message}`;
      throw e;
    }
  }
}
