/**
 * The ITS demo pairing (sandbox/demo/freshservice-connection.ts) against the
 * Jira and Freshservice simulators. The platform is a stand-in that records
 * the settings resolver's call and answers as it does: what is checked here is
 * what the demo does around that call (the project, the settings it saves,
 * the automator rule an admin would add) and that the rule's deliveries are
 * ones Crosswalk accepts.
 */
import { demo, demoFreshserviceConnection, ITS_WEBHOOK_SECRET } from '../../../sandbox/demo/freshservice-connection';
import type { Platform } from '../../../sandbox/platform';
import { startFreshserviceSim, type FreshserviceSim } from '../../../sandbox/sims/freshservice';
import { startJiraSim, type JiraSim } from '../../../sandbox/sims/jira';
import { validateConnectionSettings } from '../../mapping/connection-config';
import { SECRET_HEADER_NAME } from './notifications';
import { freshserviceRemoteSchema, freshserviceSystem } from './system';

let jira: JiraSim;
let sim: FreshserviceSim;

beforeAll(async () => {
  [jira, sim] = await Promise.all([
    startJiraSim({ platformToken: 'platform-token', appAccountId: 'app-account' }),
    startFreshserviceSim(),
  ]);
});
afterAll(() => Promise.all([jira.stop(), sim.stop()]));

/** Records the resolver calls and answers the saved connection's id, as saveConnection does. */
function standInPlatform(calls: unknown[]): Platform {
  return {
    invokeResolver: (call: unknown) => {
      calls.push(call);
      return Promise.resolve({ ok: true, body: { ok: true, data: { config: { id: 'its-freshservice' } } } });
    },
  } as unknown as Platform;
}

const notificationUrl = (id: string) => `http://127.0.0.1:9/x1/token/freshservice/${id}`;

describe('the ITS demo pairing', () => {
  it('makes the project, saves the connection as its lead, and adds the automator rule an admin would', async () => {
    const calls: unknown[] = [];
    await demo.pair({ platform: standInPlatform(calls), installationId: 'inst-1', jira, sim, notificationUrl });

    const project = jira.site.project('ITS')!;
    const lead = jira.site.state.users.find((u) => u.role === 'project-lead')!;
    const member = jira.site.state.users.find((u) => u.role === 'member')!;
    expect(project).toMatchObject({ key: 'ITS', name: 'IT service desk', leadAccountId: lead.accountId });
    // The service desk works in it, as in the other demo projects.
    expect(project.roles.Members).toEqual([member.accountId]);
    expect(calls).toEqual([
      expect.objectContaining({
        functionKey: 'saveConnection',
        accountId: lead.accountId,
        context: { extension: { type: 'jira:projectSettingsPage', project: { id: project.id, key: 'ITS' } } },
        payload: expect.objectContaining({ settings: demoFreshserviceConnection }),
      }),
    ]);
    expect(freshserviceRemoteSchema.safeParse(demoFreshserviceConnection.remote).success).toBe(true);
    // Both To Do and In Progress write Open: the settings say which one Open reads back as.
    const check = validateConnectionSettings(demoFreshserviceConnection);
    // Until the registry lists Freshservice, its type is refused as not available; nothing else may be.
    expect(check.ok ? [] : check.problems.filter((p) => p.path !== 'remote.type')).toEqual([]);

    const { rules } = (await (await fetch(`${sim.controlUrl}/automator`)).json()) as {
      rules: Array<{ url: string; headers: Record<string, string>; events: string[] }>;
    };
    expect(rules).toEqual([
      expect.objectContaining({
        url: notificationUrl('its-freshservice'),
        headers: { [SECRET_HEADER_NAME]: ITS_WEBHOOK_SECRET },
        events: ['ticket_created', 'ticket_updated', 'note_added', 'reply_added'],
      }),
    ]);
  });

  it('keeps the project when pairing again', async () => {
    const before = jira.site.state.projects.filter((p) => p.key === 'ITS').length;
    await fetch(`${sim.controlUrl}/automator`, { method: 'DELETE' });
    await demo.pair({ platform: standInPlatform([]), installationId: 'inst-1', jira, sim, notificationUrl });
    expect(jira.site.state.projects.filter((p) => p.key === 'ITS').length).toBe(before);
  });

  it('gives a kit whose agent-made ticket reaches Crosswalk as a verified notification of a new ticket', async () => {
    const kit = demo.kit(sim);
    await kit.createItem('Monitor flickers', '3');
    const [made] = kit.itemsTitled('Monitor flickers');
    expect(made).toBeDefined();
    await sim.notifier.idle();
    const { sent } = (await (await fetch(`${sim.controlUrl}/automator/deliveries`)).json()) as {
      sent: Array<{ headers: Record<string, string>; body: string; ticket_id: number }>;
    };
    const delivery = sent.find((d) => String(d.ticket_id) === made!.id)!;
    const request = { headers: { 'x-crosswalk-secret': [delivery.headers[SECRET_HEADER_NAME]!] }, body: delivery.body };
    expect(freshserviceSystem.notifications.verify(request, { webhookSecret: ITS_WEBHOOK_SECRET }, Date.now())).toBe(
      true,
    );
    const remote = freshserviceRemoteSchema.parse(kit.remote);
    const [ref] = freshserviceSystem.notifications.parse(delivery.body, remote)!;
    expect(ref).toMatchObject({ remoteId: made!.id, touches: { created: true }, changedBy: 'sam.agent@acme.example' });
    expect(freshserviceSystem.notifications.isOwnChange(ref!, remote)).toBe(false);
  });
});
