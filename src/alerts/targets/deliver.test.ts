/**
 * Delivery through the real local Forge platform: the targets run in a Forge invocation (the alerts fixture app's
 * resolver), their fetch goes through the platform's egress filter and routes to the alert sinks, and Jira's email
 * through requestJira to the Jira simulator. Nothing is mocked.
 */
import { DEMO_SINKS } from '../../../sandbox/sims/alert-sinks';
import { startAlertsWorld, type AlertsWorld } from '../../../test/support/alerts-world';
import type { AlertMessage } from '../plan';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as yaml from 'yaml';

let world: AlertsWorld;
beforeAll(async () => {
  world = await startAlertsWorld();
}, 60_000);
afterAll(() => world?.stop());
beforeEach(() => {
  world.sinks.reset();
  world.jira.notifications().length = 0;
});

const message = (over: Partial<AlertMessage> = {}): AlertMessage => {
  const at = world.platform.clock.now();
  return {
    id: `c1:unreachable:${at - 3_900_000}:start`,
    target: 'slack',
    event: 'started',
    connectionId: 'c1',
    connectionName: 'Support',
    system: 'Zendesk',
    projectKey: 'DEMO',
    condition: 'unreachable',
    words: 'Zendesk does not answer',
    check: 'Check that acme.zendesk.com is up',
    since: at - 3_900_000,
    at,
    itemsWaiting: 4,
    settingsUrl: 'https://crosswalk-demo.atlassian.net/jira/settings/crosswalk?connection=c1',
    issueKey: 'DEMO-1',
    attempts: 0,
    ...over,
  };
};
const secrets = {
  slackUrl: DEMO_SINKS.slackUrl,
  teamsUrl: DEMO_SINKS.teamsUrl,
  webhookUrl: DEMO_SINKS.webhookUrl,
  webhookSecret: DEMO_SINKS.webhookSecret,
};
const SECRET_PARTS = [DEMO_SINKS.slackUrl.slice(-24), 'sig=', DEMO_SINKS.webhookSecret, '/hooks/crosswalk'];
const expectNoSecret = (reason: string) => {
  for (const part of SECRET_PARTS) expect(reason).not.toContain(part);
};

it("the fixture app declares the app's own backend egress", () => {
  const egress = (file: string) =>
    (
      yaml.parse(readFileSync(file, 'utf8')) as {
        permissions: { external: { fetch: { backend: Array<{ address: string }> } } };
      }
    ).permissions.external.fetch.backend.map((e) => e.address);
  const root = path.resolve(__dirname, '../../..');
  expect(egress(path.join(root, 'test/fixtures/alerts-app/manifest.yml'))).toEqual(
    egress(path.join(root, 'manifest.yml')),
  );
});

describe('Slack', () => {
  it('posts the message to hooks.slack.com and Slack takes it', async () => {
    expect(await world.deliver(message(), secrets)).toEqual({ ok: true });
    const [r] = world.sinks.received('slack');
    expect(r).toMatchObject({ status: 200, host: 'hooks.slack.com' });
    expect(r!.headers['content-type']).toBe('application/json');
    const body = r!.body as { text: string; blocks: Array<{ type: string }> };
    expect(body.text).toContain('Zendesk connection "Support" (DEMO): Zendesk does not answer');
    expect(body.text).toContain('(for 1 h 5 min)');
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
  }, 30_000);

  it("says the channel is archived, not to be retried, in Slack's words and without the URL", async () => {
    const r = await world.deliver(message(), { slackUrl: DEMO_SINKS.archivedSlackUrl });
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/channel_is_archived/);
  });

  it('says a deleted webhook is gone (404 no_service)', async () => {
    world.sinks.slackHook(DEMO_SINKS.slackUrl, 'gone');
    const r = await world.deliver(message(), secrets);
    expect(r).toEqual({
      ok: false,
      retryable: false,
      reason: 'Slack says the webhook is gone (no_service): create a new incoming webhook and set its URL here',
    });
  });

  it('retries a rate limit and a server failure, and a Slack that does not answer', async () => {
    world.sinks.fail('slack', 429, 1, 30);
    const limited = await world.deliver(message(), secrets);
    expect(limited).toEqual({
      ok: false,
      retryable: true,
      reason: 'Slack is limiting how often Crosswalk may post (it asks to wait 30 s)',
    });
    world.sinks.fail('slack', 503);
    expect(await world.deliver(message(), secrets)).toMatchObject({ ok: false, retryable: true });
    world.sinks.down('slack');
    const down = await world.deliver(message(), secrets);
    expect(down).toMatchObject({ ok: false, retryable: true });
    expect(!down.ok && down.reason).toMatch(/^Crosswalk could not reach Slack at hooks\.slack\.com/);
    world.sinks.up('slack');
    expect(await world.deliver(message(), secrets)).toEqual({ ok: true });
    for (const r of [limited, down]) if (!r.ok) expectNoSecret(r.reason);
  });

  it('does not follow a redirect', async () => {
    world.sinks.fail('slack', 302);
    const r = await world.deliver(message(), secrets);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/redirect \(HTTP 302\)/);
  });
});

