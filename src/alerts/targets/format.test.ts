/**
 * What each target sends, without a network: the words, Slack's blocks and escaping, the Teams card, the webhook's
 * body and signature (a known vector), Jira's email, URL checks and how answers are classified.
 */
import { createHmac } from 'node:crypto';
import type { AlertMessage } from '../plan';
import { classify } from './http';
import { describeTargetUrl, validateTargetUrl } from './index';
import { escapeHtml, jiraEmailSubject, jiraNotification } from './jira-email';
import { escapeSlack, slackPayload, slackRefusal } from './slack';
import { teamsPayload, teamsRefusal } from './teams';
import { alertText, formatDuration, formatUtc } from './text';
import { signWebhook, webhookBody, webhookRefusal, webhookRequest } from './webhook';

const SINCE = Date.UTC(2026, 11, 7, 22, 35);
const message = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  id: 'c1:credential-refused:1796682900000:start',
  target: 'slack',
  event: 'started',
  connectionId: 'c1',
  connectionName: 'Support <&> Desk',
  system: 'Zendesk',
  projectKey: 'SUP',
  condition: 'credential-refused',
  words: 'Zendesk refuses the API token',
  check: 'Replace the API token in the connection settings',
  since: SINCE,
  at: SINCE + 65 * 60_000,
  itemsWaiting: 3,
  settingsUrl: 'https://acme.atlassian.net/jira/software/projects/SUP/settings/apps/crosswalk?connection=c1',
  issueId: '10001',
  issueKey: 'SUP-1',
  attempts: 0,
  ...over,
});

describe('the words', () => {
  it.each([
    [0, 'less than a minute'],
    [59_000, 'less than a minute'],
    [12 * 60_000, '12 min'],
    [65 * 60_000, '1 h 5 min'],
    [120 * 60_000, '2 h'],
    [(26 * 60 + 7) * 60_000, '1 d 2 h'],
  ])('%i ms lasts "%s"', (ms, words) => expect(formatDuration(ms)).toBe(words));

  it('say the time in UTC and name it', () => expect(formatUtc(SINCE)).toBe('7 Dec 2026, 22:35 UTC'));

  it('say what is wrong, since when, how many wait and what to check', () => {
    expect(alertText(message())).toMatchObject({
      title: 'Zendesk connection "Support <&> Desk" (SUP): Zendesk refuses the API token',
      since: 'Since 7 Dec 2026, 22:35 UTC (for 1 h 5 min).',
      waiting: '3 items are waiting.',
      check: 'Check: Replace the API token in the connection settings',
    });
    expect(alertText(message({ itemsWaiting: 1 })).waiting).toBe('1 item is waiting.');
  });

  it('say a cleared condition is over, and after how long', () => {
    const t = alertText(message({ event: 'cleared' }));
    expect(t.title).toBe('Zendesk connection "Support <&> Desk" (SUP) is working again after 1 h 5 min');
    expect([t.waiting, t.check]).toEqual(['', '']);
  });

  it('say a test is a test', () => {
    expect(alertText(message({ event: 'test', condition: 'test' })).title).toBe(
      'Test alert from Crosswalk: Zendesk connection "Support <&> Desk" (SUP)',
    );
  });
});

describe('Slack', () => {
  it('escapes &, < and > in mrkdwn, and only those', () => {
    expect(escapeSlack('a & b <@U123> > *bold*')).toBe('a &amp; b &lt;@U123&gt; &gt; *bold*');
  });

  it('sends a fallback text and blocks: header, section, check, context and a button to the settings', () => {
    const p = slackPayload(message());
    expect(p.text).toContain('Support &lt;&amp;&gt; Desk');
    expect(p.text).not.toContain('<&>');
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    // A header is plain text: Slack shows it as typed, so it is not escaped.
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'Zendesk connection "Support <&> Desk" (SUP): Zendesk refuses the API token',
        emoji: true,
      },
    });
    expect(JSON.stringify(p.blocks[1])).toContain('Since 7 Dec 2026, 22:35 UTC (for 1 h 5 min).');
    expect(p.blocks[4]).toMatchObject({
      elements: [{ type: 'button', url: message().settingsUrl, text: { text: "Open the connection's settings" } }],
    });
  });

  it('keeps a long title within the header’s 150 characters', () => {
    const header = slackPayload(message({ words: 'x'.repeat(400) })).blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBe(150);
  });

  it.each([
    [404, 'no_service', /webhook is gone \(no_service\): create a new incoming webhook/],
    [410, 'channel_is_archived', /archived \(channel_is_archived\)/],
    [403, 'action_prohibited', /restricted this webhook/],
    [400, 'invalid_payload', /Crosswalk's fault/],
    [400, 'no_text', /no_text/],
    [400, '<html>oops</html>', /^Slack refused the message \(HTTP 400\)$/],
  ])('words a %i %s as Slack meant it', (status, text, words) => {
    expect(slackRefusal({ status, text })).toMatch(words);
  });
});

