/**
 * The security suite's cases for comments restricted to a project role or a group, over every system the registry
 * implements. Proven before: a comment restricted to "Administrators" in a software project (`jsdPublic: true`)
 * was copied to ServiceNow as a customer-visible comment, to Zendesk as a public reply mailed to the requester,
 * and to Azure DevOps. Each case below now changes nothing where people outside the role or group read.
 */
import { APP_ACCOUNT_ID } from '../../sandbox/sandbox';
import { adf } from '../../sandbox/sims/jira/test-client';
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

const MANAGERS = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;
const systems = implementedSystems().map((s) => [s.label, s.kind] as const);
const post = (p: PairedSystem, key: string, text: string, visibility?: unknown) => {
  world.sandbox.platform.manualClock.advance(1000);
  return world.jira.request(p.person, 'POST', `/rest/api/3/issue/${key}/comment`, {
    body: adf(text),
    ...(visibility ? { visibility } : {}),
  });
};
/** Every remote comment of the pair's item that people outside Jira's restriction read. */
const publicTexts = (p: PairedSystem, remoteId: string) =>
  p.remote
    .read(remoteId)
    .comments.filter((c) => !c.internal)
    .map((c) => c.text);

describe('with the app in no role or group but its own (as Jira Cloud installs it)', () => {
  it.each(systems)(
    '%s: an ADMINS-ONLY or MANAGERS-ONLY comment leaves Jira in no form (the app cannot read it)',
    async (_label, kind) => {
      const p = pairedFor(kind);
      const issue = await world.pairedIssue(p, 'Customer outage');
      expect(
        (await post(p, issue.key, 'ADMINS-ONLY: we lost their backups', { type: 'role', value: 'Administrators' }))
          .status,
      ).toBe(201);
      expect(
        (await post(p, issue.key, 'MANAGERS-ONLY: refund them quietly', { type: 'group', identifier: MANAGERS }))
          .status,
      ).toBe(201);
      await world.quiet();
      expect(p.remote.read(issue.remoteId).comments.filter((c) => /ONLY:/.test(c.text))).toEqual([]);
    },
  );
});

describe('with the app in the role and the group (an admin put it there)', () => {
  beforeAll(async () => {
    for (const p of world.paired)
      await world.jira.request(p.person, 'POST', `/rest/api/3/project/${p.project.key}/role/10002`, {
        user: [APP_ACCOUNT_ID],
      });
    await world.jira.request({ as: 'admin' }, 'POST', `/rest/api/3/group/user?groupId=${MANAGERS}`, {
      accountId: APP_ACCOUNT_ID,
    });
  });

  it.each(systems)('%s: no restricted comment is public on the remote', async (_label, kind) => {
    const p = pairedFor(kind);
    const issue = await world.pairedIssue(p, 'Payroll incident');
    await post(p, issue.key, 'ADMINS-ONLY: the payroll export leaked', { type: 'role', value: 'Administrators' });
    await post(p, issue.key, 'MANAGERS-ONLY: legal is involved', { type: 'group', identifier: MANAGERS });
    await world.quiet();
    expect(publicTexts(p, issue.remoteId).filter((t) => /ONLY:/.test(t))).toEqual([]);
  });

  it.each(systems)(
    '%s: a comment restricted after it crossed as public never brings its new words to the public copy',
    async (_label, kind) => {
      const p = pairedFor(kind);
      const issue = await world.pairedIssue(p, 'Certificate renewal');
      const posted = await post(p, issue.key, 'We renew the certificate tonight');
      await world.quiet();
      expect(publicTexts(p, issue.remoteId).some((t) => t.includes('We renew the certificate tonight'))).toBe(true);
      world.sandbox.platform.manualClock.advance(1000);
      const edited = await world.jira.request(
        p.person,
        'PUT',
        `/rest/api/3/issue/${issue.key}/comment/${posted.json.id}`,
        {
          body: adf('We renew tonight; SECRET: the old key was leaked'),
          visibility: { type: 'role', value: 'Administrators' },
        },
      );
      expect(edited.status).toBe(200);
      await world.quiet();
      expect(publicTexts(p, issue.remoteId).filter((t) => t.includes('SECRET'))).toEqual([]);
    },
  );
});