describe('Teams', () => {
  it.each([
    ['Logic Apps', DEMO_SINKS.teamsUrl],
    ['Power Platform', DEMO_SINKS.teamsPowerPlatformUrl],
  ])('posts an Adaptive Card the %s workflow takes (202)', async (_host, teamsUrl) => {
    expect(await world.deliver(message({ target: 'teams' }), { teamsUrl })).toEqual({ ok: true });
    const [r] = world.sinks.received('teams');
    expect(r).toMatchObject({ status: 202 });
    expect(r!.problems).toBeUndefined();
  });

  it('says the signature no longer holds when the workflow refuses it', async () => {
    const r = await world.deliver(message({ target: 'teams' }), {
      teamsUrl: DEMO_SINKS.teamsUrl.replace(/sig=[^&]+/, 'sig=old'),
    });
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/DirectApiInvalidAuthorizationSignature/);
    expectNoSecret(!r.ok ? r.reason : '');
  });
});

describe('the signed webhook', () => {
  it('reaches the approved receiver, which verifies it, and a message sent again is recognised as the same', async () => {
    const m = message({ target: 'webhook' });
    expect(await world.deliver(m, secrets)).toEqual({ ok: true });
    expect(await world.deliver(m, secrets)).toEqual({ ok: true });
    const received = world.sinks.received('webhook');
    expect(received.map((r) => [r.host, r.alertId, r.verified, r.duplicate])).toEqual([
      ['alerts.acme.example', m.id, true, false],
      ['alerts.acme.example', m.id, true, true],
    ]);
    expect(received[0]!.body).toMatchObject({ id: m.id, event: 'started', connection: { id: 'c1' }, itemsWaiting: 4 });
    // Each attempt signs anew, with the platform's clock.
    expect(Number(received[0]!.headers['x-crosswalk-timestamp'])).toBeCloseTo(world.platform.clock.now() / 1000, -2);
  });

  it('is refused by the receiver when the secrets differ', async () => {
    const r = await world.deliver(message({ target: 'webhook' }), { ...secrets, webhookSecret: 'not the one' });
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/^The webhook at alerts\.acme\.example refuses the signature/);
    expect(world.sinks.received('webhook')[0]!.verified).toBe(false);
  });

  it('is not sent to a host no Jira admin approved', async () => {
    const r = await world.deliver(message({ target: 'webhook' }), {
      ...secrets,
      webhookUrl: 'https://collector.example.org/alerts',
    });
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/may not reach collector\.example\.org/);
  });

  it('retries a receiver that fails', async () => {
    world.sinks.fail('webhook', 500);
    expect(await world.deliver(message({ target: 'webhook' }), secrets)).toMatchObject({ ok: false, retryable: true });
  });
});

describe("Jira's email", () => {
  const lead = () => world.jira.site.state.users.find((u) => u.role === 'project-lead')!.accountId;

  it('asks Jira to email the chosen people and groups about the issue, as the app', async () => {
    const r = await world.deliver(
      message({ target: 'jira-email' }),
      {},
      {
        users: [lead()],
        groups: ['c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'],
      },
    );
    expect(r).toEqual({ ok: true });
    const [n] = world.jira.notifications();
    expect(n).toMatchObject({
      issueKey: 'DEMO-1',
      by: '557058:alerts-fixture-app',
      subject: '[Crosswalk] Zendesk connection "Support" — Zendesk does not answer',
    });
    expect(n!.htmlBody).toContain(
      '<a href="https://crosswalk-demo.atlassian.net/jira/settings/crosswalk?connection=c1">',
    );
    expect(n!.textBody).toContain('4 items are waiting.');
    expect(n!.recipients).toHaveLength(2);
  });

  it('sends nothing without an issue or without recipients', async () => {
    expect(
      await world.deliver(message({ target: 'jira-email', issueKey: undefined }), {}, { users: [lead()], groups: [] }),
    ).toEqual({
      ok: false,
      retryable: false,
      reason: 'Jira sends its email about an issue, and this project has no issue yet',
    });
    expect(await world.deliver(message({ target: 'jira-email' }), {}, { users: [], groups: [] })).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(world.jira.notifications()).toEqual([]);
  });

  it("says so when the site's outgoing mail is off", async () => {
    await fetch(`${world.jira.controlUrl}/outgoing-mail`, { method: 'PUT', body: JSON.stringify({ enabled: false }) });
    try {
      const r = await world.deliver(message({ target: 'jira-email' }), {}, { users: [lead()], groups: [] });
      expect(r).toMatchObject({ ok: false, retryable: false });
      expect(!r.ok && r.reason).toMatch(/outgoing mail is turned off/);
    } finally {
      await fetch(`${world.jira.controlUrl}/outgoing-mail`, { method: 'PUT', body: JSON.stringify({ enabled: true }) });
    }
  });

  it('says Jira cannot find an issue that is gone', async () => {
    const r = await world.deliver(
      message({ target: 'jira-email', issueKey: 'DEMO-9999' }),
      {},
      { users: [lead()], groups: [] },
    );
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(!r.ok && r.reason).toMatch(/cannot find issue DEMO-9999/);
  });
});

describe('checking a URL in an invocation', () => {
  it("takes the customer's receiver once a Jira admin approved its host, and refuses another", async () => {
    expect(await world.validate('webhook', DEMO_SINKS.webhookUrl)).toEqual({ ok: true, url: DEMO_SINKS.webhookUrl });
    expect(await world.validate('webhook', DEMO_SINKS.pagerDutyUrl)).toMatchObject({ ok: true });
    expect(await world.validate('webhook', 'https://collector.example.org/x')).toMatchObject({ ok: false });
    expect(await world.validate('teams', DEMO_SINKS.teamsUrl)).toEqual({
      ok: true,
      url: DEMO_SINKS.teamsUrl.replace(':443', ''),
    });
  });
});
