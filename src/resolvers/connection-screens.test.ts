/**
 * A connection that would write a Jira field the project's screen for its issue type does not hold is refused when
 * saved and when previewed, at that field, in words a project lead acts on; once the Jira admin puts the field back
 * on the screen, the same save goes through. Through the platform, against the Jira simulator's screens.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoServiceNowConnection, DEMO_CONNECTION_ID } from '../../sandbox/demo/servicenow-connection';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow'] });
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

const projectContext = { extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO' } } };

type Answer = {
  ok: boolean;
  data?: { config: { fields: Array<{ jira: string }>; jiraIssueType: string } };
  error?: { code: string; problems?: Array<{ path: string; message: string }> };
};

async function call(functionKey: string, payload: Record<string, unknown>): Promise<Answer> {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    accountId: sandbox.users.find((u) => u.role === 'project-lead')!.accountId,
    context: projectContext,
    payload,
  });
  if (!r.ok) throw new Error(`${functionKey} failed: ${r.error}`);
  return r.body as Answer;
}

/** The Jira admin's screen configuration: the field off, or back on, DEMO's screens for Bugs. */
async function bugScreen(method: 'PUT' | 'DELETE', fieldId: string): Promise<void> {
  const res = await fetch(`${sandbox.sims.jira.controlUrl}/projects/DEMO/screens/Bug/fields/${fieldId}`, { method });
  if (!res.ok) throw new Error(`screen ${method} ${fieldId}: ${res.status}`);
}

/** The demo connection creating Bugs, with the incident's close time written to the Jira due date. */
const dueDateDraft = (extra: Array<Record<string, unknown>> = []) => ({
  connectionId: DEMO_CONNECTION_ID,
  settings: {
    ...demoServiceNowConnection,
    jiraIssueType: 'Bug',
    fields: [
      ...demoServiceNowConnection.fields,
      { jira: 'duedate', remote: 'closed_at', direction: 'to-jira' },
      ...extra,
    ],
  },
});
const dueDateAt = `fields.${demoServiceNowConnection.fields.length}.jira`;
const offScreen =
  "Jira's field “Due date” is not on the Bug screen of project DEMO: add it to the screen, or map another field.";

describe("a mapped Jira field off the project's screen", () => {
  afterEach(async () => {
    await bugScreen('PUT', 'duedate');
    await bugScreen('PUT', 'customfield_10010');
  });

  it('refuses the save at that field, and takes it once the field is back on the screen', async () => {
    await bugScreen('DELETE', 'duedate');
    const refused = await call('saveConnection', dueDateDraft());
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatchObject({ code: 'BAD_REQUEST', problems: [{ path: dueDateAt, message: offScreen }] });

    await bugScreen('PUT', 'duedate');
    const saved = await call('saveConnection', dueDateDraft());
    expect(saved.error).toBeUndefined();
    expect(saved.ok).toBe(true);
    expect(saved.data?.config.jiraIssueType).toBe('Bug');
    expect(saved.data?.config.fields.map((f) => f.jira)).toContain('duedate');
  });

  it('refuses the preview the same way', async () => {
    await bugScreen('DELETE', 'duedate');
    const r = await call('previewItem', { ...dueDateDraft(), item: { issueKey: 'DEMO-2' } });
    expect(r.error?.problems).toEqual([{ path: dueDateAt, message: offScreen }]);
  });

  it('takes a field off the screen that the connection only reads, and status, which moves by transitions', async () => {
    await bugScreen('DELETE', 'customfield_10010');
    // The demo connection maps status both ways: it is never on a screen, and needs not be.
    const saved = await call(
      'saveConnection',
      dueDateDraft([{ jira: 'customfield_10010', remote: 'close_notes', direction: 'to-remote' }]),
    );
    expect(saved.error).toBeUndefined();
    expect(saved.ok).toBe(true);
  });

  it('reads a screen that Jira answers over several pages in full', async () => {
    const whole = await sandbox
      .jiraClient()
      .request({ as: 'app' }, 'GET', '/rest/api/3/issue/createmeta/10000/issuetypes/10101');
    const fields = whole.json.fields as Array<{ fieldId: string }>;
    expect(fields.findIndex((f) => f.fieldId === 'duedate')).toBeGreaterThan(0);
    // Jira may answer fewer fields than asked for: here the first page holds one, and the due date comes later.
    await fetch(`${sandbox.sims.jira.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        method: 'GET',
        path: '/rest/api/3/issue/createmeta/10000/issuetypes/10101',
        status: 200,
        body: { startAt: 0, maxResults: 1, total: fields.length, fields: fields.slice(0, 1) },
        times: 1,
      }),
    });
    const saved = await call('saveConnection', dueDateDraft());
    expect(saved.error).toBeUndefined();
    expect(saved.ok).toBe(true);
  });

  it("checks the connection's own issue type: a field off the Bug screen is no problem for Tasks", async () => {
    await bugScreen('DELETE', 'duedate');
    const draft = dueDateDraft();
    const saved = await call('saveConnection', { ...draft, settings: { ...draft.settings, jiraIssueType: 'Task' } });
    expect(saved.error).toBeUndefined();
    expect(saved.ok).toBe(true);
  });
});
