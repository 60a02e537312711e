/**
 * The sinks against a plain fetch client, as any sender would meet them on loopback (no platform, no Crosswalk code):
 * Slack's answers, a Teams workflow's, the signed webhook receiver's, and the control API. The webhook's signature is
 * made here by an independent signer written from README.md's recipe, not by the app's module.
 */
import { createHmac } from 'node:crypto';
import { DEMO_SINKS, startAlertSinks, verifyCrosswalkSignature, type AlertSinks, type SinkRecord } from '.';

let sinks: AlertSinks;
let clock = Date.UTC(2026, 11, 7, 12, 0, 0);
beforeAll(async () => {
  sinks = await startAlertSinks({ now: () => clock });
});
afterAll(() => sinks.stop());
beforeEach(() => sinks.reset());

/** The request as the app's fetch reaches the sink: loopback, with the real host in X-Forwarded-Host. */
function post(url: string, body: string, headers: Record<string, string> = {}) {
  const u = new URL(url);
  return fetch(`${sinks.baseUrl}${u.pathname}${u.search}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-forwarded-host': u.host, ...headers },
  });
}
const control = (path: string, method: string, body?: unknown) =>
  fetch(`${sinks.controlUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });

describe('Slack incoming webhooks', () => {
  it('take a text message with 200 ok and record it', async () => {
    const res = await post(DEMO_SINKS.slackUrl, JSON.stringify({ text: 'Hello &amp; welcome' }));
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    const [r] = sinks.received('slack');
    expect(r).toMatchObject({
      target: 'slack',
      status: 200,
      host: 'hooks.slack.com',
      body: { text: 'Hello &amp; welcome' },
    });
    expect(r!.at).toBe(clock);
  });

  it.each([
    ['an unknown token', DEMO_SINKS.slackUrl.replace(/.{4}$/, 'zzzz'), '{"text":"x"}', 404, 'no_service'],
    ['an archived channel', DEMO_SINKS.archivedSlackUrl, '{"text":"x"}', 410, 'channel_is_archived'],
    ['a body that is not JSON', DEMO_SINKS.slackUrl, 'text=x', 400, 'invalid_payload'],
    ['no text and no blocks', DEMO_SINKS.slackUrl, '{"username":"x"}', 400, 'no_text'],
    [
      'a header over 150 characters',
      DEMO_SINKS.slackUrl,
      JSON.stringify({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }),
      400,
      'invalid_blocks',
    ],
  ])('refuse %s with Slack’s text code', async (_what, url, body, status, code) => {
    const res = await post(url, body);
    expect([res.status, await res.text()]).toEqual([status, code]);
  });

  it('refuse a hook a workspace admin restricted (403 action_prohibited), through the control API', async () => {
    expect((await control('/slack/hooks', 'PUT', { url: DEMO_SINKS.slackUrl, state: 'prohibited' })).status).toBe(200);
    const res = await post(DEMO_SINKS.slackUrl, '{"text":"x"}');
    expect([res.status, await res.text()]).toEqual([403, 'action_prohibited']);
  });
});

describe('Teams workflow webhooks', () => {
  const card = {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Hi' }] },
      },
    ],
  };
  it.each([DEMO_SINKS.teamsUrl, DEMO_SINKS.teamsPowerPlatformUrl])(
    'take a card with 202 Accepted (%s)',
    async (url) => {
      const res = await post(url, JSON.stringify(card));
      expect(res.status).toBe(202);
      expect(sinks.received('teams')[0]).toMatchObject({ status: 202, body: card });
      expect(sinks.received('teams')[0]!.problems).toBeUndefined();
    },
  );

  it('refuse a wrong or missing signature and an unknown workflow with Logic Apps’ JSON errors', async () => {
    const wrong = await post(DEMO_SINKS.teamsUrl.replace(/sig=[^&]+/, 'sig=forged'), JSON.stringify(card));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
      'DirectApiInvalidAuthorizationSignature',
    );
    const missing = await post(DEMO_SINKS.teamsUrl.replace(/&sig=[^&]+/, ''), JSON.stringify(card));
    expect(missing.status).toBe(401);
    const gone = await post(DEMO_SINKS.teamsUrl.replace(/workflows\/[^/]+/, 'workflows/0000'), JSON.stringify(card));
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('WorkflowNotFound');
  });

  it('take a body that is no card (the flow fails later) and record what is wrong with it', async () => {
    const res = await post(DEMO_SINKS.teamsUrl, JSON.stringify({ text: 'MessageCard style' }));
    expect(res.status).toBe(202);
    expect(sinks.received('teams')[0]!.problems).toEqual(['type is not "message"', 'no attachments']);
  });
});

