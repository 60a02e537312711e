import { SERVICENOW_HTTP } from './servicenow/client';
import { failureFromResponse, readJson, retryAfterMs } from './http';

const res = (status: number, body = '', headers: Record<string, string> = {}) =>
  new Response(body, { status, headers });

describe('classifying HTTP failures', () => {
  it.each([
    [429, 'rate-limited'],
    [401, 'auth'],
    [404, 'not-found'],
    [409, 'conflict'],
    [500, 'transient'],
    [503, 'transient'],
    [400, 'validation'],
  ])('%i is %s', (status, kind) => {
    expect(failureFromResponse('servicenow', res(status), '', 'Update').kind).toBe(kind);
  });

  it("keeps the remote's message and the server's retry window", () => {
    const e = failureFromResponse(
      'servicenow',
      res(429, '', { 'retry-after': '30' }),
      JSON.stringify({ error: { message: 'Rate limit exceeded', detail: 'per hour' }, status: 'failure' }),
      'Read incident',
    );
    expect(e.details).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 30_000,
      remoteMessage: 'Rate limit exceeded: per hour',
    });
    expect(
      retryAfterMs(
        new Headers({ 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 1)).toUTCString() }),
        Date.UTC(2026, 0, 1),
      ),
    ).toBe(60_000);
  });

  it('takes a 403 as auth, or as a rate limit when it says when to come back', () => {
    expect(failureFromResponse('github', res(403), '{"message":"Resource not accessible"}', 'x').kind).toBe('auth');
    expect(
      failureFromResponse('github', res(403, '{"message":"secondary rate limit"}', { 'retry-after': '60' }), '', 'x')
        .details,
    ).toMatchObject({ kind: 'rate-limited', retryAfterMs: 60_000 });
    expect(failureFromResponse('github', res(403, '', { 'x-ratelimit-remaining': '0' }), '', 'x').kind).toBe(
      'rate-limited',
    );
  });

  it("treats ServiceNow's data-policy 403 as validation and an ACL 403 as auth (its own quirk)", () => {
    const quirks = SERVICENOW_HTTP;
    expect(
      failureFromResponse(
        'servicenow',
        res(403),
        JSON.stringify({ error: { message: 'Operation Failed', detail: 'Data Policy Exception' } }),
        'x',
        quirks,
      ).kind,
    ).toBe('validation');
    expect(
      failureFromResponse(
        'servicenow',
        res(403),
        JSON.stringify({ error: { message: 'Operation Failed', detail: 'ACL Exception' } }),
        'x',
        quirks,
      ).kind,
    ).toBe('auth');
  });

  it('reads Jira error bodies', () => {
    expect(
      failureFromResponse('jira', res(400), JSON.stringify({ errorMessages: [], errors: { summary: 'required' } }), 'x')
        .details.remoteMessage,
    ).toBe('summary: required');
  });

  it('takes an HTML page from a hibernating instance as transient, not as data', async () => {
    await expect(
      readJson(
        'servicenow',
        res(200, '<html><h1>Your instance is hibernating</h1></html>', { 'content-type': 'text/html' }),
        'Read',
      ),
    ).rejects.toMatchObject({ kind: 'transient' });
  });
});
