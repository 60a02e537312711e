/**
 * A ServiceNow HTML field, paired as a customer pairs it: the incident's description is plain text, but an instance
 * may keep formatted details in an HTML column of its own (here the customer's `u_details`), with screenshots pasted
 * into it. The project admin pairs it with Jira's "Steps to reproduce" on the settings page (through the resolver);
 * the server reads from the instance's dictionary that the column keeps HTML, and from then on:
 *
 * - an image an agent pastes there (stored as the record's `ZZ_YYincident` file, not among its attachments) becomes
 *   a Jira attachment shown inline where it stood, and nothing is added to the incident's attachments;
 * - a Jira inline image becomes the incident's attachment, shown inline in the field by the form's own link;
 * - an image naming another record's file is never copied from it;
 * - an unrelated edit on either side leaves both as they were;
 * - a journal entry that formats part of itself (`[code]` HTML) reaches Jira formatted.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CONNECTION_ID, demoServiceNowConnection } from '../../sandbox/demo/servicenow-connection';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';
import type { AdfNode } from '../../src/content/adf';
import { validateAdf } from '../support/adf-schema';

let sandbox: Sandbox;
let jira: ReturnType<Sandbox['jiraClient']>;
const STEPS = 'customfield_10011';
const DEMO = { id: '10000', key: 'DEMO' };
const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow'] });
  jira = sandbox.jiraClient();
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

/** ServiceNow as its agent uses it. */
const sn = (method: string, path: string, body?: unknown) =>
  serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body);

/** As the agent's editor pastes an image into an HTML field: a file of the record's ZZ_YY table; its sys_id. */
async function pasteIntoServiceNow(incidentId: string, fileName: string): Promise<string> {
  const { username, password } = sandbox.sims.servicenow.credentials.agent;
  const res = await fetch(
    `${sandbox.sims.servicenow.baseUrl}/api/now/attachment/file?table_name=ZZ_YYincident&table_sys_id=${incidentId}&file_name=${fileName}`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        'content-type': 'image/png',
        accept: 'application/json',
      },
      body: PNG,
    },
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { result: { sys_id: string } }).result.sys_id;
}

/** As a Jira user pastes a screenshot into the editor: the file is attached to the issue; its media id. */
async function pasteIntoJira(issueKey: string, fileName: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), fileName);
  const up = await jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${issueKey}/attachments`, form, {
    'x-atlassian-token': 'no-check',
  });
  expect(up.status).toBe(200);
  return (await mediaIdOf((up.json as Array<{ id: string }>)[0]!.id))!;
}

/** A Jira file's media id, as Jira's editor knows it: where its download redirects to. */
async function mediaIdOf(attachmentId: string): Promise<string | undefined> {
  const res = await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/attachment/content/${attachmentId}`);
  return /\/file\/([0-9a-f-]{36})\//.exec(res.headers.get('location') ?? '')?.[1];
}

const para = (t: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text: t }] });
const inlineImage = (media: string): AdfNode => ({
  type: 'mediaSingle',
  attrs: { layout: 'center' },
  content: [{ type: 'media', attrs: { type: 'file', id: media, collection: '' } }],
});

