/** The Azure DevOps simulator and the OPS project as the model harness drives them (see adapter.ts). */
import type { Sandbox } from '../../sandbox';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../demo/azure-devops-connection';
import { DEMO_CREDENTIALS as ADO } from '.';
import { deliveryHeaders } from './hooks';
import type { WorkItemRecord } from './store';
import { azureDevOpsClient, patch } from './test-client';
import {
  addModelIssueTypes,
  assertTyped,
  canonicalDay,
  modelTypeSettings,
  canonicalLabels,
  canonicalNumber,
  dayStartInZone,
  FAULTED_REQUESTS,
  LASTING_FAULT,
  typedPairs,
  bodyFormatsOf,
  type RemoteAdapter,
  type RemoteFault,
} from '../../../test/model/adapter';

// The demo's value maps, both ways; Jira's "Waiting for customer" and "Highest" have no Azure DevOps value, so the model never writes them.
const STATE_OF: Record<string, string> = {
  'To Do': 'New',
  'In Progress': 'Active',
  'In Review': 'Resolved',
  Done: 'Closed',
};
const STATUS_OF: Record<string, string> = Object.fromEntries(Object.entries(STATE_OF).map(([k, v]) => [v, k]));
const PRIORITY_VALUE_OF: Record<string, number> = { High: 1, Medium: 2, Low: 3, Lowest: 4 };
const PRIORITY_OF: Record<string, string> = Object.fromEntries(
  Object.entries(PRIORITY_VALUE_OF).map(([k, v]) => [String(v), k]),
);
/** The tag people put on work items the model's connection takes to Jira. */
const MODEL_TAG = 'model';
const tagsOf = (w: WorkItemRecord) =>
  String(w.fields['System.Tags'] ?? '')
    .split(/;\s*/)
    .filter(Boolean);
/** The model's people (Jira roles) and their Azure DevOps identities: Ada by her email (an identity the model adds), Lee by the user table (Dana). */
const ADA = 'admin@demo.example';
const UNIQUE_NAME_OF: Record<string, string> = { admin: ADA, 'project-lead': ADO.agent.uniqueName };
const P = `/${ADO.organization}/${ADO.project}/_apis/wit`;
/**
 * The Bug's typed fields the model pairs: the due date a date-time (a day in Jira), the affected users a whole
 * number, the environment a picklist whose "Development" Jira has no option for (the model never picks it).
 */
const DUE = 'Microsoft.VSTS.Scheduling.DueDate';
const COUNT = 'Custom.AffectedUsers';
const TIER = 'Custom.Environment';
/** The connection's time zone: an hour ahead of UTC in winter, so a day's start there is the day before in UTC. */
const TIME_ZONE = 'Europe/Berlin';
/** The model's types: Bugs (Jira's Tasks, as the demo pairs them) under Epics, by Parent links. */
const MODEL_TYPES = { Task: 'Bug', Epic: 'Epic' } as const;

