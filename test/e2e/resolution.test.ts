/**
 * Resolutions both ways, for every system, configured as a project lead does (the settings resolver): Jira's
 * resolution ↔ ServiceNow's close code and close notes, Azure DevOps's resolved reason, and Zendesk's solved
 * ticket. A resolution made on one side arrives on the other with why and who, once; what Crosswalk wrote never
 * comes back, and text meant for the remote's own people stays internal in Jira.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import { DEMO_CONNECTION_ID, demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { SUP_CONNECTION_ID } from '../../sandbox/demo/zendesk-connection';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch } from '../../sandbox/sims/azure-devops/test-client';
import { DEMO_CREDENTIALS as SN } from '../../sandbox/sims/servicenow';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import { DEMO_CREDENTIALS as ZD } from '../../sandbox/sims/zendesk';
import { zendeskClient } from '../../sandbox/sims/zendesk/test-client';

let sandbox: Sandbox;
let jira: ReturnType<Sandbox['jiraClient']>;

const DEMO_PROJECT = { id: '10000', key: 'DEMO' } as const;
const asLead = (project: { id: string; key: string }, functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  }) as Promise<{ body: { ok: boolean; error?: unknown } }>;

const settle = async () => {
  await sandbox.platform.settle();
  await sandbox.settle();
};

async function newIssue(projectKey: string, summary: string): Promise<{ id: string; key: string }> {
  sandbox.platform.manualClock.advance(1000);
  const created = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary },
  });
  expect(created.status).toBe(201);
  await settle();
  return created.json;
}

/** Moves the issue along the workflow to `target` as a person would, naming the resolution on the last step. */
async function moveJira(key: string, target: string, resolution?: string): Promise<void> {
  const order = ['In Progress', 'In Review', 'Done'];
  for (let step = 0; step < 4; step++) {
    const status = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=status`)).json.fields
      .status.name as string;
    if (status === target) return;
    const { transitions } = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}/transitions`))
      .json as { transitions: Array<{ id: string; to: { name: string } }> };
    const next =
      transitions.find((t) => t.to.name === target) ??
      transitions.find((t) => t.to.name === order[order.indexOf(status) + 1]);
    if (!next) throw new Error(`No way from ${status} toward ${target}`);
    sandbox.platform.manualClock.advance(1000);
    const moved = await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: next.id },
      ...(next.to.name === target && resolution ? { fields: { resolution: { name: resolution } } } : {}),
    });
    expect(moved.status).toBe(204);
  }
  throw new Error(`${key} did not reach ${target}`);
}

const jiraState = async (key: string) => {
  const issue = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=status,resolution`)).json;
  const comments = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}/comment?expand=properties`))
    .json.comments as Array<{ body: unknown; properties?: Array<{ key: string; value: unknown }> }>;
  return {
    status: issue.fields.status.name as string,
    resolution: (issue.fields.resolution?.name ?? null) as string | null,
    comments: comments.map((c) => ({
      text: adfText(c.body),
      internal: (c.properties ?? []).some(
        (p) => p.key === 'sd.public.comment' && (p.value as { internal?: boolean }).internal === true,
      ),
    })),
  };
};
const adfText = (node: unknown): string => {
  const n = node as { type?: string; text?: string; content?: unknown[] };
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'hardBreak') return '\n';
  const inner = (n.content ?? []).map(adfText);
  return n.type === 'doc' ? inner.join('\n') : inner.join('');
};
const myName = async () =>
  (await jira.request({ as: 'admin' }, 'GET', '/rest/api/3/myself')).json.displayName as string;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
  await settle();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

