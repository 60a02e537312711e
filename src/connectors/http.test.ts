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

  it('treats a data-policy 403 as validation and an ACL 403 as auth', () => {
    expect(
      failureFromResponse(
        'servicenow',
        res(403),
        JSON.stringify({ error: { message: 'Operation Failed', detail: 'Data Policy Exception' } }),
        'x',
      ).kind,
    ).toBe('validation');
    expect(
      failureFromResponse(
        'servicenow',
        res(403),
        JSON.stringify({ error: { message: 'Operation Failed', detail: 'ACL Exception' } }),
        'x',
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
