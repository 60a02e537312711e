/**
 * Every field arrives as what it is: an Azure DevOps Bug with a due date, a date-time, a number, a single and a
 * multiple option crosses into Jira's date, date-time, number, select and multi-select fields as those kinds, and
 * back. The project admin only pairs the fields on the settings page (through the resolver): the kinds come from
 * each side's live metadata, read when the connection is saved, and a pair whose kinds cannot cross is refused
 * there with the reason.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch, type WorkItemJson } from '../../sandbox/sims/azure-devops/test-client';
import { jiraClient } from '../../sandbox/sims/jira/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

const asAdmin = (functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId('admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
  }) as Promise<{ body: { ok: boolean; data?: any; error?: { message: string; problems?: unknown } } }>;
const ado = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
/** The issue panel's answer for an OPS issue, as its admin sees it. */
const panel = async (issueId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issueId }, project: { id: OPS_PROJECT.id } } },
    })) as { body: { data: { problems: Array<{ part: string; kind: string; message: string }>; lastError: unknown } } }
  ).body.data;

const TYPED_PAIRS = [
  { jira: 'duedate', remote: 'Microsoft.VSTS.Scheduling.DueDate' },
  { jira: 'customfield_10018', remote: 'Custom.CustomerDeadline' },
  { jira: 'customfield_10012', remote: 'Custom.AffectedUsers' },
  { jira: 'customfield_10013', remote: 'Custom.Environment' },
  { jira: 'customfield_10014', remote: 'Custom.Platforms' },
];

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['azure-devops'] });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

const issueWith = async (summary: string) => {
  const found = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
    jql: `project = OPS AND summary ~ "${summary}"`,
    fields: ['summary', 'duedate', 'customfield_10018', 'customfield_10012', 'customfield_10013', 'customfield_10014'],
  });
  return (found.json.issues as Array<{ id: string; key: string; fields: Record<string, any> }>).find(
    (i) => i.fields.summary === summary,
  );
};

