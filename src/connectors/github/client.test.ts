/**
 * The GitHub connector's wire behaviour against a fetch that answers as
 * GitHub's API does: conditional reads, failures by kind, the correlation
 * marker in the body, pull requests left out, and what GitHub cannot do.
 */
import { syncFailure } from '../../../test/support/sync-error';
import { docOf, parseBody, projectionOf, renderBody } from '../../content/rich';
import { GitHubConnector } from './client';
import { fakeGitHub, issueJson, json, on, type Route } from './fake-api.test-support';

const REPO_API = 'https://api.github.com/repos/acme/website';
const ISSUES = '/repos/acme/website/issues';
const issue = (over: Record<string, unknown> = {}) =>
  issueJson({
    repository_url: REPO_API,
    html_url: `https://github.com/acme/website/issues/${String(over.number ?? 1347)}`,
    ...over,
  });

function connectorWith(...routes: Route[]) {
  const fake = fakeGitHub(...routes);
  const connector = new GitHubConnector({
    baseUrl: 'https://github.com/acme/website',
    auth: { kind: 'token', token: 'github_pat_test' },
    ownLogin: 'acme-crosswalk',
    fetch: fake.fetch,
    now: () => Date.parse('2026-12-07T12:00:00Z'),
  });
  return { connector, sent: fake.sent };
}

describe('reading an issue', () => {
  it('gives its fields in GitHub’s own values, named #<number>', async () => {
    const { connector } = connectorWith(
      on('GET', `${ISSUES}/7`, () =>
        json(
          200,
          issue({
            number: 7,
            state: 'closed',
            state_reason: 'not_planned',
            labels: [{ name: 'bug' }, 'docs'],
            assignees: [{ login: 'zed' }, { login: 'amy' }],
            milestone: { number: 3, title: 'v2.0' },
            type: { id: 1, name: 'Bug' },
            parent_issue_url: `${REPO_API}/issues/2`,
          }),
        ),
      ),
    );
    const item = await connector.getItem('7');
    expect(item).toMatchObject({
      id: '7',
      displayKey: '#7',
      url: 'https://github.com/acme/website/issues/7',
      parent: '2',
      fields: {
        title: 'Found a bug',
        state: 'closed',
        state_reason: 'not_planned',
        labels: ['bug', 'docs'],
        assignees: ['amy', 'zed'],
        milestone: 'v2.0',
        type: 'Bug',
      },
    });
    expect(connector.statusLabel(item!)).toBe('Closed as not planned');
    expect(connector.hierarchy.parentOf(item!)).toBe('2');
  });

  it('asks again with the ETag, and an unchanged answer (304, free of GitHub’s rate limit) is the one kept', async () => {
    let reads = 0;
    const { connector, sent } = connectorWith(
      on('GET', `${ISSUES}/7`, (r) =>
        r.headers['if-none-match'] === 'W/"abc"'
          ? json(304, null, { etag: 'W/"abc"' })
          : (reads++, json(200, issue({ number: 7, title: 'Kept' }), { etag: 'W/"abc"' })),
      ),
    );
    expect((await connector.getItem('7'))?.fields.title).toBe('Kept');
    expect((await connector.getItem('7'))?.fields.title).toBe('Kept');
    expect(reads).toBe(1);
    expect(sent.map((s) => s.headers['if-none-match'])).toEqual([undefined, 'W/"abc"']);
  });

  it('keeps no answer too large to be worth its memory: a long issue is read whole again', async () => {
    const { connector, sent } = connectorWith(
      on('GET', `${ISSUES}/7`, () => json(200, issue({ number: 7, body: 'x'.repeat(600 * 1024) }), { etag: '"big"' })),
    );
    await connector.getItem('7');
    await connector.getItem('7');
    expect(sent.map((s) => s.headers['if-none-match'])).toEqual([undefined, undefined]);
  });

  it('is nothing for a pull request, an issue transferred to another repository, a deleted one (410) or a missing one', async () => {
    const { connector } = connectorWith(
      on('GET', `${ISSUES}/1`, () => json(200, issue({ number: 1, pull_request: { url: `${REPO_API}/pulls/1` } }))),
      on('GET', `${ISSUES}/2`, () =>
        json(200, issue({ number: 9, repository_url: 'https://api.github.com/repos/acme/other' })),
      ),
      on('GET', `${ISSUES}/3`, () => json(410, { message: 'This issue was deleted' })),
    );
    expect(await connector.getItem('1')).toBeUndefined();
    expect(await connector.getItem('2')).toBeUndefined();
    expect(await connector.getItem('3')).toBeUndefined();
    expect(await connector.getItem('4')).toBeUndefined();
    expect(await connector.getItem('../hooks')).toBeUndefined();
  });
});