describe('the signed webhook receiver', () => {
  /** Written from README.md: hex HMAC-SHA256 with the secret over `<timestamp>.<body>`, prefixed `sha256=`. */
  const sign = (secret: string, ts: number, body: string) =>
    'sha256=' +
    createHmac('sha256', secret)
      .update(ts + '.' + body)
      .digest('hex');
  const send = (id: string, body: string, opts: { secret?: string; ts?: number } = {}) => {
    const ts = opts.ts ?? Math.floor(clock / 1000);
    return post(DEMO_SINKS.webhookUrl, body, {
      'x-crosswalk-alert-id': id,
      'x-crosswalk-timestamp': String(ts),
      'x-crosswalk-signature': sign(opts.secret ?? DEMO_SINKS.webhookSecret, ts, body),
    });
  };

  it('verifies the signature, takes the alert once and records a duplicate as one', async () => {
    const body = JSON.stringify({ id: 'c1:unreachable:1:start', event: 'started' });
    expect((await send('c1:unreachable:1:start', body)).status).toBe(200);
    const again = await send('c1:unreachable:1:start', body);
    expect([again.status, await again.json()]).toEqual([200, { ok: true, duplicate: true }]);
    expect(sinks.received('webhook').map((r: SinkRecord) => [r.alertId, r.verified, r.duplicate])).toEqual([
      ['c1:unreachable:1:start', true, false],
      ['c1:unreachable:1:start', true, true],
    ]);
  });

  it('refuses (401) a wrong secret, a changed body and a stale timestamp, recording verified: false', async () => {
    expect((await send('a', '{}', { secret: 'other' })).status).toBe(401);
    expect((await send('b', '{}', { ts: Math.floor(clock / 1000) - 301 })).status).toBe(401);
    const ts = Math.floor(clock / 1000);
    const tampered = await post(DEMO_SINKS.webhookUrl, '{"x":2}', {
      'x-crosswalk-alert-id': 'c',
      'x-crosswalk-timestamp': String(ts),
      'x-crosswalk-signature': sign(DEMO_SINKS.webhookSecret, ts, '{"x":1}'),
    });
    expect(tampered.status).toBe(401);
    expect(sinks.received('webhook').map((r) => r.verified)).toEqual([false, false, false]);
  });

  it('agrees with the exported verifier on a known vector', () => {
    // printf '%s' '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
    const body = '{"id":"x"}';
    const sig = sign('whsec_test', 1700000000, body);
    expect(sig).toBe('sha256=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3');
    expect(verifyCrosswalkSignature('whsec_test', '1700000000', sig, body, 1700000100)).toBe(true);
    expect(verifyCrosswalkSignature('whsec_test', '1700000000', sig, body, 1700000400)).toBe(false);
  });

  it('uses the secret set through the control API', async () => {
    await control('/webhook/secret', 'PUT', { secret: 'rotated' });
    expect((await send('d', '{}', { secret: 'rotated' })).status).toBe(200);
  });
});

describe('the control API', () => {
  it('lists what was received by target, clears it, injects failures and takes a sink down', async () => {
    await control('/faults', 'POST', { target: 'slack', status: 429, times: 1, retryAfterSeconds: 30 });
    const limited = await post(DEMO_SINKS.slackUrl, '{"text":"x"}');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '30']);
    expect((await post(DEMO_SINKS.slackUrl, '{"text":"x"}')).status).toBe(200);
    const listed = (await (await control('/received?target=slack', 'GET')).json()) as SinkRecord[];
    expect(listed.map((r) => [r.status, Boolean(r.injected)])).toEqual([
      [429, true],
      [200, false],
    ]);
    await control('/received', 'DELETE');
    expect(sinks.received()).toEqual([]);

    await control('/down', 'PUT', { target: 'teams', down: true });
    await expect(post(DEMO_SINKS.teamsUrl, '{}')).rejects.toThrow();
    await control('/down', 'PUT', { target: 'teams', down: false });
    expect((await post(DEMO_SINKS.teamsUrl, '{"type":"message","attachments":[]}')).status).toBe(202);
  });

  it('answers PagerDuty’s Custom Event Transformer endpoint with 202 and records it', async () => {
    const res = await post(DEMO_SINKS.pagerDutyUrl, '{"id":"x"}');
    expect(res.status).toBe(202);
    expect(sinks.received('pagerduty')).toHaveLength(1);
  });
});
