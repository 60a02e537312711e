/**
 * The security suite's case for a stored secret and a changed host (issue 18, §4), over every system the registry
 * implements. Proven before: a saved ServiceNow connection pointed at another `*.service-now.com` instance and saved
 * without its password typed again kept the stored password and sent it there (Azure DevOps and Zendesk sent theirs
 * at save time, setting up their hooks). Now such a save is refused at the secret's field, nothing reaches the new
 * host, and the connection still points where it did.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const systems = implementedSystems().map((s) => [s.label, s.kind] as const);

interface SavedConnection {
  config: { id: string; remote: { type: string; baseUrl: string } & Record<string, unknown> } & Record<string, unknown>;
}

async function settingsCall(p: PairedSystem, functionKey: string, payload: unknown = {}) {
  const answer = await world.sandbox.platform.invokeResolver({
    installationId: world.sandbox.installationId,
    moduleKey: 'crosswalk-settings',
    functionKey,
    accountId: world.jira.userId(p.person.as),
    context: { extension: { type: 'jira:projectSettingsPage', project: p.project } },
    payload,
  });
  if (!answer.ok) throw new Error(`${functionKey} failed: ${answer.error}`);
  return answer.body as {
    ok: boolean;
    data?: { connections: SavedConnection[] };
    error?: { problems?: Array<{ path: string; message: string }> };
  };
}

const connectionOf = async (p: PairedSystem) =>
  (await settingsCall(p, 'listConnections')).data!.connections.find((c) => c.config.remote.type === p.system.kind)!;

/**
 * Another instance of the same product, on a host its connection may reach: another organization where the instance
 * URL names one in its path (dev.azure.com/acme), otherwise another subdomain (acme.service-now.com).
 */
function anotherInstance(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.pathname.replace(/\/+$/, '')) url.pathname = url.pathname.replace(/[^/]+\/*$/, 'elsewhere');
  else url.hostname = url.hostname.replace(/^[^.]+/, 'elsewhere');
  return url;
}

/** Every outbound request the app made since the `from`-th invocation, as the platform recorded it. */
const requestsSince = (from: number) =>
  world.sandbox.platform.meter
    .invocations()
    .slice(from)
    .flatMap((r) => r.calls)
    .filter((c) => /^[A-Z]+ https?:\/\//.test(c));

describe('a saved connection pointed at another instance', () => {
  it.each(systems)(
    '%s: saved without its secret typed again is refused at the secret, and the secret goes nowhere',
    async (_label, kind) => {
      const p = world.paired.find((x) => x.system.kind === kind)!;
      const saved = await connectionOf(p);
      const elsewhere = anotherInstance(saved.config.remote.baseUrl);
      const from = world.sandbox.platform.meter.invocations().length;

      // The settings as the wizard sends them back: what the store adds (its id, project, secret's revision) left out.
      const { id, jiraProjectId: _project, credentialRev: _rev, ...settings } = saved.config;
      const answer = await settingsCall(p, 'saveConnection', {
        connectionId: id,
        settings: { ...settings, remote: { ...settings.remote, baseUrl: elsewhere.toString() } },
      });

      const outbound = requestsSince(from);
      const target = elsewhere.toString().replace(/\/+$/, '');
      expect(outbound.filter((c) => c.split(' ')[1]!.startsWith(target))).toEqual([]);
      expect(answer.ok).toBe(false);
      expect(answer.error?.problems).toEqual([
        { path: expect.stringMatching(/^credential\./), message: expect.stringContaining('again') },
      ]);
      expect((await connectionOf(p)).config.remote.baseUrl).toBe(saved.config.remote.baseUrl);
    },
  );
});