describe('Teams', () => {
  it('sends one Adaptive Card 1.4 in a message, with the settings as an OpenUrl action', () => {
    const p = teamsPayload(message({ target: 'teams' })) as {
      type: string;
      attachments: Array<{ contentType: string; contentUrl: null; content: Record<string, unknown> }>;
    };
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    const [a] = p.attachments;
    expect(a!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a!.contentUrl).toBeNull();
    expect(a!.content).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      actions: [{ type: 'Action.OpenUrl', url: message().settingsUrl }],
    });
    const text = JSON.stringify(a!.content.body);
    expect(text).toContain('Zendesk refuses the API token');
    expect(text).toContain('3 items are waiting.');
  });

  it("words Logic Apps' refusals", () => {
    const err = (code: string) =>
      JSON.stringify({ error: { code, message: 'https://prod-1.logic.azure.com/x?sig=s' } });
    expect(teamsRefusal({ status: 401, text: err('DirectApiInvalidAuthorizationSignature') })).toMatch(
      /signature \(DirectApiInvalidAuthorizationSignature\): copy the workflow's URL again/,
    );
    expect(teamsRefusal({ status: 404, text: err('WorkflowNotFound') })).toMatch(
      /gone or turned off \(WorkflowNotFound\)/,
    );
    expect(teamsRefusal({ status: 400, text: 'not json' })).toBe('The Teams workflow refused the message (HTTP 400)');
  });
});

describe('the generic webhook', () => {
  it('sends the body receivers read', () => {
    expect(webhookBody(message({ target: 'webhook' }))).toEqual({
      id: 'c1:credential-refused:1796682900000:start',
      event: 'started',
      connection: { id: 'c1', name: 'Support <&> Desk', system: 'Zendesk', project: 'SUP' },
      condition: 'credential-refused',
      summary: 'Zendesk connection "Support <&> Desk" (SUP): Zendesk refuses the API token',
      words: 'Zendesk refuses the API token',
      check: 'Replace the API token in the connection settings',
      since: '2026-12-07T22:35:00.000Z',
      at: '2026-12-07T23:40:00.000Z',
      itemsWaiting: 3,
      settingsUrl: message().settingsUrl,
      issueKey: 'SUP-1',
    });
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 (known vector, computed with openssl)', () => {
    // printf '%s' '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook('whsec_test', 1700000000, '{"id":"x"}')).toBe(
      'sha256=80e8d098018f757aa814ab1abb924f35d304affa1d93d29611a54696207eb7c3',
    );
  });

  it('sends the id, the timestamp and a signature a receiver can check over the exact body', () => {
    const { body, headers } = webhookRequest(message(), 's3cret', 1796686800);
    expect(headers).toEqual({
      'Content-Type': 'application/json',
      'X-Crosswalk-Alert-Id': message().id,
      'X-Crosswalk-Timestamp': '1796686800',
      'X-Crosswalk-Signature': `sha256=${createHmac('sha256', 's3cret').update(`1796686800.${body}`).digest('hex')}`,
    });
    expect(JSON.parse(body)).toMatchObject({ id: message().id });
  });

  it("words a receiver's refusal with its host and a short, URL-free excerpt", () => {
    const words = webhookRefusal('alerts.acme.example')({
      status: 401,
      text: 'bad signature for https://alerts.acme.example/hooks/crosswalk?token=abc\n' + 'x'.repeat(500),
    });
    expect(words).toMatch(/^The webhook at alerts\.acme\.example refuses the signature/);
    expect(words).not.toContain('token=abc');
    expect(words.length).toBeLessThan(300);
  });
});

