/**
 * A Jira-side edit of a mapped custom field crosses at once, on its product event, for every system the registry
 * implements. Jira's changelog names a custom field by its id (`customfield_…`); the simulator named it `custom`,
 * so the event seemed not to touch the mapped field, nothing was written, and the edit waited for the five-minute
 * sweep (184 s measured). Here no sweep runs at all.
 */
import { implementedSystems } from '../../src/connectors/registry';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

const FIELD = 'customfield_10010'; // "Customer reference", a single-line text field
let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
  // Each connection takes the remote's title from the custom field instead of the summary.
  for (const p of world.paired) {
    const call = (functionKey: string, payload?: unknown) =>
      world.sandbox.platform.invokeResolver({
        installationId: world.sandbox.installationId,
        moduleKey: 'crosswalk-settings',
        functionKey,
        payload,
        accountId: world.jira.userId(p.person.as),
        context: { extension: { type: 'jira:projectSettingsPage', project: p.project } },
      }) as Promise<{ body: { ok: boolean; data?: any } }>;
    const listed = await call('listConnections');
    const config = listed.body.data.connections.find((c: any) => c.config.id === p.remote.connectionId).config;
    const { id, jiraProjectId: _project, credentialRev: _rev, ...settings } = config;
    const fields = settings.fields.map((m: { jira: string }) => (m.jira === 'summary' ? { ...m, jira: FIELD } : m));
    const saved = await call('saveConnection', { connectionId: id, settings: { ...settings, fields } });
    expect(saved.body.ok).toBe(true);
  }
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('copies a custom field edited in Jira on its event, without the sweep', async () => {
    const p = pairedFor(kind);
    world.sandbox.platform.manualClock.advance(1000);
    const created = await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: p.project.key },
        issuetype: { name: 'Task' },
        summary: 'Custom field crossing',
        [FIELD]: 'REF-1',
      },
    });
    expect(created.status).toBe(201);
    await world.quiet();
    const remoteId = p.remote.remotesForIssue(created.json.id)[0]!;
    expect(p.remote.read(remoteId).summary).toBe('REF-1');

    world.sandbox.platform.manualClock.advance(1000);
    await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${created.json.key}`, {
      fields: { [FIELD]: 'REF-2' },
    });
    await world.quiet();
    expect(p.remote.read(remoteId).summary).toBe('REF-2');
  });
});
