export { startPlatform, Platform } from './platform';
export type {
  PlatformOptions,
  InstallOptions,
  Installation,
  ChaosOptions,
  ResolverCall,
  ResolverResult,
  WebTriggerRequest,
  WebTriggerResponse,
} from './platform';
export { ManualClock, RealClock, type Clock } from './clock';
export type { CrashFault } from './invoker';
export type { InvocationRecord, MeterTotals } from './metering';
export * from './contracts';
export { CustomerEgress, EgressRequestError, type EgressGroup } from './customer-egress';
