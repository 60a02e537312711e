/**
 * What Forge bills and limits, counted per invocation and in total, so benchmarks
 * can report cost per synced change (forge-platform.md §9).
 */
export const KVS_UNIT_BYTES = 10 * 1024;

export interface KvsCounters {
  reads: number;
  writes: number;
  readBytes: number;
  writeBytes: number;
  /** Forge rounds every request up to 10 KB units. */
  readUnits: number;
  writeUnits: number;
}

export interface InvocationRecord {
  invocationId: string;
  installationId: string;
  functionKey: string;
  moduleType: string;
  moduleKey: string;
  startedAt: number;
  durationMs: number;
  memoryMB: number;
  gbSeconds: number;
  outcome: 'success' | 'error' | 'timeout' | 'crash' | 'retry-requested';
  error?: string;
  kvs: KvsCounters;
  /** Each KVS request in order: its wire path and the keys it named (`entity/key` for custom entities), for finding where operations go. */
  kvsCalls: Array<{ path: string; keys: string[] }>;
  /** Each product or egress request in order (`METHOD url`), for finding where calls go. */
  requests: string[];
  eventsPushed: number;
  productRequests: number;
  egressRequests: number;
  /** Every call that left the function (KVS, events, product, egress), in the order an injected crash counts them. */
  outboundCalls: number;
  /**
   * Those calls by name, in the same order (`calls[n - 1]` is call n; see call-names.ts): what a crash "before call n"
   * stops before, and where a test finds a call by what it does. A crashed run's last entry is the call it never made.
   */
  calls: string[];
  /** What the function wrote to stdout/stderr (console.log and friends). */
  logs: string[];
}

export interface MeterTotals {
  invocations: number;
  byModuleType: Record<string, number>;
  durationMs: number;
  gbSeconds: number;
  kvs: KvsCounters;
  eventsPushed: number;
  productRequests: number;
  egressRequests: number;
  failures: number;
}

export function emptyKvsCounters(): KvsCounters {
  return { reads: 0, writes: 0, readBytes: 0, writeBytes: 0, readUnits: 0, writeUnits: 0 };
}

export function addKvs(target: KvsCounters, kind: 'read' | 'write', bytes: number): void {
  const units = Math.max(1, Math.ceil(bytes / KVS_UNIT_BYTES));
  if (kind === 'read') {
    target.reads += 1;
    target.readBytes += bytes;
    target.readUnits += units;
  } else {
    target.writes += 1;
    target.writeBytes += bytes;
    target.writeUnits += units;
  }
}

export function gbSeconds(memoryMB: number, durationMs: number): number {
  return (memoryMB / 1024) * (durationMs / 1000);
}

export class Meter {
  private records: InvocationRecord[] = [];
  /** KVS operations made outside any invocation (platform setup, tests). */
  readonly outsideInvocations = emptyKvsCounters();

  record(rec: InvocationRecord): void {
    this.records.push(rec);
  }

  invocations(
    filter?: Partial<Pick<InvocationRecord, 'installationId' | 'functionKey' | 'moduleType'>>,
  ): InvocationRecord[] {
    return this.records.filter(
      (r) =>
        (!filter?.installationId || r.installationId === filter.installationId) &&
        (!filter?.functionKey || r.functionKey === filter.functionKey) &&
        (!filter?.moduleType || r.moduleType === filter.moduleType),
    );
  }

  totals(filter?: Parameters<Meter['invocations']>[0]): MeterTotals {
    const totals: MeterTotals = {
      invocations: 0,
      byModuleType: {},
      durationMs: 0,
      gbSeconds: 0,
      kvs: emptyKvsCounters(),
      eventsPushed: 0,
      productRequests: 0,
      egressRequests: 0,
      failures: 0,
    };
    for (const r of this.invocations(filter)) {
      totals.invocations += 1;
      totals.byModuleType[r.moduleType] = (totals.byModuleType[r.moduleType] ?? 0) + 1;
      totals.durationMs += r.durationMs;
      totals.gbSeconds += r.gbSeconds;
      for (const k of Object.keys(totals.kvs) as (keyof KvsCounters)[]) totals.kvs[k] += r.kvs[k];
      totals.eventsPushed += r.eventsPushed;
      totals.productRequests += r.productRequests;
      totals.egressRequests += r.egressRequests;
      if (r.outcome !== 'success') totals.failures += 1;
    }
    return totals;
  }

  reset(): void {
    this.records = [];
  }
}