describe('GitHub’s failures', () => {
  const failing = (status: number, headers: Record<string, string>, message: string) =>
    connectorWith(on('GET', `${ISSUES}/1`, () => json(status, { message }, headers))).connector.getItem('1');

  it('429 is rate-limited for the retry-after GitHub gives', async () => {
    const e = await syncFailure(failing(429, { 'retry-after': '30' }, 'Too many requests'));
    expect(e.details).toMatchObject({ kind: 'rate-limited', retryAfterMs: 30_000 });
  });

  it('403 with x-ratelimit-remaining 0 is rate-limited until x-ratelimit-reset', async () => {
    const reset = String(Date.parse('2026-12-07T12:10:00Z') / 1000);
    const e = await syncFailure(
      failing(
        403,
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        'API rate limit exceeded for installation ID 1.',
      ),
    );
    expect(e.details).toMatchObject({ kind: 'rate-limited', retryAfterMs: 10 * 60_000 });
  });

  it('403 with retry-after (a secondary limit) is rate-limited for that long; one without any header waits a minute', async () => {
    expect(
      (await syncFailure(failing(403, { 'retry-after': '5' }, 'You have exceeded a secondary rate limit'))).details,
    ).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 5000,
    });
    expect((await syncFailure(failing(403, {}, 'You have exceeded a secondary rate limit.'))).details).toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 60_000,
    });
  });

  it('403 for a permission the App or token lacks is auth, as 401 bad credentials is', async () => {
    expect((await syncFailure(failing(403, {}, 'Resource not accessible by integration'))).kind).toBe('auth');
    expect((await syncFailure(failing(403, {}, 'Must have admin rights to Repository.'))).kind).toBe('auth');
    expect((await syncFailure(failing(401, {}, 'Bad credentials'))).kind).toBe('auth');
  });

  it('any other 403 is the item’s own refusal (a locked issue), not the whole connection’s', async () => {
    const e = await syncFailure(failing(403, {}, 'Unable to create comment because issue is locked.'));
    expect(e.details).toMatchObject({
      kind: 'validation',
      remoteMessage: 'Unable to create comment because issue is locked.',
    });
  });

  it('422 names each field GitHub refused', async () => {
    const { connector } = connectorWith(
      on('GET', `${ISSUES}/1`, () => json(200, issue({ number: 1 }))),
      on('PATCH', `${ISSUES}/1`, () =>
        json(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Issue',
              code: 'custom',
              field: 'body',
              message: 'body is too long (maximum is 65536 characters)',
            },
          ],
        }),
      ),
    );
    const e = await syncFailure(connector.updateItem('1', { body: 'x'.repeat(70_000) }));
    expect(e.details).toMatchObject({
      kind: 'validation',
      refused: { body: 'body is too long (maximum is 65536 characters)' },
    });
  });
});

