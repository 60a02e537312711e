/**
 * The seed's QA case: a QA engineer logs a Bug in Azure DevOps with reproduction steps (HTML with a list, bold and
 * a pasted screenshot) and a severity, and it must appear in Jira with all its context. The project admin pairs
 * Repro Steps with Jira's "Steps to reproduce" on the settings page (through the resolver); the steps arrive as a
 * formatted document with the screenshot inline where it stood (Azure DevOps keeps a pasted screenshot in its file
 * store without listing it among the work item's attachments: it is copied to Jira from there), and a Jira edit of
 * one step goes back as HTML without flattening the others or losing the screenshot.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { demoAzureDevOpsConnection, OPS_CONNECTION_ID, OPS_PROJECT } from '../../sandbox/demo/azure-devops-connection';
import { DEMO_CREDENTIALS as ADO } from '../../sandbox/sims/azure-devops';
import { azureDevOpsClient, patch, type WorkItemJson } from '../../sandbox/sims/azure-devops/test-client';
import type { AdfNode } from '../../src/content/adf';
import { validateAdf } from '../support/adf-schema';

let sandbox: Sandbox;
let jira: ReturnType<Sandbox['jiraClient']>;
const P = '/acme/Operations/_apis/wit';
const STEPS = 'customfield_10011';
const ado = () => azureDevOpsClient(sandbox.azureDevOps, ADO.agent.pat);
/** The pasted screenshot's URL in Azure DevOps' file store. */
let shot = '';

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['azure-devops'] });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

/** A Jira file's media id, as Jira's editor knows it: where its download redirects to. */
async function mediaIdOf(attachmentId: string): Promise<string | undefined> {
  const res = await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/attachment/content/${attachmentId}`);
  expect(res.status).toBe(303);
  return /\/file\/([0-9a-f-]{36})\//.exec(res.headers.get('location') ?? '')?.[1];
}

const nodesOf = (nodes: readonly AdfNode[]): AdfNode[] => nodes.flatMap((n) => [n, ...nodesOf(n.content ?? [])]);

describe('an Azure DevOps Bug with reproduction steps', () => {
  it('pairs Repro Steps with a Jira rich-text field on the settings page', async () => {
    const saved = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      payload: {
        connectionId: OPS_CONNECTION_ID,
        settings: {
          ...demoAzureDevOpsConnection,
          fields: [
            ...demoAzureDevOpsConnection.fields,
            { jira: STEPS, remote: 'Microsoft.VSTS.TCM.ReproSteps', transform: 'rich-text' },
          ],
        },
      },
      accountId: jira.userId('admin'),
      context: { extension: { type: 'jira:projectSettingsPage', project: OPS_PROJECT } },
    })) as { body: { ok: boolean; error?: unknown } };
    expect(saved.body).toMatchObject({ ok: true });
  });

  it('arrives in Jira with its list and formatting, and the pasted screenshot inline where it stood', async () => {
    const upload = await ado()<{ id: string; url: string }>(
      'POST',
      `${P}/attachments?fileName=checkout.png`,
      new Uint8Array([137, 80, 78, 71, 1, 2, 3]),
    );
    expect(upload.status).toBe(201);
    shot = upload.json.url;
    const steps =
      '<div>Steps:</div><ol><li>Open <b>Checkout</b></li><li>Press Pay<ul><li>with a saved card</li></ul></li></ol>' +
      `<div><img src="${upload.json.url}" alt="checkout.png"></div><div>Expected: the order is placed.</div>`;
    const made = await ado()<WorkItemJson>(
      'POST',
      `${P}/workitems/$Bug`,
      patch({
        'System.Title': 'Pay button does nothing',
        'System.Tags': 'jira',
        'Microsoft.VSTS.TCM.ReproSteps': steps,
      }),
    );
    expect(made.status).toBe(200);
    await sandbox.settle();

    const found = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = OPS AND summary ~ "Pay button does nothing"',
      fields: [STEPS, 'attachment'],
    });
    const issue = (found.json.issues as Array<{ key: string; fields: Record<string, any> }>)[0]!;
    const doc = issue.fields[STEPS] as { content: AdfNode[] };
    expect(validateAdf(doc).valid).toBe(true);
    const nodes = nodesOf(doc.content);
    const ordered = nodes.find((n) => n.type === 'orderedList')!;
    expect(ordered.content).toHaveLength(2);
    expect(nodesOf(ordered.content!).some((n) => n.type === 'bulletList')).toBe(true);
    expect(nodes.find((n) => n.text === 'Checkout')!.marks).toEqual([{ type: 'strong' }]);
    expect(nodes.some((n) => n.text === 'Expected: the order is placed.')).toBe(true);
    const files = issue.fields.attachment as Array<{ id: string; filename: string }>;
    expect(files.map((a) => a.filename)).toEqual(['checkout.png']);
    // The screenshot stands between the steps and the expected result, as the Jira file it was copied to.
    expect(doc.content.map((n) => n.type)).toEqual(['paragraph', 'orderedList', 'mediaSingle', 'paragraph']);
    const media = doc.content[2]!.content![0]!;
    expect(media.attrs).toMatchObject({ type: 'file', id: await mediaIdOf(files[0]!.id) });
    // It was the steps' image, not a file of the work item: nothing is added to the Bug's attachments.
    const bug = await ado()<WorkItemJson>('GET', `${P}/workitems/${made.json.id}?$expand=relations&api-version=7.1`);
    expect((bug.json as { relations?: unknown[] }).relations ?? []).toEqual([]);
  });

  it('sends a Jira edit of one step back as HTML, leaving the rest as Azure DevOps had it', async () => {
    const found = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/search/jql', {
      jql: 'project = OPS AND summary ~ "Pay button does nothing"',
      fields: [STEPS],
    });
    const issue = (found.json.issues as Array<{ id: string; key: string; fields: Record<string, any> }>)[0]!;
    const doc = JSON.parse(JSON.stringify(issue.fields[STEPS]).replace('Press Pay', 'Press Pay twice'));
    sandbox.platform.manualClock.advance(60_000);
    expect(
      (await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { [STEPS]: doc } }))
        .status,
    ).toBe(204);
    await sandbox.settle();
    const bugs = await ado()<{ value: WorkItemJson[] }>('POST', `${P}/wiql?api-version=7.1`, {
      query: "SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'Pay button does nothing'",
    });
    const id = (bugs.json as unknown as { workItems: Array<{ id: number }> }).workItems[0]!.id;
    const bug = await ado()<WorkItemJson>('GET', `${P}/workitems/${id}?api-version=7.1`);
    const html = String(bug.json.fields['Microsoft.VSTS.TCM.ReproSteps']);
    expect(html).toContain('Press Pay twice');
    expect(html).toMatch(/<strong>Checkout<\/strong>/);
    expect(html).toMatch(/<ol>.*<ul>.*with a saved card/s);
    // The screenshot stays where it stood in Azure DevOps, the one it was.
    expect(html).toContain(`<div><img src="${shot}`);
    expect(html.indexOf('<img')).toBeGreaterThan(html.indexOf('with a saved card'));
    expect(html.match(/<img/g)).toHaveLength(1);
  });
});