export function azureDevOpsAdapter(): RemoteAdapter {
  let sandbox: Sandbox;
  /** Dana, a person working in Azure DevOps. */
  const agent = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
  /** As a person, a file into the organization's file store (not yet on any work item). */
  const upload = async (fileName: string, bytes: Buffer): Promise<{ url: string }> => {
    const up = await agent()<{ url: string }>(
      'POST',
      `${P}/attachments?fileName=${encodeURIComponent(fileName)}`,
      new Uint8Array(bytes),
    );
    if (up.status >= 300) throw new Error(`upload answered ${up.status}`);
    return up.json;
  };
  const control = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${sandbox.sims.azureDevOps.controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const store = () => sandbox.azureDevOps.store;
  const notifier = () => sandbox.azureDevOps.notifier;
  const items = () => [...store().items(store().org(ADO.organization)!).values()].filter((i) => !i.deleted);
  const item = (id: string): WorkItemRecord => store().items(store().org(ADO.organization)!).get(Number(id))!;
  const ok = async (what: string, res: Promise<{ status: number; text: string }>) => {
    const { status, text } = await res;
    if (status >= 300) throw new Error(`Azure DevOps answered ${status} to ${what}: ${text.slice(0, 200)}`);
  };
  const integration = () => store().findIdentity(ADO.integration.uniqueName)!;
  const assigneeOf = (w: WorkItemRecord): string => {
    const v = w.fields['System.AssignedTo'] as { identityId?: string } | undefined;
    if (!v?.identityId) return '';
    const who = store().identity(v.identityId)?.uniqueName ?? v.identityId;
    return (
      Object.entries(UNIQUE_NAME_OF).find(([, u]) => u.toLowerCase() === who.toLowerCase())?.[0] ?? `identity ${who}`
    );
  };
  return {
    name: 'azure-devops',
    projectKey: OPS_PROJECT.key,
    connectionId: OPS_CONNECTION_ID,
    // Mia is no member of OPS; Lee (the project lead) is, and works there.
    jiraRole: 'project-lead',
    labels: true,
    statuses: Object.keys(STATE_OF),
    priorities: Object.keys(PRIORITY_VALUE_OF),
    // Azure DevOps refuses longer titles rather than cutting them; Jira's summary stops at 255 too.
    summaryLimit: 255,
    hasInternalComments: false,
    ruleChoice: {
      field: 'Microsoft.VSTS.Common.Severity',
      bugHighest: '1 - Critical',
      task: '4 - Low',
      fallback: '3 - Medium',
      other: '2 - High',
    },
    people: ['', 'admin', 'project-lead'],
    typed: ['due', 'count', 'tier'],
    timeZone: TIME_ZONE,
    modelTypes: MODEL_TYPES,
    async setup(s, opts) {
      sandbox = s;
      if (opts?.types) await addModelIssueTypes(s, OPS_PROJECT.key);
      s.azureDevOps.store.addIdentity('Ada Admin', ADA);
      const lead = s.jira.site.state.users.find((u) => u.role === 'project-lead')!;
      const admin = s.jira.site.state.users.find((u) => u.role === 'admin')!;
      const saved = await s.platform.invokeResolver({
        installationId: s.installationId,
        moduleKey: 'crosswalk-settings',
        functionKey: 'saveConnection',
        accountId: admin.accountId,
        context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
        payload: {
          connectionId: OPS_CONNECTION_ID,
          settings: {
            ...demoAzureDevOpsConnection,
            remoteFilter: [{ field: 'System.Tags', op: 'contains', value: MODEL_TAG }],
            ...modelTypeSettings(MODEL_TYPES, opts),
            timeZone: TIME_ZONE,
            fields: [
              ...demoAzureDevOpsConnection.fields,
              { jira: 'assignee', remote: 'System.AssignedTo', transform: 'user' },
              ...typedPairs({ due: { remote: DUE }, count: { remote: COUNT }, tier: { remote: TIER } }),
            ],
            users: {
              matchByEmail: true,
              table: [{ jiraAccountId: lead.accountId, remoteUserId: ADO.agent.uniqueName }],
            },
          },
        },
      });
      const body = saved.ok ? (saved.body as { ok?: boolean; data?: { pushSetup?: { ok?: boolean } } }) : undefined;
      if (!body?.ok || !body.data?.pushSetup?.ok)
        throw new Error(`Could not configure the model connection: ${JSON.stringify(saved)}`);
      assertTyped(saved, this.typed);
      if (store().subscriptions.length !== 4)
        throw new Error(`Expected the connection's 4 service hooks, found ${store().subscriptions.length}`);
      notifier().control.paused = true;
    },
    remotesForIssue(issueId) {
      const suffix = `:${OPS_CONNECTION_ID}:${issueId}`;
      return items()
        .filter((i) =>
          String(i.fields['System.Tags'] ?? '')
            .split(/;\s*/)
            .some((t) => t.startsWith('crosswalk:') && t.endsWith(suffix)),
        )
        .map((i) => String(i.id));
    },
    field: (id, name) => String(item(id).fields[name] ?? ''),
    read(id) {
      const w = item(id);
      const state = String(w.fields['System.State'] ?? '');
      const priority = String(w.fields['Microsoft.VSTS.Common.Priority'] ?? '');
      return {
        id,
        summary: String(w.fields['System.Title'] ?? ''),
        status: STATUS_OF[state] ?? `state ${state}`,
        priority: PRIORITY_OF[priority] ?? `priority ${priority}`,
        labels: canonicalLabels(tagsOf(w)),
        assignee: assigneeOf(w),
        due: canonicalDay(w.fields[DUE], TIME_ZONE),
        count: canonicalNumber(w.fields[COUNT]),
        tier: String(w.fields[TIER] ?? ''),
        comments: w.comments
          .map((c) => c.versions.at(-1)!)
          .filter((v) => !v.isDeleted)
          .map((v) => ({ text: v.text, internal: false })),
        files: w.relations.filter((r) => r.rel === 'AttachedFile').map((r) => String(r.attributes.name ?? '')),
      };
    },
    async create(summary, raw = {}) {
      const { 'System.WorkItemType': type = 'Bug', ...more } = raw;
      const res = await agent()<{ id: number }>(
        'POST',
        `${P}/workitems/$${encodeURIComponent(type)}`,
        patch({ 'System.Title': summary, 'System.Tags': MODEL_TAG, 'Microsoft.VSTS.Common.Priority': 2, ...more }),
      );
      if (res.status >= 300) throw new Error(`create answered ${res.status}: ${res.text.slice(0, 200)}`);
      return String(res.json.id);
    },
    hierarchy: {
      levels: [
        { jira: 'Epic', remote: 'Epic' },
        { jira: 'Story', remote: 'User Story' },
        { jira: 'Sub-task', remote: 'Task' },
      ],
      parentOf(id) {
        const up = (item(id).relations ?? []).find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
        return up ? (/\/(\d+)$/.exec(up.url)?.[1] ?? '') : '';
      },
      async setParent(id, parentId) {
        // As the web form does: the old Parent link removed by its index, the new one added, in one update.
        const at = (item(id).relations ?? []).findIndex((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
        const ops = [
          ...(at >= 0 ? [{ op: 'remove', path: `/relations/${at}` }] : []),
          ...(parentId
            ? [
                {
                  op: 'add',
                  path: '/relations/-',
                  value: {
                    rel: 'System.LinkTypes.Hierarchy-Reverse',
                    url: `${sandbox.sims.azureDevOps.baseUrl}/_apis/wit/workItems/${parentId}`,
                  },
                },
              ]
            : []),
        ];
        await ok(`a parent of ${id}`, agent()('PATCH', `${P}/workitems/${id}`, ops));
      },
    },
    related: {
      relatedOf: (id) =>
        (item(id).relations ?? [])
          .filter((r) => r.rel === 'System.LinkTypes.Related')
          .map((r) => /\/(\d+)$/.exec(r.url)?.[1] ?? ''),
      async link(id, otherId, remove = false) {
        const at = (item(id).relations ?? []).findIndex(
          (r) => r.rel === 'System.LinkTypes.Related' && r.url.endsWith(`/${otherId}`),
        );
        const op = remove
          ? { op: 'remove', path: `/relations/${at}` }
          : {
              op: 'add',
              path: '/relations/-',
              value: {
                rel: 'System.LinkTypes.Related',
                url: `${sandbox.sims.azureDevOps.baseUrl}/_apis/wit/workItems/${otherId}`,
              },
            };
        await ok(`a related link of ${id}`, agent()('PATCH', `${P}/workitems/${id}`, [op]));
      },
    },
    // Agile's Bug has Resolved, its Task goes from Active to Closed: the types' workflows differ.
    typeMap: {
      types: [
        { jira: 'Bug', remote: 'Bug', status: { 'To Do': 'New', 'In Progress': 'Active', Done: 'Resolved' } },
        { jira: 'Story', remote: 'User Story', status: { 'To Do': 'New', 'In Progress': 'Active', Done: 'Closed' } },
        { jira: 'Task', remote: 'Task', status: { 'To Do': 'New', 'In Progress': 'Active', Done: 'Closed' } },
      ],
      unmapped: 'Feature',
    },
    async edit(id, change) {
      const fields: Record<string, unknown> = {};
      if (change.summary !== undefined) fields['System.Title'] = change.summary;
      if (change.priority !== undefined) fields['Microsoft.VSTS.Common.Priority'] = PRIORITY_VALUE_OF[change.priority]!;
      if (change.status !== undefined) fields['System.State'] = STATE_OF[change.status]!;
      if (change.assignee !== undefined)
        fields['System.AssignedTo'] = change.assignee ? UNIQUE_NAME_OF[change.assignee]! : '';
      // A person's date picker in the connection's zone writes the day's start there; '' empties a field.
      if (change.due !== undefined)
        fields[DUE] = change.due ? new Date(dayStartInZone(change.due, TIME_ZONE)).toISOString() : '';
      if (change.count !== undefined) fields[COUNT] = change.count === '' ? '' : Number(change.count);
      if (change.tier !== undefined) fields[TIER] = change.tier;
      // A person changes the tags they mean and leaves the others (the model's own tag, Crosswalk's marker) as they are.
      if (change.labels !== undefined)
        fields['System.Tags'] = [
          ...tagsOf(item(id)).filter((t) => canonicalLabels([t]) === ''),
          ...change.labels.split(',').filter(Boolean),
        ].join('; ');
      await ok(`an edit of ${id}`, agent()('PATCH', `${P}/workitems/${id}`, patch(fields)));
    },
    async setFields(id, raw) {
      await ok(`an edit of ${id}`, agent()('PATCH', `${P}/workitems/${id}`, patch(raw)));
    },
    async comment(id, text, internal) {
      if (internal) throw new Error('Azure DevOps has no internal comments');
      await ok(
        `a comment on ${id}`,
        agent()('POST', `${P}/workItems/${id}/comments?api-version=7.1-preview.4`, { text: `<p>${text}</p>` }),
      );
    },
    async attach(id, fileName, bytes) {
      const up = await upload(fileName, bytes);
      await ok(
        `attaching ${fileName} to ${id}`,
        agent()('PATCH', `${P}/workitems/${id}`, [
          {
            op: 'add',
            path: '/relations/-',
            value: { rel: 'AttachedFile', url: up.url, attributes: { comment: 'from the model' } },
          },
        ]),
      );
    },
    async deleteFile(id, fileName) {
      const w = item(id);
      const index = w.relations.findIndex((r) => r.rel === 'AttachedFile' && r.attributes.name === fileName);
      if (index < 0) throw new Error(`no file ${fileName} on ${id}`);
      await ok(
        `removing ${fileName} from ${id}`,
        agent()('PATCH', `${P}/workitems/${id}`, [{ op: 'remove', path: `/relations/${index}` }]),
      );
    },
    async fault(kind: RemoteFault, on: boolean) {
      if (kind === 'refuse-writes') {
        if (on)
          await control('/faults', {
            user: ADO.integration.uniqueName,
            method: 'PATCH',
            path: '/_apis/wit/workitems/',
            status: 400,
            body: {
              $id: '1',
              innerException: null,
              message: 'VS402625: The work item cannot be saved: it is locked by a process rule.',
              typeName: 'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemSaveFailedException',
              typeKey: 'WorkItemSaveFailedException',
              errorCode: 0,
              eventId: 3200,
            },
            times: LASTING_FAULT,
          });
        else await control('/faults', undefined, 'DELETE');
        return;
      }
      // Faults hit the integration's PAT only: people keep working in Azure DevOps, except in an outage.
      const user = ADO.integration.uniqueName;
      if (!on) {
        if (kind === 'bad-credentials') {
          integration().pats.add(ADO.integration.pat);
          await control('/sign-in-page', { on: false }, 'PUT');
        } else await control('/faults', undefined, 'DELETE');
        return;
      }
      switch (kind) {
        case 'rate-limit':
        case 'rate-limit-lasting':
          // Blocked as the service blocks: TF400733 with Retry-After.
          await control('/faults', {
            user,
            status: 429,
            headers: {
              'Retry-After': '30',
              'X-RateLimit-Resource': 'WorkItemTrackingResource',
              'X-RateLimit-Limit': '200',
              'X-RateLimit-Remaining': '0',
            },
            body: {
              $id: '1',
              innerException: null,
              message:
                "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'WorkItemTrackingResource' in namespace 'User'.",
              typeName:
                'Microsoft.TeamFoundation.Framework.Server.RequestBlockedException, Microsoft.TeamFoundation.Framework.Server',
              typeKey: 'RequestBlockedException',
              errorCode: 0,
              eventId: 3000,
            },
            times: kind === 'rate-limit-lasting' ? LASTING_FAULT : FAULTED_REQUESTS['rate-limit'],
          });
          return;
        case 'server-error':
          await control('/faults', { user, status: 503, times: FAULTED_REQUESTS['server-error'] });
          return;
        case 'timeout':
          await control('/faults', { user, drop: true, times: FAULTED_REQUESTS.timeout });
          return;
        case 'outage':
          // Everyone, for as long as it lasts.
          await control('/faults', {
            status: 503,
            body: {
              message: 'TF400893: Azure DevOps Services is unavailable.',
              typeKey: 'ServiceUnavailableException',
            },
            times: 1_000_000,
          });
          return;
        case 'bad-credentials':
          // The PAT is revoked: work item reads and WIQL get the sign-in page (203), other calls 401.
          integration().pats.delete(ADO.integration.pat);
          await control('/sign-in-page', { on: true, mode: '203' }, 'PUT');
          return;
      }
    },
    notifications: {
      async deliver() {
        const n = notifier();
        n.control.paused = false;
        await n.flush();
        n.control.paused = true;
      },
      duplicateLast() {
        const last = notifier().sent.at(-1);
        const sub = last && store().subscriptions.find((s) => s.id === last.subscriptionId);
        if (last && sub) notifier().queue.push({ sub, body: last.body, headers: deliveryHeaders(sub) });
      },
      lose() {
        const n = notifier().queue.length;
        notifier().queue.length = 0;
        return n;
      },
    },
    format: bodyFormatsOf('azure-devops'),
    bodies: {
      description: (id) => String(item(id).fields['System.Description'] ?? ''),
      async setDescription(id, body) {
        await ok(
          `the description of ${id}`,
          agent()('PATCH', `${P}/workitems/${id}?api-version=7.1`, patch({ 'System.Description': body })),
        );
      },
      async comment(id, body) {
        await ok(
          `a comment on ${id}`,
          agent()('POST', `${P}/workItems/${id}/comments?api-version=7.1-preview.4`, { text: body }),
        );
      },
      // Lee (the project lead) is Dana there, by the user table; the editor names her identity by its id.
      get mention() {
        const dana = store().findIdentity(ADO.agent.uniqueName)!;
        return {
          role: 'project-lead' as const,
          markup: `<a href="#" data-vss-mention="version:2.0,${dana.id}">@${dana.displayName}</a>`,
        };
      },
      async pasteImage(_id, fileName, bytes) {
        // The work item form writes the file's URL with its name into the <img>.
        const url = new URL((await upload(fileName, bytes)).url);
        url.searchParams.set('fileName', fileName);
        return url.toString();
      },
      comments: (id) =>
        item(id)
          .comments.map((c) => c.versions.at(-1)!)
          .filter((v) => !v.isDeleted)
          .map((v) => v.text),
    },
    async writesByCrosswalk() {
      const log = (await (await control('/requests', undefined, 'GET')).json()) as Array<{
        method: string;
        path: string;
        user: string;
      }>;
      // Queries are POSTs too, but change nothing.
      return log.filter(
        (r) => r.method !== 'GET' && r.user === ADO.integration.uniqueName && !/\/(wiql|workitemsbatch)$/i.test(r.path),
      ).length;
    },
  };
}

/** The model harness's adapter for this system (test/model/adapters.ts finds it by the registry's kind). */
export const modelAdapter = azureDevOpsAdapter;
