/**
 * GitHub's repository webhook as Crosswalk receives it: which deliveries are
 * GitHub's (the signature), what one delivery is remembered by, which issue
 * each event names and what it touched, and which changes are Crosswalk's own.
 */
import { createHmac } from 'node:crypto';
import type { InboundNotification } from '../registry';
import type { GitHubRemote } from './remote';
import { gitHubSystem } from './system';

const SECRET = 'a webhook secret of at least sixteen characters';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const delivery = (body: string, headers: Record<string, string>): InboundNotification => ({
  body,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
});

const tokenRemote: GitHubRemote = {
  type: 'github',
  baseUrl: 'https://github.com/acme/website',
  auth: { kind: 'token', login: 'acme-crosswalk' },
};
const appRemote: GitHubRemote = {
  type: 'github',
  baseUrl: 'https://github.com/acme/website',
  auth: { kind: 'app', appId: '123456', installationId: '98765432', appSlug: 'crosswalk-sync' },
};

const issuesEvent = (action: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    action,
    issue: { number: 12, title: 'Broken link on the pricing page', state: 'open' },
    repository: { full_name: 'acme/website' },
    sender: { login: 'octo-agent' },
    ...over,
  });

const { verify, replayKey, parse, isOwnChange, itemIds } = gitHubSystem.notifications;

describe('a delivery is GitHub’s when', () => {
  it('its X-Hub-Signature-256 is GitHub’s documented HMAC of the body (the docs’ test vector)', () => {
    const request = delivery('Hello, World!', {
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    });
    expect(verify(request, { webhookSecret: "It's a Secret to Everybody" }, 0)).toBe(true);
  });

  it('and whatever case the header name arrives in', () => {
    const body = issuesEvent('edited');
    expect(verify(delivery(body, { 'X-Hub-Signature-256': sign(body) }), { webhookSecret: SECRET }, 0)).toBe(true);
  });

  it('and not when the body was changed, the secret is another, or the connection has no secret', () => {
    const body = issuesEvent('edited');
    const signature = sign(body);
    expect(
      verify(delivery(body.replace('12', '13'), { 'x-hub-signature-256': signature }), { webhookSecret: SECRET }, 0),
    ).toBe(false);
    expect(
      verify(
        delivery(body, { 'x-hub-signature-256': sign(body, 'another secret, sixteen+') }),
        { webhookSecret: SECRET },
        0,
      ),
    ).toBe(false);
    expect(verify(delivery(body, { 'x-hub-signature-256': signature }), {}, 0)).toBe(false);
  });

  it('and not when the signature is missing, or not in the sha256=<hex> form', () => {
    const body = issuesEvent('edited');
    const hex = sign(body).slice('sha256='.length);
    expect(verify(delivery(body, {}), { webhookSecret: SECRET }, 0)).toBe(false);
    // The legacy SHA-1 header alone is not enough, nor the right hex under another prefix, nor a cut one.
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    expect(verify(delivery(body, { 'x-hub-signature': sha1 }), { webhookSecret: SECRET }, 0)).toBe(false);
    expect(verify(delivery(body, { 'x-hub-signature-256': `sha1=${hex}` }), { webhookSecret: SECRET }, 0)).toBe(false);
    expect(verify(delivery(body, { 'x-hub-signature-256': hex }), { webhookSecret: SECRET }, 0)).toBe(false);
    expect(
      verify(delivery(body, { 'x-hub-signature-256': `sha256=${hex.slice(2)}` }), { webhookSecret: SECRET }, 0),
    ).toBe(false);
  });

  it('however old it is: GitHub signs no time, so freshness cannot be checked (a replay is refused by its key)', () => {
    const body = issuesEvent('edited');
    expect(
      verify(
        delivery(body, { 'x-hub-signature-256': sign(body) }),
        { webhookSecret: SECRET },
        Date.parse('2099-01-01'),
      ),
    ).toBe(true);
  });
});

describe('a delivery is remembered by', () => {
  it('its signed body: a redelivery (same body, same or another delivery GUID) is the same delivery', () => {
    const body = issuesEvent('edited');
    const first = delivery(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'a1' });
    const again = delivery(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'b2' });
    expect(replayKey(again)).toBe(replayKey(first));
    expect(replayKey(delivery(issuesEvent('closed'), {}))).not.toBe(replayKey(first));
  });
});

