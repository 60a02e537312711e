/**
 * What `npm start` shows at once: a few issues already in sync with each
 * system, so the issue panels have something to show (a linked item, its
 * state, a timeline). Done as people would: Sync now on DEMO's and OPS's
 * older issues, and a new SUP issue with a comment, through Crosswalk's own
 * resolvers and Jira's REST API. Only `npm start` seeds; tests start empty.
 */
import type { Sandbox } from '../sandbox';

const PROJECT_IDS: Record<string, string> = { DEMO: '10000', OPS: '10001', SUP: '10002' };

export async function seedDemo(sandbox: Sandbox, log: (line: string) => void = () => undefined): Promise<string[]> {
  const member = sandbox.users.find((u) => u.role === 'member')!;
  const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
  const basic = (u: { email: string; apiToken: string }) =>
    `Basic ${Buffer.from(`${u.email}:${u.apiToken}`).toString('base64')}`;
  const jira = async (as: typeof member, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.sims.jira.baseUrl}${path}`, {
      method,
      headers: { authorization: basic(as), accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as Record<string, any>;
  };
  const adf = (text: string) => ({
    version: 1,
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });

  // A new SUP issue with a public comment: Crosswalk makes its Zendesk ticket.
  const sup = await jira(member, 'POST', '/rest/api/3/issue', {
    fields: {
      project: { key: 'SUP' },
      issuetype: { name: 'Task' },
      summary: 'Customer cannot reset their password',
      description: adf('The reset link in the email expires before it arrives.'),
      priority: { name: 'High' },
    },
  });
  await jira(member, 'POST', `/rest/api/3/issue/${sup.key}/comment`, {
    body: adf('Asked the customer for the time the email arrived.'),
  });

  // Older issues of DEMO and OPS synced on request, as a person would with Sync now on the issue panel.
  const older = ['DEMO-1', 'DEMO-2', 'OPS-1'];
  for (const key of older) {
    const issue = await jira(lead, 'GET', `/rest/api/3/issue/${key}?fields=project`);
    if (!issue.id) continue;
    const project = String(issue.fields.project.key);
    await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-panel',
      functionKey: 'syncIssueNow',
      accountId: project === 'OPS' ? lead.accountId : member.accountId,
      context: {
        extension: {
          type: 'jira:issuePanel',
          issue: { id: issue.id, key },
          project: { id: PROJECT_IDS[project], key: project },
        },
      },
      payload: {},
    });
  }
  const keys = [...older, String(sup.key)];
  // Wait until each has its remote item (the remote link Crosswalk adds), at most half a minute.
  const deadline = Date.now() + 30_000;
  for (const key of keys) {
    for (;;) {
      const links = await jira(lead, 'GET', `/rest/api/3/issue/${key}/remotelink`);
      if (Array.isArray(links) && links.length) break;
      if (Date.now() > deadline) {
        log(`  (${key} has not synced yet; it will shortly)`);
        break;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return keys;
}
