/**
 * A deleted connection's links end with it, and its id is never given to a later connection: before, a new
 * connection could take the freed id (`<project>-<system>`) and, with it, every link of the deleted one, and
 * project keys that differ only by `_` (AB_C, ABC) shared one id.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { DEMO_CREDENTIALS as SERVICENOW } from '../../sandbox/sims/servicenow';
import {
  DEMO_CONNECTION_ID,
  DEMO_WEBHOOK_SECRET,
  demoServiceNowConnection,
} from '../../sandbox/demo/servicenow-connection';

let sandbox: Sandbox;
let jira: ReturnType<Sandbox['jiraClient']>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pair: ['servicenow'], scheduleTriggers: false });
  jira = sandbox.jiraClient();
  await sandbox.settle();
}, 120_000);
afterAll(() => sandbox?.stop());

type Answer = { body: { ok: boolean; data?: any; error?: { code: string } } };
const settings = (project: { id: string; key: string }, functionKey: string, payload?: unknown) =>
  sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    payload,
    accountId: jira.userId(project.key === 'DEMO' ? 'project-lead' : 'admin'),
    context: { extension: { type: 'jira:projectSettingsPage', project } },
  }) as Promise<Answer>;
const saveNew = async (project: { id: string; key: string }) => {
  const saved = await settings(project, 'saveConnection', {
    settings: demoServiceNowConnection,
    credential: { password: SERVICENOW.integration.password, webhookSecret: DEMO_WEBHOOK_SECRET },
  });
  expect(saved.body.ok).toBe(true);
  return saved.body.data.config.id as string;
};
const panel = async (issueId: string, projectId: string) =>
  (
    (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'getIssueSync',
      accountId: jira.userId('admin'),
      context: { extension: { issue: { id: issueId }, project: { id: projectId } } },
    })) as Answer
  ).body.data as { linked: boolean; connectionId?: string };
/** The incidents Crosswalk made for an issue, by the correlation id it writes (`…:<connection>:<issue>`). */
const incidentsFor = (issueId: string) =>
  sandbox.servicenow.store.rows('incident').filter((r) => (r.correlation_id ?? '').endsWith(`:${issueId}`));
const createIssue = async (projectKey: string, summary: string) => {
  sandbox.platform.manualClock.advance(1000);
  const res = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/issue', {
    fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary },
  });
  expect(res.status).toBe(201);
  await sandbox.settle();
  return res.json as { id: string; key: string };
};
const editSummary = async (key: string, summary: string) => {
  sandbox.platform.manualClock.advance(1000);
  await jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  await sandbox.settle();
};

it("ends a deleted connection's links, and a later connection of the project neither gets its id nor its items", async () => {
  const DEMO = { id: '10000', key: 'DEMO' };
  const issue = await createIssue('DEMO', 'Printer on fire');
  const [old] = incidentsFor(issue.id);
  expect(old?.correlation_id).toContain(`:${DEMO_CONNECTION_ID}:`);
  expect(await panel(issue.id, DEMO.id)).toMatchObject({ linked: true, connectionId: DEMO_CONNECTION_ID });

  expect((await settings(DEMO, 'deleteConnection', { connectionId: DEMO_CONNECTION_ID })).body.ok).toBe(true);
  await sandbox.settle();
  expect((await panel(issue.id, DEMO.id)).linked).toBe(false);

  const next = await saveNew(DEMO);
  expect(next).not.toBe(DEMO_CONNECTION_ID);
  await editSummary(issue.key, 'Printer still on fire');
  // The old incident is left as it was; the new connection made its own.
  expect(sandbox.servicenow.store.rows('incident').find((r) => r.sys_id === old!.sys_id)?.short_description).toBe(
    'Printer on fire',
  );
  expect(await panel(issue.id, DEMO.id)).toMatchObject({ linked: true, connectionId: next });
  expect(incidentsFor(issue.id).find((r) => r.sys_id !== old!.sys_id)?.short_description).toBe('Printer still on fire');
});

it('gives projects whose keys differ only by an underscore different ids, and never hands one project the links of another', async () => {
  const project = async (key: string) => {
    const made = await jira.request({ as: 'admin' }, 'POST', '/rest/api/3/project', {
      key,
      name: `Project ${key}`,
      leadAccountId: jira.userId('admin'),
    });
    expect(made.status).toBe(201);
    return { id: String(made.json.id), key };
  };
  const abUnderC = await project('AB_C');
  const abc = await project('ABC');
  const first = await saveNew(abUnderC);
  const second = await saveNew(abc);
  expect([first, second]).toEqual(['ab-c-servicenow', 'abc-servicenow']);

  const issue = await createIssue('AB_C', 'Only AB_C may see this');
  expect(await panel(issue.id, abUnderC.id)).toMatchObject({ linked: true, connectionId: first });
  expect((await settings(abUnderC, 'deleteConnection', { connectionId: first })).body.ok).toBe(true);
  await sandbox.settle();
  // ABC's next connection takes a fresh id: the deleted one stays claimed.
  const third = await saveNew(abc);
  expect([first, second]).not.toContain(third);
  expect((await panel(issue.id, abUnderC.id)).linked).toBe(false);
  const before = incidentsFor(issue.id).map((r) => r.short_description);
  await editSummary(issue.key, 'AB_C edited after the deletion');
  expect(incidentsFor(issue.id).map((r) => r.short_description)).toEqual(before);
});
