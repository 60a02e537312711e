/**
 * Jira comments restricted to a project role or a group, for every system the registry implements: never copied
 * as public. Where the remote keeps internal comments they cross as internal ones; where it has none they stay in
 * Jira and the issue panel says so. Here an admin has put the app in the role and the group, so it reads the
 * restricted comments. In a software project such a comment has `jsdPublic: true`, which alone used to make it
 * public: the incident's customer-visible journal held "Lee Lead (Jira): ADMINS-ONLY: …".
 */
import { APP_ACCOUNT_ID } from '../../sandbox/sandbox';
import { adf } from '../../sandbox/sims/jira/test-client';
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

const MANAGERS = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
  for (const p of world.paired) {
    const added = await world.jira.request(p.person, 'POST', `/rest/api/3/project/${p.project.key}/role/10002`, {
      user: [APP_ACCOUNT_ID],
    });
    expect(added.status).toBe(200);
  }
  const grouped = await world.jira.request({ as: 'admin' }, 'POST', `/rest/api/3/group/user?groupId=${MANAGERS}`, {
    accountId: APP_ACCOUNT_ID,
  });
  expect(grouped.status).toBe(201);
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('copies a role- and a group-restricted comment as internal ones, or not at all, and never as public', async () => {
    const p = pairedFor(kind);
    const issue = await world.pairedIssue(p, `Restricted comments toward ${p.system.label}`);
    const comment = async (text: string, visibility?: unknown) => {
      world.sandbox.platform.manualClock.advance(1000);
      const res = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
        body: adf(text),
        ...(visibility ? { visibility } : {}),
      });
      expect({ status: res.status, jsdPublic: res.json.jsdPublic }).toEqual({ status: 201, jsdPublic: true });
      return res.json.id as string;
    };
    await comment('PUBLIC: the fix ships tonight');
    const admins = await comment('ADMINS-ONLY: the root cause is our expired certificate', {
      type: 'role',
      value: 'Administrators',
    });
    const managers = await comment('MANAGERS-ONLY: the customer threatens to leave', {
      type: 'group',
      identifier: MANAGERS,
    });
    await world.quiet();

    const remoteComments = p.remote.read(issue.remoteId).comments;
    const withText = (t: string) => remoteComments.filter((c) => c.text.includes(t));
    expect(withText('PUBLIC:')).toEqual([expect.objectContaining({ internal: false })]);
    // Nothing restricted is public on the remote, whatever the system.
    expect(remoteComments.filter((c) => /ONLY:/.test(c.text) && !c.internal)).toEqual([]);
    const problems = (await world.panel(issue.id, p.project.id)).problems ?? [];
    if (p.system.capabilities.commentVisibilities.includes('internal')) {
      expect(withText('ADMINS-ONLY:')).toEqual([expect.objectContaining({ internal: true })]);
      expect(withText('MANAGERS-ONLY:')).toEqual([expect.objectContaining({ internal: true })]);
      expect(problems.filter((x) => x.part === 'comments')).toEqual([]);
    } else {
      expect(withText('ONLY:')).toEqual([]);
      expect(problems.filter((x) => x.part === 'comments')).toEqual([
        expect.objectContaining({
          message: expect.stringContaining(
            `Jira comment ${admins} (restricted to the role Administrators), Jira comment ${managers} (restricted to the group incident-managers)`,
          ),
        }),
      ]);
    }
  });
});