describe('typed fields between Azure DevOps and Jira', () => {
  it('refuses, at the field, a pair whose kinds cannot cross', async () => {
    const saved = await asAdmin('saveConnection', {
      connectionId: OPS_CONNECTION_ID,
      settings: {
        ...demoAzureDevOpsConnection,
        fields: [...demoAzureDevOpsConnection.fields, { jira: 'duedate', remote: 'Custom.AffectedUsers' }],
      },
    });
    expect(saved.body.ok).toBe(false);
    expect(saved.body.error?.problems).toEqual([
      {
        path: `fields.${demoAzureDevOpsConnection.fields.length}.remote`,
        message:
          "duedate and Azure DevOps's Custom.AffectedUsers cannot be paired: Jira's field holds a date and the remote's a number",
      },
    ]);
  });

  it('types the pairs from both sides when the connection is saved', async () => {
    const saved = await asAdmin('saveConnection', {
      connectionId: OPS_CONNECTION_ID,
      settings: {
        ...demoAzureDevOpsConnection,
        timeZone: 'Europe/Berlin',
        fields: [...demoAzureDevOpsConnection.fields, ...TYPED_PAIRS],
      },
    });
    expect(saved.body.ok).toBe(true);
    const kinds = Object.fromEntries(
      (saved.body.data.config.fields as Array<{ jira: string; kinds?: unknown }>).map((f) => [f.jira, f.kinds]),
    );
    expect(kinds).toMatchObject({
      duedate: { jira: 'date', remote: 'date-time' },
      customfield_10018: { jira: 'date-time', remote: 'date-time' },
      customfield_10012: { jira: 'number', remote: 'number', precision: 0 },
      customfield_10013: { jira: 'option', remote: 'option' },
      customfield_10014: { jira: 'options', remote: 'text' },
      // Priority is a list of four numbers: a choice, mapped by value.
      priority: { jira: 'priority', remote: 'option', precision: 0 },
    });
  });

  it('brings a Bug from Azure DevOps into Jira with each value as its kind', async () => {
    const made = await ado()<WorkItemJson>(
      'POST',
      '/acme/Operations/_apis/wit/workitems/$Bug',
      patch({
        'System.Title': 'Checkout times out for EU customers',
        'System.Tags': 'jira',
        // Midnight in Berlin on the 24th: the day is the 24th where the connection is, though UTC still says the 23rd.
        'Microsoft.VSTS.Scheduling.DueDate': '2026-12-23T23:00:00Z',
        'Custom.CustomerDeadline': '2026-12-24T15:30:00Z',
        'Custom.AffectedUsers': 1200,
        'Custom.Environment': 'Production',
        'Custom.Platforms': 'Web;Mobile',
      }),
    );
    expect(made.status).toBe(200);
    await sandbox.settle();
    const issue = await issueWith('Checkout times out for EU customers');
    expect(issue).toBeDefined();
    expect(issue!.fields).toMatchObject({
      duedate: '2026-12-24',
      customfield_10018: '2026-12-24T15:30:00.000+0000',
      customfield_10012: 1200,
      customfield_10013: expect.objectContaining({ value: 'Production' }),
      customfield_10014: [expect.objectContaining({ value: 'Web' }), expect.objectContaining({ value: 'Mobile' })],
    });
    const shown = await panel(issue!.id);
    expect(shown).toMatchObject({ problems: [], lastError: null });
  });

  it('sends a Jira edit of those fields back to Azure DevOps in its own forms', async () => {
    const issue = (await issueWith('Checkout times out for EU customers'))!;
    sandbox.platform.manualClock.advance(1000);
    const edited = await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: {
        duedate: '2027-01-15',
        customfield_10018: '2027-01-15T09:00:00.000+0100',
        customfield_10012: 1350,
        customfield_10013: { value: 'Staging' },
        customfield_10014: [{ value: 'API' }],
      },
    });
    expect(edited.status).toBe(204);
    await sandbox.settle();
    const item = [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org('acme')!).values()].find(
      (i) => i.fields['System.Title'] === 'Checkout times out for EU customers',
    )!;
    expect(item.fields).toMatchObject({
      // Midnight of the 15th in Berlin.
      'Microsoft.VSTS.Scheduling.DueDate': '2027-01-14T23:00:00Z',
      'Custom.CustomerDeadline': '2027-01-15T08:00:00Z',
      'Custom.AffectedUsers': 1350,
      'Custom.Environment': 'Staging',
      'Custom.Platforms': 'API',
    });
    // Nothing flips back: a second look writes nothing either way.
    const revBefore = item.rev;
    await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
    await sandbox.settle();
    expect(item.rev).toBe(revBefore);
    expect((await issueWith('Checkout times out for EU customers'))!.fields.duedate).toBe('2027-01-15');
  });

  it('writes the rest of a Jira edit when Azure DevOps refuses one value, and shows the refusal in its words', async () => {
    // An Azure DevOps admin takes "Staging" off the Environment picklist after the connection was saved.
    const environment = sandbox.azureDevOps.store.fieldDefs.find((f) => f.referenceName === 'Custom.Environment')!;
    environment.allowedValues = ['Production', 'Development'];
    const issue = (await issueWith('Checkout times out for EU customers'))!;
    sandbox.platform.manualClock.advance(1000);
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: {
        summary: 'Checkout times out for EU customers (card payments)',
        customfield_10013: { value: 'Production' },
      },
    });
    await sandbox.settle();
    sandbox.platform.manualClock.advance(1000);
    await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { customfield_10012: 1400, customfield_10013: { value: 'Staging' } },
    });
    await sandbox.settle();
    const item = [...sandbox.azureDevOps.store.items(sandbox.azureDevOps.store.org('acme')!).values()].find((i) =>
      String(i.fields['System.Title']).startsWith('Checkout times out for EU customers'),
    )!;
    expect(item.fields).toMatchObject({ 'Custom.AffectedUsers': 1400, 'Custom.Environment': 'Production' });
    const shown = await panel(issue.id);
    expect(shown.problems).toEqual([
      expect.objectContaining({
        part: 'customfield_10013',
        kind: 'refused',
        message: expect.stringMatching(
          /^Azure DevOps refused Custom\.Environment “Staging” from Jira: .*not in the list of supported values/,
        ),
      }),
    ]);
    environment.allowedValues = ['Production', 'Staging', 'Development'];
  });
});