describe('the correlation marker', () => {
  const MARKER_ID = 'crosswalk:site1:web-github:10042';

  it('is written into the body as a hidden HTML comment at create, and the engine never sees it', async () => {
    let stored: Record<string, unknown> | undefined;
    const { connector, sent } = connectorWith(
      on('POST', ISSUES, (r) => {
        stored = issue({ number: 8, ...(r.body as Record<string, unknown>) });
        return json(201, stored);
      }),
    );
    const markdown = '## Steps\n\n1. Open **pricing**\n2. Click `Buy`\n\n> it fails';
    const created = await connector.createItem({ title: 'Checkout fails', body: markdown, labels: ['bug'] }, MARKER_ID);
    expect((sent[0]!.body as { body: string }).body).toBe(`${markdown}\n\n<!-- crosswalk:${MARKER_ID} -->`);
    expect(created).toMatchObject({
      id: '8',
      correlationId: MARKER_ID,
      fields: { body: markdown, title: 'Checkout fails', labels: ['bug'] },
    });
  });

  it('stays on the body when Jira’s description is written again (the Markdown round trip keeps it)', async () => {
    let body = `Old text\n\n<!-- crosswalk:${MARKER_ID} -->`;
    const { connector, sent } = connectorWith(
      on('GET', `${ISSUES}/8`, () => json(200, issue({ number: 8, body }))),
      on('PATCH', `${ISSUES}/8`, (r) => {
        body = (r.body as { body: string }).body;
        return json(200, issue({ number: 8, body }));
      }),
    );
    const updated = await connector.updateItem('8', { body: 'New *text* with a [link](https://example.com)' });
    expect(body).toBe(`New *text* with a [link](https://example.com)\n\n<!-- crosswalk:${MARKER_ID} -->`);
    expect(updated.fields.body).toBe('New *text* with a [link](https://example.com)');
    expect(updated.correlationId).toBe(MARKER_ID);
    expect(sent.filter((s) => s.method === 'PATCH')).toHaveLength(1);
  });

  it('finds the issue a crashed create made though search has not indexed it yet, by listing the newest issues', async () => {
    const { connector, sent } = connectorWith(
      // The search index lags: it knows nothing of the new issue.
      on('GET', /^\/search\/issues/, () => json(200, { total_count: 0, incomplete_results: false, items: [] })),
      on('GET', `${ISSUES}?state=all&sort=created&direction=desc&per_page=100`, () =>
        json(
          200,
          [
            issue({ number: 12, body: 'Someone else’s', pull_request: { url: `${REPO_API}/pulls/12` } }),
            issue({ number: 11, body: `Made by Crosswalk\n\n<!-- crosswalk:${MARKER_ID} -->` }),
            issue({ number: 10, body: null }),
          ],
          { link: `<${REPO_API}/issues?state=all&sort=created&direction=desc&per_page=100&page=2>; rel="next"` },
        ),
      ),
    );
    const found = await connector.findByCorrelation(MARKER_ID);
    expect(found).toMatchObject({ id: '11', correlationId: MARKER_ID, fields: { body: 'Made by Crosswalk' } });
    expect(sent.some((s) => s.url.includes('/search/'))).toBe(false);
  });

  it('is not found past the newest few pages, and markCorrelation writes it once on an issue made elsewhere', async () => {
    let page = 0;
    const { connector, sent } = connectorWith(
      on('GET', /\/issues\?state=all&sort=created/, () => {
        page++;
        return json(200, [issue({ number: 100 - page })], {
          link: `<${REPO_API}/issues?state=all&sort=created&direction=desc&per_page=100&page=${page + 1}>; rel="next"`,
        });
      }),
      on('GET', `${ISSUES}/5`, () => json(200, issue({ number: 5, body: 'Reported by a customer' }))),
      on('PATCH', `${ISSUES}/5`, (r) => json(200, issue({ number: 5, ...(r.body as object) }))),
    );
    expect(await connector.findByCorrelation(MARKER_ID)).toBeUndefined();
    expect(page).toBe(3);
    await connector.markCorrelation('5', MARKER_ID);
    expect(sent.find((s) => s.method === 'PATCH')?.body).toEqual({
      body: `Reported by a customer\n\n<!-- crosswalk:${MARKER_ID} -->`,
    });
  });
});