describe('ServiceNow: close code and close notes ↔ Jira resolution', () => {
  const agent = () => serviceNowClient(sandbox.sims.servicenow, SN.agent);
  const incidentOf = async (issueId: string) =>
    (
      await agent()(
        'GET',
        `/api/now/table/incident?sysparm_query=correlation_idENDSWITH${encodeURIComponent(`:${DEMO_CONNECTION_ID}:${issueId}`)}`,
      )
    ).json.result[0] as Record<string, string>;

  it('is saved with the codes the project lead pairs', async () => {
    const saved = await asLead(DEMO_PROJECT, 'saveConnection', {
      connectionId: DEMO_CONNECTION_ID,
      settings: {
        ...demoServiceNowConnection,
        resolution: {
          direction: 'both',
          codes: [
            { jira: "Won't Do", remote: 'No resolution provided' },
            { jira: 'Duplicate', remote: 'Duplicate' },
          ],
        },
      },
    });
    expect(saved.body).toMatchObject({ ok: true });
  });

  it("resolves the incident with the code paired with Jira's resolution and notes saying who resolved it", async () => {
    const issue = await newIssue('DEMO', 'Printer queue stuck');
    await moveJira(issue.key, 'Done', "Won't Do");
    await settle();
    const incident = await incidentOf(issue.id);
    expect(incident).toMatchObject({
      state: '6',
      close_code: 'No resolution provided',
      close_notes: `Resolved in Jira (${issue.key}) by ${await myName()} as Won't Do.`,
    });
    // Nothing comes back: Jira keeps its resolution and gets no comment of its own resolution.
    await settle();
    expect(await jiraState(issue.key)).toEqual({ status: 'Done', resolution: "Won't Do", comments: [] });
    expect((await incidentOf(issue.id)).sys_mod_count).toBe(incident.sys_mod_count);
  });

  it('is previewed as the sync writes it: the close code and notes go with the state that resolves the incident', async () => {
    const issue = await newIssue('DEMO', 'Badge printer jams');
    sandbox.platform.holdProductEvents();
    await moveJira(issue.key, 'Done', 'Duplicate');
    const listed = (await asLead(DEMO_PROJECT, 'listConnections', {})) as unknown as {
      body: { data: { connections: Array<{ config: Record<string, unknown> & { id: string } }> } };
    };
    const {
      id: connectionId,
      jiraProjectId: _p,
      credentialRev: _r,
      ...settings
    } = listed.body.data.connections.find((c) => c.config.id === DEMO_CONNECTION_ID)!.config;
    const preview = (await asLead(DEMO_PROJECT, 'previewItem', {
      connectionId,
      settings,
      item: { issueKey: issue.key },
    })) as unknown as { body: { data: { extra: Array<{ field: string; value: string; note: string }> } } };
    const notes = `Resolved in Jira (${issue.key}) by ${await myName()} as Duplicate.`;
    expect(preview.body.data.extra).toEqual(
      expect.arrayContaining([
        { field: 'close_code', value: 'Duplicate', note: expect.stringContaining("Jira's resolution “Duplicate”") },
        { field: 'close_notes', value: notes, note: expect.stringContaining("Jira's resolution “Duplicate”") },
      ]),
    );
    await sandbox.platform.releaseProductEvents();
    await settle();
    expect(await incidentOf(issue.id)).toMatchObject({ state: '6', close_code: 'Duplicate', close_notes: notes });
  });

  it('resolves the Jira issue as the resolution its close code pairs with, telling who, why and the notes internally', async () => {
    const issue = await newIssue('DEMO', 'VPN drops every hour');
    const incident = await incidentOf(issue.id);
    sandbox.platform.manualClock.advance(1000);
    const resolved = await agent()('PATCH', `/api/now/table/incident/${incident.sys_id}`, {
      state: '6',
      close_code: 'Duplicate',
      close_notes: 'Same cause as INC0000001: the concentrator was replaced.',
    });
    expect(resolved.status).toBe(200);
    await settle();
    const agentName = sandbox.servicenow.store.rows('sys_user').find((u) => u.user_name === SN.agent.username)!.name;
    expect(await jiraState(issue.key)).toEqual({
      status: 'Done',
      resolution: 'Duplicate',
      comments: [
        {
          text: `Resolved in ServiceNow (${incident.number}) by ${agentName}.\nResolution code: Duplicate.\nSame cause as INC0000001: the concentrator was replaced.`,
          internal: true,
        },
      ],
    });
    // Once: a further quiet period tells it again nowhere.
    await settle();
    expect((await jiraState(issue.key)).comments).toHaveLength(1);
    const after = await incidentOf(issue.id);
    expect(after).toMatchObject({
      close_code: 'Duplicate',
      close_notes: 'Same cause as INC0000001: the concentrator was replaced.',
    });
  });
});

