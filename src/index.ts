// Entry points named in manifest.yml, and nothing else.
export { uiResolver } from './handlers/ui-resolver';
export { onJiraEvent } from './handlers/jira-events';
export { onRemoteWebhook } from './handlers/remote-webhook';
export { onReconcileSweep } from './handlers/reconcile-sweep';
export { runSyncJob } from './handlers/sync-worker';
export { onPersonalDataReport } from './handlers/personal-data';
export { onAlertCheck } from './handlers/alert-check';
