/**
 * The WEB ↔ acme/website demo pairing, end to end on the sandbox: saving the
 * connection makes the repository webhook; a Jira issue becomes a GitHub issue
 * carrying its marker; a comment, a title change and a close on GitHub come
 * back to Jira through the webhook.
 */
import { demo } from '../../../sandbox/demo/github-connection';
import { startSandbox, type Sandbox } from '../../../sandbox/sandbox';
import { DEMO_CREDENTIALS as GH, type GitHubSim } from '../../../sandbox/sims/github';
import { gitHubClient } from '../../../sandbox/sims/github/test-client';

describe('the WEB demo pairing', () => {
  let sandbox: Sandbox;
  let sim: GitHubSim;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock: 'manual', pair: [] });
    // The sandbox's own GitHub simulator (it plays api.github.com), not yet paired.
    sim = sandbox.remotes.github as GitHubSim;
    await demo.pair({
      platform: sandbox.platform,
      installationId: sandbox.installationId,
      jira: sandbox.jira,
      sim,
      notificationUrl: (id) => `unused:${id}`,
    });
  }, 180_000);
  afterAll(() => sandbox?.stop());

  const settled = async () => {
    await sim.notifier.idle();
    await sandbox.settle();
  };

  it('makes the repository webhook for issues and their comments when the connection is saved', () => {
    const hooks = [...sim.store.hooks.values()];
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.url).toMatch(/\/github\/web-github$/);
    expect([...hooks[0]!.events].sort()).toEqual(['issue_comment', 'issues', 'sub_issues']);
  });

  it('crosses an issue both ways: made in Jira, commented, renamed and closed on GitHub', async () => {
    const jira = sandbox.jiraClient();
    const made = await jira.request({ as: 'project-lead' }, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: 'WEB' },
        issuetype: { name: 'Task' },
        summary: 'Hero image is blurry',
        labels: ['design'],
        description: {
          type: 'doc',
          version: 1,
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'On ' },
                { type: 'text', text: 'retina', marks: [{ type: 'strong' }] },
                { type: 'text', text: ' screens.' },
              ],
            },
          ],
        },
      },
    });
    expect(made.status).toBe(201);
    await settled();
    const [issue] = demo.kit(sim).itemsTitled('Hero image is blurry');
    expect(issue).toBeDefined();
    const stored = [...sim.store.issues.values()].find((i) => String(i.number) === issue!.id)!;
    expect(stored.body).toMatch(/^On \*\*retina\*\* screens\.\n\n<!-- crosswalk:\S+ -->$/);

    const agent = gitHubClient(sim, GH.agent.token);
    await agent('POST', `/repos/acme/website/issues/${issue!.id}/comments`, { body: 'Fixed in **#12**' });
    await agent('PATCH', `/repos/acme/website/issues/${issue!.id}`, {
      state: 'closed',
      title: 'Hero image is blurry (fixed)',
    });
    await settled();
    const key = (made.json as { key: string }).key;
    const back = await jira.request(
      { as: 'project-lead' },
      'GET',
      `/rest/api/3/issue/${key}?fields=summary,status,comment`,
    );
    const fields = (
      back.json as { fields: { summary: string; status: { name: string }; comment: { comments: unknown[] } } }
    ).fields;
    expect(fields.summary).toBe('Hero image is blurry (fixed)');
    expect(fields.status.name).toBe('Done');
    expect(JSON.stringify(fields.comment.comments)).toContain('Fixed in ');
  });
});
