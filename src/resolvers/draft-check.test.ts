/**
 * The wizard's check of a connection not saved yet (checkConnectionDraft):
 * project admins only; the draft's problems at their paths in words a project
 * lead reads ("is required", not zod's "expected object, received
 * undefined"); a missing secret at its field; and a sign-in test with the
 * draft's own secret that says who Crosswalk signed in as, or why not, and
 * writes nothing.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
}, 120_000);
afterAll(async () => {
  await sandbox?.stop();
});

type Answer = {
  ok: boolean;
  data?: {
    signIn: null | {
      reachable: boolean;
      identity?: string;
      kind?: string;
      checks?: Array<{ what: string; ok: boolean }>;
    };
  };
  error?: { code: string; problems?: Array<{ path: string; message: string }> };
};

async function check(role: string, payload: Record<string, unknown>): Promise<Answer> {
  const r = await sandbox.platform.invokeResolver({
    installationId: sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey: 'checkConnectionDraft',
    accountId: sandbox.users.find((u) => u.role === role)!.accountId,
    context: { extension: { type: 'jira:projectSettingsPage', project: { id: '10002', key: 'SUP' } } },
    payload,
  });
  if (!r.ok) throw new Error(`checkConnectionDraft failed: ${r.error}`);
  return r.body as Answer;
}

const zendesk = (remote: Record<string, unknown>) => ({
  name: 'Support tickets',
  enabled: true,
  remote: { type: 'zendesk', baseUrl: 'https://acme.zendesk.com', ...remote },
  fields: [{ jira: 'summary', remote: 'subject' }],
});

describe('checking a draft connection', () => {
  it('refuses a member', async () => {
    const r = await check('member', { settings: zendesk({}) });
    expect(r.error?.code).toBe('FORBIDDEN');
  });

  it("answers each problem at its path in a project lead's words", async () => {
    const r = await check('project-lead', { settings: zendesk({}) });
    expect(r.error?.problems).toEqual([{ path: 'remote.auth', message: 'is required' }]);
    const bad = await check('project-lead', {
      settings: zendesk({ baseUrl: 'acme', auth: { kind: 'api-token', email: 'not an address' } }),
    });
    expect(bad.error?.problems).toEqual(
      expect.arrayContaining([
        { path: 'remote.baseUrl', message: 'must be a web address (https://…)' },
        { path: 'remote.auth.email', message: 'must be an email address' },
      ]),
    );
    const noToken = await check('project-lead', {
      settings: zendesk({ auth: { kind: 'api-token', email: 'crosswalk@acme.example' } }),
    });
    expect(noToken.error?.problems?.map((p) => p.path)).toEqual(['credential.token']);
  });

  it("signs in with the draft's own secret and says as whom, or why not, writing nothing", async () => {
    const hooks = sandbox.zendesk.store.webhooks.size;
    const settings = zendesk({ auth: { kind: 'api-token', email: sandbox.sims.zendesk.credentials.email } });
    const checked = await check('project-lead', { settings, credential: { token: 'a-token' } });
    expect(checked.data?.signIn).toBeNull();
    const good = await check('project-lead', {
      settings,
      credential: { token: sandbox.sims.zendesk.credentials.apiToken },
      signIn: true,
    });
    expect(good.data?.signIn).toMatchObject({ reachable: true, identity: sandbox.sims.zendesk.credentials.email });
    expect(good.data?.signIn?.checks?.every((c) => c.ok)).toBe(true);
    const wrong = await check('project-lead', { settings, credential: { token: 'not-the-token' }, signIn: true });
    expect(wrong.data?.signIn).toMatchObject({ reachable: false, kind: 'auth' });
    expect(JSON.stringify([good, wrong])).not.toContain(sandbox.sims.zendesk.credentials.apiToken);
    expect(sandbox.zendesk.store.webhooks.size).toBe(hooks);
  });
});
