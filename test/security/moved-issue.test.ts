/**
 * The security suite's case for an issue moved into a restricted project, over every system the registry
 * implements. Proven before: an issue moved from DEMO into a restricted project kept syncing its comments to
 * DEMO's incident, and the incident could write back. Now nothing crosses either way once the issue has left its
 * connection's project, including through an event sent before the move and delivered after it.
 */
import { adf } from '../../sandbox/sims/jira/test-client';
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;
let restricted: { id: string; key: string };

beforeAll(async () => {
  world = await startEverySystem();
  // Only Ada (its lead) works in "Security incidents": nobody of the paired projects can see it.
  const made = await world.jira.request({ as: 'admin' }, 'POST', '/rest/api/3/project', {
    key: 'SEC',
    name: 'Security incidents',
    leadAccountId: world.jira.userId('admin'),
  });
  expect(made.status).toBe(201);
  restricted = { id: String(made.json.id), key: 'SEC' };
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;
const systems = implementedSystems().map((s) => [s.label, s.kind] as const);

/** Submits Jira's move of the issue into SEC and waits until its task has run; answers the issue's new key. */
async function moveToRestricted(issueKey: string): Promise<string> {
  const submitted = await world.jira.request({ as: 'admin' }, 'POST', '/rest/api/3/bulk/issues/move', {
    targetToSourcesMapping: { [`${restricted.key},10100`]: { issueIdsOrKeys: [issueKey], inferStatusDefaults: true } },
  });
  expect(submitted.status).toBe(201);
  for (let i = 0; i < 100; i++) {
    const task = await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/bulk/queue/${submitted.json.taskId}`);
    if (task.json.status === 'COMPLETE') break;
    await new Promise((r) => setImmediate(r));
  }
  return (await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${issueKey}`)).json.key as string;
}

const remoteTexts = (p: PairedSystem, remoteId: string) => p.remote.read(remoteId).comments.map((c) => c.text);

it.each(systems)('%s: an issue moved into a restricted project stops syncing both ways', async (_label, kind) => {
  const p = pairedFor(kind);
  const issue = await world.pairedIssue(p, 'Suspicious logins');
  world.sandbox.platform.manualClock.advance(1000);
  const key = await moveToRestricted(issue.key);
  expect(key).toMatch(/^SEC-\d+$/);
  await world.quiet();

  world.sandbox.platform.manualClock.advance(1000);
  await world.jira.request({ as: 'admin' }, 'PUT', `/rest/api/3/issue/${key}`, {
    fields: { summary: 'CONFIDENTIAL: attacker traced' },
  });
  await world.jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${key}/comment`, {
    body: adf('CONFIDENTIAL: the attacker used a stolen admin token'),
  });
  await world.quiet();
  expect(p.remote.read(issue.remoteId).summary).toBe('Suspicious logins');
  expect(remoteTexts(p, issue.remoteId).filter((t) => t.includes('CONFIDENTIAL'))).toEqual([]);

  world.sandbox.platform.manualClock.advance(1000);
  await p.remote.edit(issue.remoteId, { summary: 'Overwritten from the remote' });
  await p.remote.comment(issue.remoteId, 'Remote people write into the restricted issue', false);
  await world.quiet();
  const now = await world.jira.request({ as: 'admin' }, 'GET', `/rest/api/3/issue/${key}?fields=summary,comment`);
  expect(now.json.fields.summary).toBe('CONFIDENTIAL: attacker traced');
  expect(
    now.json.fields.comment.comments.filter((c: { body: { content: Array<{ content: Array<{ text: string }> }> } }) =>
      c.body.content[0]!.content[0]!.text.includes('Remote people'),
    ),
  ).toEqual([]);
  expect((await world.panel(issue.id, restricted.id)).lastError?.message).toMatch(/moved out of the project/);
});

it.each(systems)(
  '%s: an event sent before the move and delivered after it carries no comment written after the move',
  async (_label, kind) => {
    const p = pairedFor(kind);
    const issue = await world.pairedIssue(p, 'Late event');
    world.sandbox.platform.holdProductEvents();
    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: adf('Before the move'),
    });
    world.sandbox.platform.manualClock.advance(1000);
    const key = await moveToRestricted(issue.key);
    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request({ as: 'admin' }, 'POST', `/rest/api/3/issue/${key}/comment`, {
      body: adf('CONFIDENTIAL: written after the move'),
    });
    await world.sandbox.platform.releaseProductEvents('fifo');
    await world.quiet();
    expect(remoteTexts(p, issue.remoteId).filter((t) => t.includes('CONFIDENTIAL'))).toEqual([]);
  },
);