describe('writing fields', () => {
  it("writes a label Jira holds with underscores under the repository's own name with spaces, reading the labels only then", async () => {
    const { connector, sent } = connectorWith(
      on('GET', '/repos/acme/website/labels?per_page=100', () =>
        json(200, [{ name: 'bug' }, { name: 'good first issue' }]),
      ),
      on('PATCH', `${ISSUES}/3`, (r) => json(200, issue({ number: 3, ...(r.body as object) }))),
    );
    await connector.updateItem('3', { labels: ['bug'] });
    expect(sent.some((s) => s.url.includes('/labels'))).toBe(false);
    await connector.updateItem('3', { labels: ['bug', 'good_first_issue'] });
    expect(sent.filter((s) => s.method === 'PATCH')[1]?.body).toEqual({ labels: ['bug', 'good first issue'] });
  });

  it('sends labels and assignees as whole sets, the milestone by its number, and a reason with the state', async () => {
    const { connector, sent } = connectorWith(
      on('GET', '/repos/acme/website/milestones?state=all&per_page=100', () =>
        json(200, [
          { number: 1, title: 'v1.0' },
          { number: 2, title: 'v2.0' },
        ]),
      ),
      on('GET', `${ISSUES}/3`, () => json(200, issue({ number: 3, state: 'closed', state_reason: 'completed' }))),
      on('PATCH', `${ISSUES}/3`, (r) => json(200, issue({ number: 3, ...(r.body as object), milestone: null }))),
    );
    await connector.updateItem('3', { labels: ['a', 'b'], assignees: [], milestone: 'v2.0' });
    expect(sent.find((s) => s.method === 'PATCH')?.body).toEqual({ labels: ['a', 'b'], assignees: [], milestone: 2 });
    // GitHub reads state_reason only beside state: the issue's state goes along.
    await connector.updateItem('3', { state_reason: 'not_planned' });
    expect(sent.filter((s) => s.method === 'PATCH')[1]?.body).toEqual({ state: 'closed', state_reason: 'not_planned' });
    const e = await syncFailure(connector.updateItem('3', { milestone: 'v9' }));
    expect(e.details).toMatchObject({
      kind: 'validation',
      refused: { milestone: expect.stringContaining('v9') as string },
    });
  });

  it('makes a closed issue in two writes: GitHub opens every new issue', async () => {
    const { connector, sent } = connectorWith(
      on('POST', ISSUES, (r) => json(201, issue({ number: 9, ...(r.body as object) }))),
      on('PATCH', `${ISSUES}/9`, (r) => json(200, issue({ number: 9, ...(r.body as object) }))),
    );
    const made = await connector.createItem(
      { title: 'Done already', state: 'closed', state_reason: 'completed' },
      'c1',
    );
    expect(sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([`POST ${ISSUES}`, `PATCH ${ISSUES}/9`]);
    expect(sent[0]?.body).not.toHaveProperty('state');
    expect(made.fields.state).toBe('closed');
  });
});

describe('the sweep', () => {
  it('lists issues changed since a time to the second, oldest first, without pull requests, page by page', async () => {
    const next = `${REPO_API}/issues?state=all&sort=updated&direction=asc&since=2026-12-07T11%3A00%3A00Z&per_page=100&page=2`;
    const { connector, sent } = connectorWith(
      on('GET', `${ISSUES}?state=all&sort=updated&direction=asc&since=2026-12-07T11:00:00Z&per_page=100`, () =>
        json(
          200,
          [
            issue({ number: 1, updated_at: '2026-12-07T11:00:00Z' }),
            issue({ number: 2, updated_at: '2026-12-07T11:00:01Z', pull_request: { url: 'x' } }),
          ],
          { link: `<${next}>; rel="next", <${next}>; rel="last"` },
        ),
      ),
    );
    const page = await connector.listChanged(Date.parse('2026-12-07T11:00:00.750Z'));
    expect(page).toEqual({ items: [{ id: '1', updatedAt: Date.parse('2026-12-07T11:00:00Z') }], cursor: next });
    expect(sent).toHaveLength(1);
  });
});

describe('what GitHub cannot do', () => {
  it('attach a file: the upload is refused as unsupported, and nothing is sent', async () => {
    const { connector, sent } = connectorWith();
    const e = await syncFailure(
      connector.uploadAttachment('1', {
        fileName: 'log.txt',
        contentType: 'text/plain',
        size: 3,
        body: new Uint8Array([1, 2, 3]),
      }),
    );
    expect(e.kind).toBe('unsupported');
    expect(sent).toHaveLength(0);
    expect(connector.capabilities.attachments).toEqual({ upload: false, delete: false });
  });

  it('keep a comment internal: an internal comment is refused, never made public', async () => {
    const { connector, sent } = connectorWith();
    expect((await syncFailure(connector.addComment('1', { body: 'secret', visibility: 'internal' }))).kind).toBe(
      'unsupported',
    );
    expect(sent).toHaveLength(0);
    expect(connector.capabilities.commentVisibilities).toEqual(['public']);
  });
});

describe('images in a body', () => {
  it('are files only at github.com/user-attachments/assets/…, downloaded with the credential', async () => {
    const { connector, sent } = connectorWith(
      on(
        'GET',
        '/user-attachments/assets/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab',
        () =>
          new Response(new Uint8Array([137, 80, 78, 71]), {
            status: 200,
            headers: { 'content-type': 'image/png', 'content-length': '4' },
          }),
      ),
    );
    const src = 'https://github.com/user-attachments/assets/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    const file = await connector.inlineFile('1', src);
    expect(file).toEqual({ id: src, fileName: '0f1e2d3c-aaaa-bbbb-cccc-1234567890ab' });
    expect(await connector.inlineFile('1', 'https://evil.example/user-attachments/assets/x')).toBeUndefined();
    expect(await connector.inlineFile('1', 'https://github.com/acme/website/raw/main/logo.png')).toBeUndefined();
    const download = await connector.downloadAttachment('1', file!.id);
    expect(download).toMatchObject({ size: 4, contentType: 'image/png' });
    expect(sent[0]?.headers.authorization).toBe('Bearer github_pat_test');
    expect((await syncFailure(connector.downloadAttachment('1', 'https://evil.example/x'))).kind).toBe('not-found');
  });
});

describe('a Jira description', () => {
  it('crosses as Markdown and reads back as the same document: the marker is no part of what Jira gets', async () => {
    const doc = docOf([
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Steps' }] },
      {
        type: 'orderedList',
        content: [
          {
            type: 'listItem',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Open the pricing page' }] }],
          },
          {
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'Click ' },
                  { type: 'text', text: 'Buy', marks: [{ type: 'strong' }] },
                ],
              },
            ],
          },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'js' }, content: [{ type: 'text', text: 'checkout() // throws' }] },
    ]);
    let stored: Record<string, unknown> = {};
    const { connector } = connectorWith(
      on('POST', ISSUES, (r) => json(201, (stored = issue({ number: 21, ...(r.body as object) })))),
      on('GET', `${ISSUES}/21`, () => json(200, stored)),
    );
    const markdown = renderBody('markdown', doc).body;
    await connector.createItem({ title: 'Checkout fails', body: markdown }, 'crosswalk:s:web-github:1');
    expect(String(stored.body)).toContain('<!-- crosswalk:crosswalk:s:web-github:1 -->');
    const read = await connector.getItem('21');
    const back = parseBody('markdown', read?.fields.body).doc;
    expect(projectionOf('markdown', back).body).toBe(projectionOf('markdown', doc).body);
    expect(JSON.stringify(back)).not.toContain('crosswalk');
  });
});
