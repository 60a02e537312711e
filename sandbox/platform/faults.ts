/**
 * Faults and holds the platform applies between a function's outbound calls.
 * Every call that leaves a function (KVS, events, product or egress) is
 * announced to the platform and waits for its answer, so a crash "before
 * call n" and a hold "before the call that does X" are exact, and a test can
 * learn afterwards whether its crash happened, in which run and before which call.
 */

/** Which invocations a fault or hold applies to. */
export interface RunMatch {
  functionKey?: string;
  moduleType?: string;
}

/** A crash the platform will cause: stop a matching invocation just before its Nth outbound call. */
export interface CrashFault extends RunMatch {
  /** 1 = before the first outbound call (KVS, events, product or egress) goes out; 0 = before the handler runs. */
  atOutboundCall: number;
  /**
   * Crash before the first call from `atOutboundCall` on whose name (`InvocationRecord.calls`) matches, instead of
   * exactly at `atOutboundCall`: where a run's call numbers depend on the data it meets.
   */
  beforeCall?: RegExp;
  /** How many invocations to crash; default 1. */
  times?: number;
  /**
   * Only the k-th matching invocation started after the injection (1 = the first): when that run ends before call n,
   * the crash does not happen and the injection is over (`armed` false, no crash recorded). Omitted: every matching
   * invocation is watched until one reaches call n, so a run that ends sooner leaves the crash armed for the next.
   */
  inRun?: number;
}

/** A crash that happened. */
export interface CrashHit {
  invocationId: string;
  functionKey: string;
  moduleKey: string;
  /** Which matching invocation it was, counted from the injection (1 = the first that started after it). */
  run: number;
  /** The outbound call it stopped before (1-based); 0 = before the handler ran. */
  atCall: number;
  /** What that call would have been (as `InvocationRecord.calls` names it); absent for a crash before the handler ran. */
  call?: string;
}

/** What became of one `injectCrash`: tests assert on it instead of trusting that a crash happened. */
export interface CrashInjection {
  readonly fault: CrashFault;
  /** The crashes it caused, in order. */
  readonly crashes: readonly CrashHit[];
  /** Matching invocations that started while it was armed. */
  readonly runsWatched: number;
  /** Whether it can still crash a run. */
  readonly armed: boolean;
}

/** Where a hold stops a run: before its first outbound call whose name matches. */
export interface HoldPoint extends RunMatch {
  /** Matched against the call's name (`InvocationRecord.calls`), e.g. /^GET .*\/incident\//. */
  beforeCall: RegExp;
}

export interface HeldRun {
  invocationId: string;
  /** The outbound call the run is held before (1-based), and its name. */
  atCall: number;
  call: string;
}

/** A run stopped at a hold point until the test releases it: the test decides what happens in between. */
export interface Hold {
  readonly point: HoldPoint;
  /** Resolves once a run is waiting at the hold point. */
  readonly reached: Promise<HeldRun>;
  /** The held run, once one reached the point. */
  readonly held: HeldRun | undefined;
  /** Lets the held run go on (or, before one arrives, lets the next one pass unheld). */
  release(): void;
  readonly released: boolean;
}

const matches = (m: RunMatch, run: { functionKey: string; moduleType: string }) =>
  (!m.functionKey || m.functionKey === run.functionKey) && (!m.moduleType || m.moduleType === run.moduleType);

class ArmedCrash implements CrashInjection {
  readonly crashes: CrashHit[] = [];
  runsWatched = 0;
  private remaining: number;
  private over = false;

  constructor(readonly fault: CrashFault) {
    this.remaining = fault.times ?? 1;
  }

  get armed(): boolean {
    return !this.over && this.remaining > 0;
  }

  disarm(): void {
    this.over = true;
  }

  /** A matching run starts: it is watched unless the injection names another run. */
  watch(): number | undefined {
    const run = ++this.runsWatched;
    return this.fault.inRun === undefined || this.fault.inRun === run ? run : undefined;
  }

