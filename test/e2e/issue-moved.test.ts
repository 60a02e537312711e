/**
 * A linked issue moved to another Jira project (Jira's bulk move) leaves its connection's project, for every system
 * the registry implements: from then on nothing crosses either way and the issue panel says why; moved back, it
 * syncs again. Before, the link's connection was used wherever the issue had gone.
 */
import { adf } from '../../sandbox/sims/jira/test-client';
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
  const made = await world.jira.request({ as: 'admin' }, 'POST', '/rest/api/3/project', {
    key: 'ARCH',
    name: 'Archive',
    leadAccountId: world.jira.userId('admin'),
  });
  expect(made.status).toBe(201);
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

/** Moves the issue as the site admin and waits for Jira's task to finish. */
async function move(issueKey: string, project: string): Promise<string> {
  const submitted = await world.jira.request({ as: 'admin' }, 'POST', '/rest/api/3/bulk/issues/move', {
    targetToSourcesMapping: { [`${project},10100`]: { issueIdsOrKeys: [issueKey], inferStatusDefaults: true } },
  });
  expect(submitted.status).toBe(201);
  for (let i = 0; i < 100; i++) {
    const task = await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/bulk/queue/${submitted.json.taskId}`);
    if (task.json.status === 'COMPLETE') break;
    await new Promise((r) => setImmediate(r));
  }
  const moved = await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issueKey}?fields=project`);
  expect(moved.json.fields.project.key).toBe(project);
  return moved.json.key as string;
}

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('stops syncing both ways once the issue left the project, says so, and syncs again when it is back', async () => {
    const p = pairedFor(kind);
    const issue = await world.pairedIssue(p, 'Moving issue');
    world.sandbox.platform.manualClock.advance(1000);
    const archived = await move(issue.key, 'ARCH');
    await world.quiet();

    // Jira → remote: a field and a comment written in the other project stay there.
    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${archived}`, {
      fields: { summary: 'Edited in the archive' },
    });
    await world.jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${archived}/comment`, {
      body: adf('Written in the archive'),
    });
    await world.quiet();
    expect(p.remote.read(issue.remoteId).summary).toBe('Moving issue');
    expect(p.remote.read(issue.remoteId).comments).toEqual([]);

    // Remote → Jira: the remote's change does not reach the issue in its new project.
    world.sandbox.platform.manualClock.advance(1000);
    await p.remote.edit(issue.remoteId, { summary: 'Edited in the remote' });
    await p.remote.comment(issue.remoteId, 'Written in the remote', false);
    await world.quiet();
    const inJira = await world.jira.request(
      { as: 'admin' },
      'GET',
      `/rest/api/3/issue/${archived}?fields=summary,comment`,
    );
    expect(inJira.json.fields.summary).toBe('Edited in the archive');
    expect(inJira.json.fields.comment.comments.map((c: { id: string }) => c.id)).toHaveLength(1);

    const archiveId = world.sandbox.jira.site.state.projects.find((x) => x.key === 'ARCH')!.id;
    const panel = await world.panel(issue.id, archiveId);
    expect(panel).toMatchObject({
      linked: true,
      lastError: {
        kind: 'validation',
        message: expect.stringMatching(
          new RegExp(
            `^${issue.key} moved out of the project of the connection ".+", so it no longer syncs with ${p.system.label}: nothing is copied either way\\. Move it back, or unlink it\\.$`,
          ),
        ),
      },
    });

    // Moved back into its connection's project, it syncs again.
    world.sandbox.platform.manualClock.advance(1000);
    const back = await move(archived, p.project.key);
    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${back}`, {
      fields: { summary: 'Back home' },
    });
    await world.quiet();
    expect(p.remote.read(issue.remoteId).summary).toBe('Back home');
    expect((await world.panel(issue.id, p.project.id)).lastError).toBeNull();
  });
});