describe("Jira's email", () => {
  it('has a subject naming the system, the connection and what is wrong', () => {
    expect(jiraEmailSubject(message())).toBe(
      '[Crosswalk] Zendesk connection "Support <&> Desk" — Zendesk refuses the API token',
    );
    expect(jiraEmailSubject(message({ event: 'cleared' }))).toBe(
      '[Crosswalk] Zendesk connection "Support <&> Desk" is working again',
    );
  });

  it('escapes the HTML body, keeps the text body plain, and goes to the chosen people and groups who may browse', () => {
    const n = jiraNotification(message(), { users: ['u1'], groups: ['g1'] });
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(n.htmlBody).toContain('Support &lt;&amp;&gt; Desk');
    expect(n.htmlBody).not.toContain('<&>');
    expect(n.htmlBody).toContain(`<a href="${message().settingsUrl}">`);
    expect(n.textBody).toContain('Support <&> Desk');
    expect(n.textBody).toContain(message().settingsUrl);
    expect(n.to).toEqual({ users: [{ accountId: 'u1' }], groupIds: ['g1'] });
    expect(n.restrict).toEqual({ permissions: [{ key: 'BROWSE' }] });
  });
});

describe('classifying answers', () => {
  const refusal = () => 'refused';
  it.each([
    [200, { ok: true }],
    [202, { ok: true }],
    [204, { ok: true }],
    [429, { ok: false, retryable: true }],
    [500, { ok: false, retryable: true }],
    [503, { ok: false, retryable: true }],
    [301, { ok: false, retryable: false }],
    [400, { ok: false, retryable: false, reason: 'refused' }],
    [404, { ok: false, retryable: false, reason: 'refused' }],
  ])('%i is %j', (status, expected) => {
    expect(classify('Slack', 'hooks.slack.com', { status, text: '' }, refusal)).toMatchObject(expected);
  });

  it('says how long a rate limit asks to wait', () => {
    expect(classify('Slack', 'hooks.slack.com', { status: 429, text: '', retryAfterSeconds: 30 }, refusal)).toEqual({
      ok: false,
      retryable: true,
      reason: 'Slack is limiting how often Crosswalk may post (it asks to wait 30 s)',
    });
  });
});

describe('target URLs', () => {
  const slack = 'https://hooks.slack.com/services/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';
  const logic =
    'https://prod-12.westus.logic.azure.com:443/workflows/5f0c1d2e3a4b4c5d8e9f0a1b2c3d4e5f/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=abcDEF123';
  const power =
    'https://default0a1b2c3d4e5f40718293a4b5c6d7e8.f9.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/9a8b7c6d5e4f40312a1b2c3d4e5f6a7b/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=xyz';
  const approved = (url: string) => new URL(url).hostname === 'alerts.acme.example';

  it.each([
    ['slack', slack],
    ['slack', 'https://hooks.slack.com/triggers/T0CROSSWLK/1234567890/0a1b2c3d4e5f'],
    ['teams', logic],
    ['teams', power],
    ['webhook', 'https://alerts.acme.example/hooks/crosswalk'],
    ['webhook', 'https://events.pagerduty.com/integration/a1b2c3d4e5f60718293a4b5c6d7e8f90/enqueue'],
  ] as const)('takes a %s URL %s', (target, url) => {
    expect(validateTargetUrl(target, url, { approved: (u) => approved(u) || u.includes('pagerduty') })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['slack', 'http://hooks.slack.com/services/T1/B1/x', /https:\/\//],
    ['slack', 'https://user:pw@hooks.slack.com/services/T1/B1/x', /user name or password/],
    ['slack', 'https://hooks.slack.com:8443/services/T1/B1/x', /standard https port/],
    ['slack', 'https://hooks.slack.com.evil.example/services/T1/B1/x', /starts with https:\/\/hooks\.slack\.com/],
    ['slack', 'https://hooks.slack.com/api/chat.postMessage', /not a Slack incoming webhook/],
    ['teams', 'https://acme.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi', /retired Office 365 connector/],
    [
      'teams',
      'https://logic.azure.com.evil.example/workflows/x/triggers/manual/paths/invoke?sig=s',
      /logic\.azure\.com/,
    ],
    ['teams', logic.replace(/&sig=[^&]+/, ''), /lost its signature/],
    ['webhook', slack, /choose Slack/],
    ['webhook', logic, /choose Teams/],
    ['webhook', 'https://events.pagerduty.com/v2/enqueue', /Custom Event Transformer/],
    ['webhook', 'https://collector.example.org/alerts', /a Jira admin approves/],
    ['webhook', 'not a url', /not a URL/],
  ] as const)('refuses a %s URL %s', (target, url, words) => {
    const r = validateTargetUrl(target, url, { approved });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(words);
  });

  it('shows only the host and the last four characters of a stored URL', () => {
    expect(describeTargetUrl('slack', slack)).toBe('hooks.slack.com …1b2c');
    expect(describeTargetUrl('teams', logic)).toBe('prod-12.westus.logic.azure.com …F123');
    expect(describeTargetUrl('webhook', 'nonsense')).toBe('webhook URL (not a URL)');
  });
});
