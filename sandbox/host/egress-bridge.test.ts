/**
 * The host side of `@forge/bridge` `permissions.egress`: the product checks
 * the request and who asks, shows an administrator the dialog (host-page.js),
 * and saves what they allowed; nobody else can allow a domain, and an app
 * cannot skip the dialog.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { answerBridgeCall, type BridgeDeps } from './bridge-handler';
import { FrameRegistry } from './frames';

let sandbox: Sandbox;
let deps: BridgeDeps;
const frames = new FrameRegistry();

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual', pairDemo: false });
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
    extension: { project: { id: '10001', key: 'OPS', type: 'software' } },
  });
const request = {
  egresses: [
    {
      key: 'azure-devops-server',
      description: 'Azure DevOps Server for Operations',
      configured: [{ domain: 'devops.contoso.com', type: ['FETCH_BACKEND_SIDE'] }],
    },
  ],
};
const approved = () => sandbox.platform.customerEgress(sandbox.installationId).domains('FETCH_BACKEND_SIDE');

describe('permissions.egress through the host', () => {
  it('lets a Jira administrator allow a domain: checked and shown first, saved once they allowed it', async () => {
    const admin = frameFor('admin');
    const review = await answerBridgeCall(deps, admin, '__permission__egressSet', { phase: 'review', request });
    expect(review).toEqual({ ok: true, value: { egresses: request.egresses } });
    expect(approved()).toEqual([]);
    const applied = await answerBridgeCall(deps, admin, '__permission__egressSet', { phase: 'apply', request });
    expect(applied).toEqual({ ok: true, value: { results: request.egresses } });
    expect(approved()).toEqual(['devops.contoso.com']);
    // Anyone using the app may see what is allowed (the wizard asks before offering the approval).
    expect(await answerBridgeCall(deps, frameFor('member'), '__permission__egressGet', {})).toEqual({
      ok: true,
      value: { results: request.egresses },
    });
    expect(
      await answerBridgeCall(deps, admin, '__permission__egressDeleteGroup', { key: 'azure-devops-server' }),
    ).toEqual({ ok: true, value: undefined });
    expect(approved()).toEqual([]);
  });

  it.each(['project-lead', 'member'])('refuses to let a %s allow a domain', async (role) => {
    for (const phase of ['review', 'apply'])
      expect(await answerBridgeCall(deps, frameFor(role), '__permission__egressSet', { phase, request })).toEqual({
        ok: false,
        error: 'Only an administrator can change which domains this app may reach',
      });
    expect(approved()).toEqual([]);
  });

  it('cannot be reached by the app without the dialog', async () => {
    expect(await answerBridgeCall(deps, frameFor('admin'), '__permission__egressSet', request)).toEqual({
      ok: false,
      error: 'An administrator approves egress in the dialog the product shows, not the app',
    });
    expect(approved()).toEqual([]);
  });

  it("answers a malformed or over-the-limit request with Forge's refusal", async () => {
    const bad = {
      egresses: [
        { ...request.egresses[0], configured: [{ domain: 'http://x.example.com', type: ['FETCH_BACKEND_SIDE'] }] },
      ],
    };
    expect(
      await answerBridgeCall(deps, frameFor('admin'), '__permission__egressSet', { phase: 'review', request: bad }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^Malformed egress request/) });
  });
});
