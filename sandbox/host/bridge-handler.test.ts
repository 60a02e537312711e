import { startSandbox, type Sandbox } from '../sandbox';
import { answerBridgeCall, type BridgeDeps } from './bridge-handler';
import { FrameRegistry } from './frames';

let sandbox: Sandbox;
let deps: BridgeDeps;
const frames = new FrameRegistry();

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  deps = {
    platform: sandbox.platform,
    installationId: sandbox.installationId,
    jiraBaseUrl: sandbox.sims.jira.baseUrl,
    hostUrl: () => sandbox.hostUrl,
  };
}, 60_000);
afterAll(() => sandbox.stop());

const frameFor = (role: string) =>
  frames.open({
    accountId: sandbox.users.find((u) => u.role === role)!.accountId,
    moduleKey: 'crosswalk-settings',
    moduleType: 'jira:projectSettingsPage',
    resourceKey: 'settings',
    extension: { project: { id: '10000', key: 'DEMO', type: 'software' } },
  });

describe('the host side of @forge/bridge', () => {
  it("answers getContext with the view context Forge documents, for the frame's user", async () => {
    const frame = frameFor('member');
    const answer = await answerBridgeCall(deps, frame, 'getContext', undefined);
    expect(answer).toEqual({
      ok: true,
      value: expect.objectContaining({
        accountId: frame.accountId,
        cloudId: sandbox.platform.installation(sandbox.installationId).cloudId,
        localId: frame.localId,
        moduleKey: 'crosswalk-settings',
        extension: { type: 'jira:projectSettingsPage', project: { id: '10000', key: 'DEMO', type: 'software' } },
      }),
    });
  });

  it("invokes the resolver as the frame's user, so the server-side permission check sees the real caller", async () => {
    const member = await answerBridgeCall(deps, frameFor('member'), 'invoke', {
      functionKey: 'listConnections',
      payload: {},
    });
    expect(member).toMatchObject({ ok: true, value: { ok: false, error: { code: 'FORBIDDEN' } } });
    const lead = await answerBridgeCall(deps, frameFor('project-lead'), 'invoke', {
      functionKey: 'listConnections',
      payload: {},
    });
    expect(lead).toMatchObject({ ok: true, value: { ok: true, data: { connections: expect.any(Array) } } });
  });

  it('reports an unknown resolver function as a failed invoke', async () => {
    expect(await answerBridgeCall(deps, frameFor('member'), 'invoke', { functionKey: 'nope' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('nope'),
    });
  });

  it("fetches Jira as the frame's user for requestJira from the UI", async () => {
    const answer = await answerBridgeCall(deps, frameFor('member'), 'fetchProduct', {
      product: 'jira',
      restPath: '/rest/api/3/myself',
      fetchRequestInit: { method: 'GET', headers: [['accept', 'application/json']] },
    });
    expect(answer.ok && JSON.parse((answer.value as { body: string }).body).displayName).toBe('Mia Member');
  });

  it('refuses calls it does not implement rather than pretending', async () => {
    expect(await answerBridgeCall(deps, frameFor('member'), 'openRovo', {})).toMatchObject({ ok: false });
  });
});

describe('the host page over HTTP', () => {
  it("serves a resource with the bridge injected before the app script and Forge's CSP", async () => {
    const page = await fetch(`${sandbox.hostUrl}/browse/DEMO-1`);
    const html = await page.text();
    const src = /src="(\/__app\/issue-panel\/index\.html\?frame=[^"]+)"/.exec(html)![1]!;
    const resource = await fetch(sandbox.hostUrl + src.replace(/&amp;/g, '&'));
    const text = await resource.text();
    expect(text.indexOf('/__host/bridge.js')).toBeLessThan(text.indexOf('main.js'));
    expect(resource.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers a frame only for the person it was opened for', async () => {
    const lead = sandbox.users.find((u) => u.role === 'project-lead')!;
    const member = sandbox.users.find((u) => u.role === 'member')!;
    const html = await (
      await fetch(`${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`, {
        headers: { cookie: `cw_user=${lead.accountId}` },
      })
    ).text();
    const frame = /data-frame="([^"]+)"/.exec(html)![1]!;
    const call = (accountId: string) =>
      fetch(`${sandbox.hostUrl}/__host/api/bridge`, {
        method: 'POST',
        headers: { cookie: `cw_user=${accountId}`, 'content-type': 'application/json' },
        body: JSON.stringify({ frame, type: 'getContext' }),
      });
    expect((await call(lead.accountId)).status).toBe(200);
    expect((await call(member.accountId)).status).toBe(403);
  });
});
