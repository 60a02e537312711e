import Resolver from '@forge/resolver';
import {
  bulkSyncProgressResolver,
  bulkSyncResolver,
  cancelBulkSyncResolver,
  deleteConnectionResolver,
  listConnectionsResolver,
  saveConnectionResolver,
  testConnectionResolver,
} from '../resolvers/connections';
import { adminOverviewResolver, saveSiteOptionsResolver } from '../resolvers/admin';
import { connectionActivityResolver, markConflictsReviewedResolver } from '../resolvers/activity';
import { changePushArrivalResolver, changePushSetupResolver, newSigningSecretResolver } from '../resolvers/change-push';
import { issuePanelAccessResolver } from '../resolvers/issue-access';
import {
  connectionFailuresResolver,
  countMatchingIssuesResolver,
  reorderConnectionsResolver,
  retryFailuresResolver,
} from '../resolvers/project-tools';
import { previewItemResolver, previewSummaryResolver } from '../resolvers/preview';
import { checkConnectionDraftResolver } from '../resolvers/draft-check';
import { remoteFieldsResolver } from '../resolvers/remote-fields';
import { searchRemoteUsersResolver } from '../resolvers/remote-users';
import { statusPathsResolver } from '../resolvers/status-paths';
import { userMatchesResolver } from '../resolvers/user-matches';
import { auditLogResolver } from '../resolvers/audit';
import { adoptionPreviewResolver, adoptPairsResolver } from '../resolvers/adoption';
import { alertSettingsResolver, saveAlertSettingsResolver, sendTestAlertResolver } from '../resolvers/alerts';
import { syncHealthResolver } from '../resolvers/sync-health';
import {
  createInRemoteResolver,
  getIssueSyncResolver,
  linkIssueResolver,
  searchRemoteResolver,
  syncIssueNowResolver,
  unlinkIssueResolver,
} from '../resolvers/issue-panel';

/** The Custom UI's resolvers; each checks the caller's Jira permission on the server (src/resolvers/guards.ts). */
const resolver = new Resolver();

resolver.define('listConnections', listConnectionsResolver);
resolver.define('saveConnection', saveConnectionResolver);
resolver.define('deleteConnection', deleteConnectionResolver);
resolver.define('testConnection', testConnectionResolver);
resolver.define('bulkSync', bulkSyncResolver);
resolver.define('bulkSyncProgress', bulkSyncProgressResolver);
resolver.define('cancelBulkSync', cancelBulkSyncResolver);
resolver.define('countMatchingIssues', countMatchingIssuesResolver);
resolver.define('connectionFailures', connectionFailuresResolver);
resolver.define('retryFailures', retryFailuresResolver);
resolver.define('reorderConnections', reorderConnectionsResolver);
resolver.define('changePushSetup', changePushSetupResolver);
resolver.define('newSigningSecret', newSigningSecretResolver);
resolver.define('changePushArrival', changePushArrivalResolver);
resolver.define('connectionActivity', connectionActivityResolver);
resolver.define('markConflictsReviewed', markConflictsReviewedResolver);
resolver.define('previewItem', previewItemResolver);
resolver.define('previewSummary', previewSummaryResolver);
resolver.define('checkConnectionDraft', checkConnectionDraftResolver);
resolver.define('statusPaths', statusPathsResolver);
resolver.define('userMatches', userMatchesResolver);
resolver.define('remoteFields', remoteFieldsResolver);
resolver.define('searchRemoteUsers', searchRemoteUsersResolver);
resolver.define('auditLog', auditLogResolver);
resolver.define('alertSettings', alertSettingsResolver);
resolver.define('saveAlertSettings', saveAlertSettingsResolver);
resolver.define('sendTestAlert', sendTestAlertResolver);
resolver.define('adoptionPreview', adoptionPreviewResolver);
resolver.define('adoptPairs', adoptPairsResolver);

resolver.define('getIssueSync', getIssueSyncResolver);
resolver.define('syncIssueNow', syncIssueNowResolver);
resolver.define('linkIssue', linkIssueResolver);
resolver.define('unlinkIssue', unlinkIssueResolver);
resolver.define('issuePanelAccess', issuePanelAccessResolver);
resolver.define('searchRemote', searchRemoteResolver);
resolver.define('createInRemote', createInRemoteResolver);

resolver.define('adminOverview', adminOverviewResolver);
resolver.define('saveSiteOptions', saveSiteOptionsResolver);

resolver.define('syncHealth', syncHealthResolver);

export const uiResolver = resolver.getDefinitions();
