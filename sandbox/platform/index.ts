export { startPlatform, Platform, DEFAULT_SETTLE_WITHIN_MS } from './platform';
export type {
  PlatformOptions,
  InstallOptions,
  Installation,
  ChaosOptions,
  ResolverCall,
  ResolverResult,
  WebTriggerRequest,
  WebTriggerResponse,
  SettleOptions,
  SettleResult,
} from './platform';
export { ManualClock, RealClock, type Clock } from './clock';
export type { CrashFault, CrashHit, CrashInjection, Hold, HeldRun, HoldPoint } from './faults';
export type { InvocationRecord, MeterTotals } from './metering';
export * from './contracts';
export { CustomerEgress, EgressRequestError, type EgressGroup } from './customer-egress';
