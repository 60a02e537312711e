/**
 * Freshservice's change push: the automator's webhook is trusted by its secret
 * header alone, read for which ticket and what part changed, and known as
 * Crosswalk's own when the integration agent made the change.
 */
import type { InboundNotification } from '../registry';
import { freshserviceSystem, type FreshserviceRemote } from './system';
import { PAYLOAD_TEMPLATE, secretMatches, SECRET_HEADER, manualSetupSteps } from './notifications';

const SECRET = 'a-webhook-secret-of-some-length';
const remote: FreshserviceRemote = {
  type: 'freshservice',
  baseUrl: 'https://acme.freshservice.com',
  requesterEmail: 'it@acme.example',
  correlationField: 'crosswalk_id',
  auth: { kind: 'api-key', agentEmail: 'crosswalk@acme.example' },
};
const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    ticket_id: 12,
    event: 'ticket_updated',
    updated_at: '2026-12-07T10:05:00Z',
    performer_email: 'ana@acme.example',
    conversation_id: '',
    ...over,
  });
const delivery = (headers: InboundNotification['headers'], text = body()): InboundNotification => ({
  headers,
  body: text,
});
const verify = (request: InboundNotification, credential: { webhookSecret?: string } = { webhookSecret: SECRET }) =>
  freshserviceSystem.notifications.verify(request, credential, Date.now());

describe('a Freshservice webhook is verified by its secret header', () => {
  it('accepts the connection’s secret', () => {
    expect(verify(delivery({ [SECRET_HEADER]: [SECRET] }))).toBe(true);
  });

  it('refuses a wrong secret of the same length, and one of another length', () => {
    expect(verify(delivery({ [SECRET_HEADER]: [SECRET.replace(/.$/, 'X')] }))).toBe(false);
    expect(verify(delivery({ [SECRET_HEADER]: [`${SECRET}-longer`] }))).toBe(false);
    expect(verify(delivery({ [SECRET_HEADER]: ['short'] }))).toBe(false);
    expect(secretMatches(SECRET, '')).toBe(false);
  });

  it('refuses a delivery without the header, with the header twice, or when the connection has no secret', () => {
    expect(verify(delivery({}))).toBe(false);
    expect(verify(delivery({ [SECRET_HEADER]: [] }))).toBe(false);
    expect(verify(delivery({ [SECRET_HEADER]: [SECRET, SECRET] }))).toBe(false);
    expect(verify(delivery({ [SECRET_HEADER]: [SECRET] }), {})).toBe(false);
  });

  it('keys a replay by the body alone: the same body with other headers is the same delivery', () => {
    const key = freshserviceSystem.notifications.replayKey;
    expect(key(delivery({ [SECRET_HEADER]: [SECRET] }))).toBe(key(delivery({ 'x-other': ['1'] })));
    expect(key(delivery({}, body()))).not.toBe(key(delivery({}, body({ updated_at: '2026-12-07T10:06:00Z' }))));
  });
});

describe('a Freshservice webhook names its ticket and what changed', () => {
  const parse = (text: string) => freshserviceSystem.notifications.parse(text, remote, {});

  it.each([
    ['ticket_created', { created: true }],
    ['ticket_updated', { fields: true, files: true }],
    ['note_added', { comments: true, files: true }],
    ['reply_added', { comments: true, files: true }],
  ])('%s touches %j', (event, touches) => {
    expect(parse(body({ event }))).toEqual([
      { remoteId: '12', event: `freshservice:${event}`, changedBy: 'ana@acme.example', touches },
    ]);
  });

  it('says nothing of what an unknown event touched (anything may have changed)', () => {
    const [ref] = parse(body({ event: 'ticket_escalated' }))!;
    expect(ref).toEqual({ remoteId: '12', event: 'freshservice:ticket_escalated', changedBy: 'ana@acme.example' });
  });

  it('reads a ticket id given as a string, and refuses what is not a notification', () => {
    expect(parse(body({ ticket_id: '12' }))?.[0]?.remoteId).toBe('12');
    expect(parse('not json')).toBeUndefined();
    expect(parse(JSON.stringify({ event: 'ticket_updated' }))).toBeUndefined();
    expect(parse(body({ ticket_id: '{{ticket.id}}' }))).toBeUndefined();
    expect(freshserviceSystem.notifications.itemIds(body())).toEqual(['12']);
    expect(freshserviceSystem.notifications.itemIds('nope')).toEqual([]);
  });

  it('knows the integration agent’s changes as Crosswalk’s own, whatever the email’s case', () => {
    const own = (performer: string) =>
      freshserviceSystem.notifications.isOwnChange(parse(body({ performer_email: performer }))![0]!, remote);
    expect(own('Crosswalk@ACME.example')).toBe(true);
    expect(own('ana@acme.example')).toBe(false);
    expect(own('')).toBe(false);
  });
});

describe('the manual setup an admin follows', () => {
  it('names the URL, the header with its secret, and the payload to paste, which parses once filled in', () => {
    const steps = manualSetupSteps('https://trigger.example/x1/abc/freshservice/its-freshservice', SECRET);
    expect(steps).toContain('Workflow Automator');
    expect(steps).toContain('Trigger Webhook');
    expect(steps).toContain('https://trigger.example/x1/abc/freshservice/its-freshservice');
    expect(steps).toContain(`X-Crosswalk-Secret with the value:\n   ${SECRET}`);
    expect(steps).toContain(PAYLOAD_TEMPLATE);
    const filled = PAYLOAD_TEMPLATE.replace('{{ticket.id}}', '7')
      .replace('{{triggered_event}}', 'note_added')
      .replace(/\{\{[\w.]+\}\}/g, 'x');
    expect(freshserviceSystem.notifications.parse(filled, remote)?.[0]).toMatchObject({
      remoteId: '7',
      touches: { comments: true, files: true },
    });
  });

  it('says where the secret is when it is not given', () => {
    expect(manualSetupSteps('https://t.example/u', undefined)).toContain('shown on the connection page');
  });
});
