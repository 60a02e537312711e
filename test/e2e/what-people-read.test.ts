/**
 * What people read about a connection and a synced pair, for every system the
 * registry lists (a system added later is covered without a line here): the
 * connection page says in words how the remote's changes reach Crosswalk, and
 * a save says what it set up without raw ids; the issue panel names the linked
 * item as its system does, with its title; the preview's remote column holds
 * the remote's own values, not Jira's names for them; and a viewer (browse
 * only) cannot start a sync, on the page or on the server.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

type Answer = { ok: boolean; data?: any; error?: { code: string; message: string } };
type Project = { id: string; key: string };

async function settingsAs(role: string, project: Project, functionKey: string, payload?: unknown): Promise<Answer> {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId(role),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as Answer;
}

async function panelAs(role: string, issue: { id: string; key: string }, project: Project, functionKey: string) {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-panel',
    functionKey,
    accountId: jira.userId(role),
    context: { extension: { type: 'jira:issuePanel', issue, project } },
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as Answer;
}

/** The sandbox's connection to `kind`, found among the site's projects as the site admin (who administers every project). */
async function connectionTo(kind: string): Promise<{ project: Project; config: Record<string, any> }> {
  for (const p of sandbox.jira.site.state.projects) {
    const project = { id: p.id, key: p.key };
    const listed = await settingsAs('admin', project, 'listConnections');
    const view = listed.data?.connections.find(
      (c: { config: { remote: { type: string } } }) => c.config.remote.type === kind,
    );
    if (view) return { project, config: view.config };
  }
  throw new Error(`The sandbox pairs no project with ${kind}: add its demo connection`);
}

const settingsOf = ({ id: _id, jiraProjectId: _p, credentialRev: _r, ...settings }: Record<string, any>) => settings;

/** Ids as machines make them: ULIDs (Zendesk webhooks), GUIDs (Azure DevOps subscriptions), long numbers. */
const RAW_ID =
  /\b[0-9A-HJKMNP-TV-Z]{26}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b\d{7,}\b/i;

describe.each(implementedSystems().map((s) => [s.label, s] as const))('%s', (label, system) => {
  it('the connection page says in words how its changes reach Crosswalk; a save says what it set up, without raw ids', async () => {
    const { project, config } = await connectionTo(system.kind);
    const setup = await settingsAs('admin', project, 'changePushSetup', { connectionId: config.id });
    expect(setup.data).toMatchObject({ system: label, summary: system.texts.changePush });
    expect(system.texts.changePush).toContain(label);
    const saved = await settingsAs('admin', project, 'saveConnection', {
      connectionId: config.id,
      settings: settingsOf(config),
    });
    expect(saved.ok).toBe(true);
    if (!system.notifications.provision) return expect(saved.data.pushSetup).toBeNull();
    expect(saved.data.pushSetup).toMatchObject({ ok: true, description: expect.stringContaining(label) });
    expect(saved.data.pushSetup.description).not.toMatch(RAW_ID);
  });

  it('the issue panel names the linked item as the system does, with its title', async () => {
    const { project } = await connectionTo(system.kind);
    const summary = `Panel names for ${label}`;
    const issue = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: project.key }, issuetype: { name: 'Task' }, summary },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    const shown = (await panelAs('admin', issue, project, 'getIssueSync')).data;
    expect(shown).toMatchObject({ linked: true, remoteTitle: summary, lastError: null });
    // A bare number ("4") tells a person nothing of what it is: each system names its items its own way.
    expect(shown.remoteKey).toMatch(/\D/);
    // Jira's remote link names it the same way.
    const links = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/remotelink`)).json;
    expect(links).toEqual([expect.objectContaining({ object: expect.objectContaining({ title: shown.remoteKey }) })]);
  });

  it('the issue panel says when a Jira value is longer than the remote field holds, and where it was cut', async () => {
    const { project, config } = await connectionTo(system.kind);
    const summaryField = (config.fields as Array<{ jira: string; remote: string }>).find((m) => m.jira === 'summary')!;
    const max = system.capabilities.maxLengths[summaryField.remote];
    // Jira's own limit on a summary is 255: a remote that holds that much cuts nothing of it.
    const summary = `Long summary for ${label}: ${'words that go on '.repeat(14)}`.slice(0, 255).trim();
    const issue = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: project.key }, issuetype: { name: 'Task' }, summary },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    const shown = (await panelAs('admin', issue, project, 'getIssueSync')).data as {
      notices?: string[];
      remoteKey: string;
    };
    const said = (shown.notices ?? []).filter((n) => /longer than/.test(n));
    if (max === undefined || max >= summary.length) {
      expect(said).toEqual([]);
      return;
    }
    expect(said).toEqual([
      `The Jira summary is longer than ${shown.remoteKey}'s ${summaryField.remote} holds (${max} characters): it was cut there at ${max} characters, and stays whole in Jira.`,
    ]);
    // Jira keeps it whole.
    const now = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}?fields=summary`)).json;
    expect(now.fields.summary).toBe(summary);
  });

  it("the preview's remote column holds the remote's own values, not Jira's names for them", async () => {
    const { project, config } = await connectionTo(system.kind);
    const issue = (
      await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
        fields: {
          project: { key: project.key },
          issuetype: { name: 'Task' },
          summary: `Preview values for ${label}`,
          priority: { name: 'High' },
        },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    const preview = await settingsAs('admin', project, 'previewItem', {
      connectionId: config.id,
      settings: settingsOf(config),
      item: { issueKey: issue.key },
    });
    expect(preview.data.kind).toBe('update');
    const mapped = (
      config.fields as Array<{ jira: string; transform: string; valueMap?: Array<{ jira: string; remote: string }> }>
    ).filter((m) => m.transform === 'value-map');
    expect(mapped.length).toBeGreaterThan(0);
    for (const m of mapped) {
      const row = preview.data.rows.find((r: { jiraField: string }) => r.jiraField === m.jira);
      expect(row.remoteValue).not.toBeNull();
      // One of the remote's own values in the map, while Jira's column holds Jira's.
      expect(m.valueMap!.map((e) => e.remote.toLowerCase())).toContain(row.remoteValue.toLowerCase());
      expect(m.valueMap!.map((e) => e.jira)).toContain(row.jiraValue);
    }
  });
});

describe('Sync now', () => {
  it('is for people who may edit the issue: a viewer (browse only) is refused by the server, a member is not', async () => {
    const { project } = await connectionTo(implementedSystems()[0]!.kind);
    const issue = (
      await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: project.key }, issuetype: { name: 'Task' }, summary: 'Viewer asks for a sync' },
      })
    ).json as { id: string; key: string };
    await sandbox.settle();
    const viewer = await panelAs('viewer', issue, project, 'syncIssueNow');
    expect(viewer).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You need permission to edit this issue.' },
    });
    // What the panel offers follows: the viewer sees the sync state, and no action.
    expect((await panelAs('viewer', issue, project, 'getIssueSync')).ok).toBe(true);
    expect((await panelAs('viewer', issue, project, 'issuePanelAccess')).data.canEdit).toBe(false);
    expect(await panelAs('member', issue, project, 'syncIssueNow')).toEqual({ ok: true, data: { queued: true } });
  });
});