describe('Azure DevOps: resolved reason ↔ Jira resolution', () => {
  const ado = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
  const workItemOf = async (issueId: string) => {
    const suffix = `:${OPS_CONNECTION_ID}:${issueId}`;
    const remoteId = [
      ...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org(ADO.organization)!).values(),
    ].find((i) =>
      String(i.fields['System.Tags'] ?? '')
        .split(/;\s*/)
        .some((t) => t.startsWith('crosswalk:') && t.endsWith(suffix)),
    )!.id;
    return (await ado()('GET', `/acme/Operations/_apis/wit/workitems/${remoteId}?api-version=7.1`)).json as {
      id: number;
      fields: Record<string, unknown>;
    };
  };
  const commentsOf = async (id: number) =>
    (
      (await ado()('GET', `/acme/Operations/_apis/wit/workItems/${id}/comments?api-version=7.1-preview.4`)).json as {
        comments: Array<{ text: string }>;
      }
    ).comments.map((c) => c.text);

  it('is saved with the reasons the project lead pairs', async () => {
    const saved = await asLead(OPS_PROJECT, 'saveConnection', {
      connectionId: OPS_CONNECTION_ID,
      settings: {
        ...demoAzureDevOpsConnection,
        resolution: {
          direction: 'both',
          codes: [
            { jira: "Won't Do", remote: 'Deferred' },
            { jira: 'Cannot Reproduce', remote: 'Cannot Reproduce' },
          ],
        },
      },
    });
    expect(saved.body).toMatchObject({ ok: true });
  });

  it("closes the work item with the reason paired with Jira's resolution, and says who in a comment", async () => {
    const issue = await newIssue('OPS', 'Nightly export times out');
    await moveJira(issue.key, 'Done', "Won't Do");
    await settle();
    const item = await workItemOf(issue.id);
    expect(item.fields['System.State']).toBe('Closed');
    expect(item.fields['Microsoft.VSTS.Common.ResolvedReason']).toBe('Deferred');
    expect(await commentsOf(item.id)).toContain(
      `<p>Resolved in Jira (${issue.key}) by ${await myName()} as Won't Do.</p>`,
    );
    await settle();
    expect(await jiraState(issue.key)).toMatchObject({ status: 'Done', resolution: "Won't Do", comments: [] });
  });

  it('tells a work item resolved in Azure DevOps on the issue, and resolves it as the paired resolution when closed', async () => {
    const issue = await newIssue('OPS', 'Login page flickers');
    const item = await workItemOf(issue.id);
    sandbox.platform.manualClock.advance(1000);
    const resolved = await ado()(
      'PATCH',
      `/acme/Operations/_apis/wit/workitems/${item.id}?api-version=7.1`,
      patch({ 'System.State': 'Resolved', 'Microsoft.VSTS.Common.ResolvedReason': 'Cannot Reproduce' }),
    );
    expect(resolved.status).toBe(200);
    await settle();
    const told = await jiraState(issue.key);
    expect(told.status).toBe('In Review');
    expect(told.comments).toEqual([
      {
        text: `Resolved in Azure DevOps (Bug ${item.id}) by ${ADO.agent.displayName}.\nResolved Reason: Cannot Reproduce.`,
        internal: true,
      },
    ]);
    sandbox.platform.manualClock.advance(1000);
    await ado()(
      'PATCH',
      `/acme/Operations/_apis/wit/workitems/${item.id}?api-version=7.1`,
      patch({ 'System.State': 'Closed' }),
    );
    await settle();
    expect(await jiraState(issue.key)).toMatchObject({ status: 'Done', resolution: 'Cannot Reproduce' });
    expect((await jiraState(issue.key)).comments).toHaveLength(1);
  });
});

describe("Zendesk: a solved ticket ↔ Jira's resolution", () => {
  const agent = () => zendeskClient(sandbox.sims.zendesk, ZD.agent);
  const ticketOf = (issueId: string) =>
    sandbox.zendesk.store
      .liveTickets()
      .find((t) => String(t.external_id ?? '').endsWith(`:${SUP_CONNECTION_ID}:${issueId}`))!;

  it('solves the ticket and tells the resolution in an internal note, never to the requester', async () => {
    const issue = await newIssue('SUP', 'Invoice shows the wrong VAT');
    await moveJira(issue.key, 'Done', "Won't Do");
    await settle();
    const ticket = ticketOf(issue.id);
    expect(ticket.status).toBe('solved');
    const comments = (
      (await agent()('GET', `/api/v2/tickets/${ticket.id}/comments.json`)).json as {
        comments: Array<{ body: string; public: boolean }>;
      }
    ).comments;
    expect(comments.filter((c) => c.body.includes('Resolved in Jira'))).toEqual([
      expect.objectContaining({
        body: `Resolved in Jira (${issue.key}) by ${await myName()} as Won't Do.`,
        public: false,
      }),
    ]);
    await settle();
    expect(await jiraState(issue.key)).toMatchObject({ status: 'Done', resolution: "Won't Do", comments: [] });
  });

  it("resolves the Jira issue as Done when an agent solves the ticket; the solving comment arrives as the ticket's comment", async () => {
    const issue = await newIssue('SUP', 'Cannot download receipts');
    const ticket = ticketOf(issue.id);
    sandbox.platform.manualClock.advance(1000);
    const solved = await agent()('PUT', `/api/v2/tickets/${ticket.id}.json`, {
      ticket: { status: 'solved', comment: { body: 'Receipts are back after the cache was cleared.', public: true } },
    });
    expect(solved.status).toBe(200);
    await settle();
    const state = await jiraState(issue.key);
    expect(state).toMatchObject({ status: 'Done', resolution: 'Done' });
    expect(state.comments.map((c) => c.text).join('\n')).toContain('Receipts are back after the cache was cleared.');
  });
});