  hit(h: CrashHit): void {
    this.crashes.push(h);
    this.remaining -= 1;
  }

  /** The named run ended without reaching the call: the crash did not happen. */
  ended(run: number): void {
    if (this.fault.inRun === run) this.over = true;
  }
}

class PendingHold implements Hold {
  readonly reached: Promise<HeldRun>;
  held: HeldRun | undefined;
  released = false;
  private resolveReached!: (h: HeldRun) => void;
  private resolveRelease!: () => void;
  private readonly releasePromise: Promise<void>;

  constructor(readonly point: HoldPoint) {
    this.reached = new Promise((r) => (this.resolveReached = r));
    this.releasePromise = new Promise((r) => (this.resolveRelease = r));
  }

  release(): void {
    this.released = true;
    this.resolveRelease();
  }

  take(h: HeldRun): Promise<void> {
    this.held = h;
    this.resolveReached(h);
    return this.releasePromise;
  }
}

/** A run's view of the faults and holds armed when it started. */
export interface RunFaults {
  /** Whether the run is to crash before it starts. */
  crashBeforeStart(): CrashHit | undefined;
  /** Whether the run is to crash before call `n` (named `call`). */
  crashBefore(n: number, call: string): CrashHit | undefined;
  /** A hold the run must wait at before call `n`, if any: resolves when released. */
  holdBefore(n: number, call: string): Promise<void> | undefined;
  /** The run finished (any outcome but an injected crash). */
  end(): void;
}

/** The platform's armed crashes and holds. */
export class FaultBoard {
  private crashes: ArmedCrash[] = [];
  private holds: PendingHold[] = [];

  injectCrash(fault: CrashFault): CrashInjection {
    const c = new ArmedCrash(fault);
    this.crashes.push(c);
    return c;
  }

  holdBefore(point: HoldPoint): Hold {
    const h = new PendingHold(point);
    this.holds.push(h);
    return h;
  }

  clear(): void {
    for (const c of this.crashes) c.disarm();
    for (const h of this.holds) h.release();
    this.crashes = [];
    this.holds = [];
  }

  forRun(run: { invocationId: string; functionKey: string; moduleKey: string; moduleType: string }): RunFaults {
    this.crashes = this.crashes.filter((c) => c.armed);
    const watched = this.crashes
      .filter((c) => matches(c.fault, run))
      .flatMap((c) => {
        const n = c.watch();
        return n === undefined ? [] : [{ crash: c, run: n }];
      });
    const crashAt = (n: number, call?: string): CrashHit | undefined => {
      const due = ({ atOutboundCall, beforeCall }: CrashFault) =>
        beforeCall ? call !== undefined && n >= atOutboundCall && beforeCall.test(call) : atOutboundCall === n;
      const w = watched.find((x) => x.crash.armed && due(x.crash.fault));
      if (!w) return undefined;
      const hit: CrashHit = {
        invocationId: run.invocationId,
        functionKey: run.functionKey,
        moduleKey: run.moduleKey,
        run: w.run,
        atCall: n,
        ...(call === undefined ? {} : { call }),
      };
      w.crash.hit(hit);
      return hit;
    };
    return {
      crashBeforeStart: () => {
        const w = watched.find((x) => x.crash.armed && x.crash.fault.atOutboundCall <= 0);
        return w ? crashAt(w.crash.fault.atOutboundCall) : undefined;
      },
      crashBefore: (n, call) => crashAt(n, call),
      holdBefore: (n, call) => {
        const h = this.holds.find(
          (x) => !x.held && !x.released && matches(x.point, run) && x.point.beforeCall.test(call),
        );
        if (!h) return undefined;
        this.holds = this.holds.filter((x) => x !== h);
        return h.take({ invocationId: run.invocationId, atCall: n, call });
      },
      end: () => watched.forEach((w) => w.crash.ended(w.run)),
    };
  }
}