const issueOf = async (key: string) =>
  (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=${STEPS},attachment`)).json.fields as {
    [STEPS]: { content: AdfNode[] } | null;
    attachment: Array<{ id: string; filename: string }>;
  };
const incidentOf = async (issueId: string) =>
  (await sn('GET', `/api/now/table/incident?sysparm_query=correlation_idENDSWITH${encodeURIComponent(`:${issueId}`)}`))
    .json.result[0] as Record<string, string>;
const filesOf = async (incidentId: string) =>
  (
    (await sn('GET', `/api/now/attachment?sysparm_query=${encodeURIComponent(`table_sys_id=${incidentId}`)}`)).json
      .result as Array<{ sys_id: string; file_name: string; table_name: string }>
  ).map((f) => ({ id: f.sys_id, name: f.file_name, table: f.table_name }));

async function newIssue(summary: string): Promise<{ id: string; key: string; incident: string }> {
  const made = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: DEMO.key }, issuetype: { name: 'Task' }, summary },
  });
  expect(made.status).toBe(201);
  await sandbox.settle();
  const incident = await incidentOf(made.json.id);
  expect(incident).toBeDefined();
  return { id: made.json.id, key: made.json.key, incident: incident.sys_id! };
}

describe('a ServiceNow HTML field with pasted screenshots', () => {
  it('is paired on the settings page and typed as HTML from the dictionary, the plain description as text', async () => {
    const saved = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey: 'saveConnection',
      payload: {
        connectionId: DEMO_CONNECTION_ID,
        settings: {
          ...demoServiceNowConnection,
          // The page may send any format: the server reads its own.
          fields: [
            ...demoServiceNowConnection.fields.map((f) =>
              f.remote === 'description' ? { ...f, format: 'html' } : { ...f },
            ),
            { jira: STEPS, remote: 'u_details', transform: 'rich-text' },
          ],
        },
      },
      accountId: jira.userId('admin'),
      context: { extension: { type: 'jira:projectSettingsPage', project: DEMO } },
    })) as { body: { ok: boolean; data?: { config: { fields: Array<Record<string, unknown>> } } } };
    expect(saved.body.ok).toBe(true);
    const formats = Object.fromEntries(saved.body.data!.config.fields.map((f) => [f.remote, f.format]));
    expect(formats).toMatchObject({ u_details: 'html', description: undefined });
  });

  it("brings an agent's pasted screenshot into Jira inline where it stood, adding nothing to the incident's files", async () => {
    const issue = await newIssue('Card payments fail at checkout');
    const shot = await pasteIntoServiceNow(issue.incident, 'image.png');
    sandbox.platform.manualClock.advance(60_000);
    const patched = await sn('PATCH', `/api/now/table/incident/${issue.incident}`, {
      u_details:
        '<p>Steps:</p><ol><li>Open <strong>Checkout</strong></li><li>Pay by card</li></ol>' +
        `<p><img src="sys_attachment.do?sys_id=${shot}"></p><p>Expected: the order is placed.</p>`,
    });
    expect(patched.status).toBe(200);
    await sandbox.settle();

    const fields = await issueOf(issue.key);
    const doc = fields[STEPS]!;
    expect(validateAdf(doc).valid).toBe(true);
    expect(doc.content.map((n) => n.type)).toEqual(['paragraph', 'orderedList', 'mediaSingle', 'paragraph']);
    expect(fields.attachment.map((a) => a.filename)).toEqual(['image.png']);
    expect(doc.content[2]!.content![0]!.attrs).toMatchObject({
      type: 'file',
      id: await mediaIdOf(fields.attachment[0]!.id),
    });
    // The screenshot was the field's, not the incident's: it is not copied back as a file of its own.
    expect(await filesOf(issue.incident)).toEqual([{ id: shot, name: 'image.png', table: 'ZZ_YYincident' }]);

    // Settled: another pass writes nothing on either side, and the copy is not made again.
    sandbox.platform.manualClock.advance(60_000);
    await sn('PATCH', `/api/now/table/incident/${issue.incident}`, { short_description: 'Card payments fail' });
    await sandbox.settle();
    const again = await issueOf(issue.key);
    expect(again[STEPS]).toEqual(doc);
    expect(again.attachment).toHaveLength(1);
  });

  it("shows a Jira inline screenshot in the field as the incident's own file, and keeps Jira whole after an edit there", async () => {
    const issue = await newIssue('Receipt e-mail is blank');
    const media = await pasteIntoJira(issue.key, 'receipt.png');
    const steps = { version: 1, type: 'doc', content: [para('The receipt looks like this:'), inlineImage(media)] };
    sandbox.platform.manualClock.advance(60_000);
    const edited = await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { [STEPS]: steps },
    });
    expect(edited.status).toBe(204);
    await sandbox.settle();

    const files = await filesOf(issue.incident);
    expect(files.map((f) => [f.name, f.table])).toEqual([['receipt.png', 'incident']]);
    const incident = await incidentOf(issue.id);
    expect(incident.u_details).toBe(
      `<p>The receipt looks like this:</p><p><img src="/sys_attachment.do?sys_id=${files[0]!.id}"></p>`,
    );
    expect(incident.u_details).not.toContain(sandbox.jira.baseUrl);

    sandbox.platform.manualClock.advance(60_000);
    await sn('PATCH', `/api/now/table/incident/${issue.incident}`, { short_description: 'Receipt is blank' });
    await sandbox.settle();
    expect((await issueOf(issue.key))[STEPS]!.content).toEqual(steps.content);
    expect((await incidentOf(issue.id)).u_details).toBe(incident.u_details);
    expect(await filesOf(issue.incident)).toHaveLength(1);
  });

  it('copies a journal entry that formats part of itself ([code] HTML) into Jira with its formatting', async () => {
    const issue = await newIssue('Patch schedule');
    sandbox.platform.manualClock.advance(60_000);
    await sn('PATCH', `/api/now/table/incident/${issue.incident}`, {
      comments: 'Vendor update:\n[code]<p>Patch <b>1.2</b> ships Friday</p><ul><li>EU</li><li>US</li></ul>[/code]',
    });
    await sandbox.settle();
    const comments = (await jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issue.key}/comment`)).json
      .comments as Array<{ body: { content: AdfNode[] } }>;
    const copy = comments.find((c) => JSON.stringify(c.body).includes('Patch'))!.body;
    expect(validateAdf(copy).valid).toBe(true);
    expect(copy.content.map((n) => n.type)).toEqual(['paragraph', 'paragraph', 'bulletList']);
    expect(copy.content[1]!.content).toContainEqual({ type: 'text', text: '1.2', marks: [{ type: 'strong' }] });
  });

  it("never copies another record's file an image names, and says the image was left out", async () => {
    const issue = await newIssue('Refund button missing');
    const other = await newIssue('Someone else’s incident');
    const theirs = await pasteIntoServiceNow(other.incident, 'private.png');
    sandbox.platform.manualClock.advance(60_000);
    await sn('PATCH', `/api/now/table/incident/${issue.incident}`, {
      u_details: `<p>Looks like:</p><p><img src="/sys_attachment.do?sys_id=${theirs}"></p>`,
    });
    await sandbox.settle();

    const fields = await issueOf(issue.key);
    expect(fields.attachment).toEqual([]);
    // Left out where it stood (its paragraph stays, empty), never hot-linked.
    expect(fields[STEPS]!.content[0]).toEqual(para('Looks like:'));
    expect(JSON.stringify(fields[STEPS])).not.toMatch(/media|sys_attachment/);
    const panel = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issue.id }, project: { id: DEMO.id } } },
    })) as { body: { data: { notices?: string[] } } };
    expect(panel.body.data.notices?.join(' ')).toMatch(
      /The u_details of INC\d+ holds what Jira cannot take: an inline image\. It was left out in Jira/,
    );
  });
});