describe('a delivery names', () => {
  const headers = (event: string) => ({ 'x-github-event': [event] });

  it('a new issue when one is opened: everything of it is read', () => {
    expect(parse(issuesEvent('opened'), tokenRemote, headers('issues'))).toEqual([
      { remoteId: '12', event: 'github:issues.opened', changedBy: 'octo-agent', touches: { created: true } },
    ]);
  });

  it('the issue’s fields for any other issue event (edited, closed, labeled…)', () => {
    for (const action of ['edited', 'closed', 'reopened', 'labeled', 'assigned', 'typed'])
      expect(parse(issuesEvent(action), tokenRemote, headers('issues'))).toEqual([
        { remoteId: '12', event: `github:issues.${action}`, changedBy: 'octo-agent', touches: { fields: true } },
      ]);
  });

  it('the issue as the event left it, for a change; not for an issue deleted or transferred away', () => {
    const issue = {
      id: 1012,
      number: 12,
      html_url: 'https://github.com/acme/website/issues/12',
      title: 'Broken link on the pricing page',
      body: 'It 404s',
      state: 'open',
      labels: [{ name: 'good first issue' }],
      assignees: [],
      created_at: '2026-12-01T10:00:00Z',
      updated_at: '2026-12-07T10:00:05Z',
    };
    const [edited] = parse(issuesEvent('edited', { issue }), tokenRemote, headers('issues'))!;
    expect(edited?.shows).toMatchObject({
      version: '2026-12-07T10:00:05Z',
      updatedAt: Date.parse('2026-12-07T10:00:05Z'),
      complete: true,
      fields: { title: 'Broken link on the pricing page', body: 'It 404s', labels: ['good first issue'] },
    });
    for (const gone of ['deleted', 'transferred'])
      expect(parse(issuesEvent(gone, { issue }), tokenRemote, headers('issues'))![0]?.shows).toBeUndefined();
  });

  it('the issue’s comments for a comment event', () => {
    const body = issuesEvent('created', { comment: { id: 77, body: 'Thanks!' } });
    expect(parse(body, tokenRemote, headers('issue_comment'))).toEqual([
      { remoteId: '12', event: 'github:issue_comment.created', changedBy: 'octo-agent', touches: { comments: true } },
    ]);
  });

  it('nothing for a ping (sent when the webhook is made), a pull request, or another repository', () => {
    const ping = JSON.stringify({
      zen: 'Keep it logically awesome.',
      hook_id: 1,
      repository: { full_name: 'acme/website' },
    });
    expect(parse(ping, tokenRemote, headers('ping'))).toEqual([]);
    expect(parse(ping, tokenRemote, {})).toEqual([]);
    const onPullRequest = issuesEvent('created', {
      issue: { number: 13, pull_request: { url: 'https://api.github.com/repos/acme/website/pulls/13' } },
      comment: { id: 78 },
    });
    expect(parse(onPullRequest, tokenRemote, headers('issue_comment'))).toEqual([]);
    expect(
      parse(issuesEvent('edited', { repository: { full_name: 'acme/other' } }), tokenRemote, headers('issues')),
    ).toEqual([]);
  });

  it('the same issue event by its body where a receiver dropped the event header', () => {
    expect(parse(issuesEvent('created', { comment: { id: 1 } }), tokenRemote)?.[0]?.touches).toEqual({
      comments: true,
    });
    expect(parse(issuesEvent('opened'), tokenRemote)?.[0]?.touches).toEqual({ created: true });
  });

  it('and is no delivery at all when the body is not one', () => {
    expect(parse('not json', tokenRemote, headers('issues'))).toBeUndefined();
    expect(parse(JSON.stringify({ issue: { number: 'twelve' } }), tokenRemote, headers('issues'))).toBeUndefined();
    expect(itemIds(issuesEvent('edited'))).toEqual(['12']);
    expect(itemIds('{}')).toEqual([]);
  });
});

describe('a change is Crosswalk’s own when its sender is', () => {
  const ref = (changedBy: string) => ({ remoteId: '12', event: 'github:issues.edited', changedBy });

  it('the token’s account, as the settings name it', () => {
    expect(isOwnChange(ref('acme-crosswalk'), tokenRemote)).toBe(true);
    expect(isOwnChange(ref('ACME-Crosswalk'), tokenRemote)).toBe(true);
    expect(isOwnChange(ref('octo-agent'), tokenRemote)).toBe(false);
  });

  it('the App’s bot, <slug>[bot]', () => {
    expect(isOwnChange(ref('crosswalk-sync[bot]'), appRemote)).toBe(true);
    expect(isOwnChange(ref('crosswalk-sync'), appRemote)).toBe(false);
    expect(isOwnChange({ remoteId: '12', event: 'github:issues.edited' }, appRemote)).toBe(false);
  });
});
