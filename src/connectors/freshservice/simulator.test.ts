/**
 * The Freshservice connector against the running simulator (no platform):
 * the same calls the sync makes, answered as Freshservice answers them, and
 * the automator's webhook, as an admin sets it up by the manual steps, read
 * back by the registry entry.
 */
import { DEMO_CREDENTIALS as FS, startFreshserviceSim, type FreshserviceSim } from '../../../sandbox/sims/freshservice';
import { freshserviceClient } from '../../../sandbox/sims/freshservice/test-client';
import { syncFailure } from '../../../test/support/sync-error';
import { FreshserviceConnector } from './client';
import { forgetPacing } from './http';
import { PAYLOAD_TEMPLATE, SECRET_HEADER_NAME } from './notifications';
import { freshserviceSystem, type FreshserviceRemote } from './system';

let sim: FreshserviceSim;

beforeAll(async () => {
  sim = await startFreshserviceSim();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  forgetPacing();
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const remote: FreshserviceRemote = {
  type: 'freshservice',
  baseUrl: FS.instanceUrl,
  requesterEmail: FS.requester.email,
  // The demo account has the default's custom text field.
  correlationField: 'crosswalk_id',
  auth: { kind: 'api-key', agentEmail: FS.integration.email },
};

const connector = (apiKey: string = FS.integration.apiKey) =>
  new FreshserviceConnector({
    baseUrl: sim.baseUrl,
    apiKey,
    agentEmail: remote.auth.agentEmail,
    requesterEmail: remote.requesterEmail,
    correlationField: remote.correlationField,
  });

describe('the Freshservice connector against the simulator', () => {
  it('signs in as the integration agent and passes every required check', async () => {
    const tested = await connector().testConnection();
    expect(tested.ok).toBe(true);
    if (!tested.ok) return;
    expect(tested.identity).toBe(FS.integration.email);
    expect(tested.checks.filter((c) => !c.ok)).toEqual([]);
    const wrong = await connector('not-a-key').testConnection();
    expect(wrong.ok ? undefined : wrong.error.kind).toBe('auth');
  });

  it('finds the ticket it just made although the filter index does not know it yet', async () => {
    const cx = connector();
    const made = await cx.createItem(
      { subject: 'Laptop will not boot', description: '<p>Black screen</p>', priority: '3' },
      'crosswalk:site:its-freshservice:10001',
    );
    expect(made.fields).toMatchObject({ subject: 'Laptop will not boot', status: '2', priority: '3' });
    const found = await cx.findByCorrelation('crosswalk:site:its-freshservice:10001');
    expect(found?.id).toBe(made.id);
    expect(found?.correlationId).toBe('crosswalk:site:its-freshservice:10001');
    expect(await cx.findByCorrelation('crosswalk:site:its-freshservice:99999')).toBeUndefined();
  });

  it('writes codes, names statuses (the account’s custom one too) and lists the form’s fields', async () => {
    const cx = connector();
    const made = await cx.createItem({ subject: 'Waiting', priority: '1' }, 'crosswalk:s:c:1');
    const moved = await cx.updateItem(made.id, { status: '6', priority: '4', tags: ['vpn', 'remote'] });
    expect(moved.fields).toMatchObject({ status: '6', priority: '4', tags: ['vpn', 'remote'] });
    const fields = await cx.describeFields();
    expect(cx.statusLabel(moved)).toBe('Waiting on Customer');
    expect(fields?.find((f) => f.id === 'status')?.values).toContainEqual({ value: '6', label: 'Waiting on Customer' });
    expect(fields?.find((f) => f.id === 'priority')?.values).toContainEqual({ value: '4', label: 'Urgent' });
    expect(fields?.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'subject',
        'description',
        'type',
        'category',
        'responder_id',
        'group_id',
        'custom_crosswalk_id',
      ]),
    );
  });

  it('replies publicly and notes privately, lists both with their visibility, edits a note and refuses to edit a reply', async () => {
    const cx = connector();
    const made = await cx.createItem({ subject: 'Talk' }, 'crosswalk:s:c:2');
    const reply = await cx.addComment(made.id, { body: '<p>We are on it</p>', visibility: 'public' });
    const note = await cx.addComment(made.id, { body: '<p>Check the switch</p>', visibility: 'internal' });
    const listed = await connector().listComments(made.id);
    expect(listed.map((c) => [c.id, c.visibility, c.author.id])).toEqual([
      [reply.id, 'public', cx.ownAuthorId],
      [note.id, 'internal', cx.ownAuthorId],
    ]);
    const refused = await syncFailure(cx.updateComment(made.id, reply.id, '<p>changed</p>'));
    expect(refused.kind).toBe('validation');
    expect(refused.message).toMatch(/replies cannot be edited/);
    const edited = await cx.updateComment(made.id, note.id, '<p>Check the router</p>');
    expect(edited.body).toContain('Check the router');
  });

  it('uploads a file on a private note, lists, downloads and deletes it', async () => {
    const cx = connector();
    const made = await cx.createItem({ subject: 'Files' }, 'crosswalk:s:c:3');
    const bytes = new TextEncoder().encode('log line 1\nlog line 2\n');
    const stored = await cx.uploadAttachment(made.id, {
      fileName: 'boot.log',
      contentType: 'text/plain',
      size: bytes.length,
      body: new Blob([bytes]).stream(),
    });
    const notes = await connector().listComments(made.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.visibility).toBe('internal');
    expect((await connector().listAttachments(made.id)).map((a) => [a.id, a.fileName, a.size, a.authorId])).toEqual([
      [stored.id, 'boot.log', bytes.length, cx.ownAuthorId],
    ]);
    const download = await cx.downloadAttachment(made.id, stored.id);
    expect(await new Response(download.body).text()).toBe('log line 1\nlog line 2\n');
    await cx.deleteAttachment(made.id, stored.id);
    expect(await connector().listAttachments(made.id)).toEqual([]);
  });

  it('sweeps tickets changed since a time, the seeded ticket older than 30 days included when it changes', async () => {
    const cx = connector();
    const since = Date.now() - 1000;
    const made = await cx.createItem({ subject: 'Swept' }, 'crosswalk:s:c:4');
    const changed = await cx.listChanged(since);
    expect(changed.items.map((i) => i.id)).toContain(made.id);
    expect(changed.cursor).toBeUndefined();
  });

  it('reads the automator webhook the manual steps set up, and knows its own changes', async () => {
    const secret = 'the-connection-webhook-secret-0123';
    const rule = await fetch(`${sim.controlUrl}/automator`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Notify Crosswalk',
        // Nobody listens here: the delivery is recorded as sent all the same.
        url: 'http://127.0.0.1:9/crosswalk',
        headers: { [SECRET_HEADER_NAME]: secret },
        events: ['ticket_created', 'ticket_updated', 'note_added', 'reply_added'],
        payload: PAYLOAD_TEMPLATE,
      }),
    });
    expect(rule.status).toBe(201);
    const made = await connector().createItem({ subject: 'Pushed' }, 'crosswalk:s:c:5');
    const sam = freshserviceClient(sim, { apiKey: FS.agent.apiKey });
    expect(
      (await sam('POST', `/api/v2/tickets/${made.id}/notes`, { body: '<p>Looking</p>', private: true })).status,
    ).toBe(201);
    await sim.notifier.idle();
    const deliveries = (
      (await (await fetch(`${sim.controlUrl}/automator/deliveries`)).json()) as {
        sent: Array<{ headers: Record<string, string>; body: string }>;
      }
    ).sent;
    const read = deliveries.map((d) => {
      const request = {
        headers: { [SECRET_HEADER_NAME.toLowerCase()]: [d.headers[SECRET_HEADER_NAME]!] },
        body: d.body,
      };
      expect(freshserviceSystem.notifications.verify(request, { webhookSecret: secret }, Date.now())).toBe(true);
      const [ref] = freshserviceSystem.notifications.parse(d.body, remote)!;
      return [ref!.remoteId, ref!.touches, freshserviceSystem.notifications.isOwnChange(ref!, remote)];
    });
    expect(read).toEqual([
      [made.id, { created: true }, true],
      [made.id, { comments: true, files: true }, false],
    ]);
  });
});
