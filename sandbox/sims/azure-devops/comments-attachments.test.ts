import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient, patch, type AdoErrorJson, type CommentJson, type WorkItemJson } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
const START = Date.UTC(2026, 10, 24, 9, 0, 0);
let clock = START;
const P = '/acme/Operations/_apis/wit';
const PREVIEW = 'api-version=7.1-preview.4';

interface CommentList {
  totalCount: number;
  count: number;
  comments: CommentJson[];
  continuationToken?: string;
  nextPage?: string;
}

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => clock });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat);
});
afterAll(() => sim.stop());
beforeEach(async () => {
  clock = START;
  await fetch(`${sim.controlUrl}/reset`, { method: 'POST' });
});

const addComment = async (id: number, text: string) => {
  const res = await ado<CommentJson>('POST', `${P}/workItems/${id}/comments?${PREVIEW}`, { text });
  expect(res.status).toBe(200);
  return res.json;
};

describe('comments (7.1-preview.4)', () => {
  it('is only served on a preview api-version', async () => {
    const res = await ado<AdoErrorJson>('POST', `${P}/workItems/1/comments?api-version=7.1`, { text: 'hi' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      typeKey: 'VssInvalidPreviewVersionException',
      message: expect.stringContaining('The -preview flag must be supplied'),
    });
    expect((await ado('GET', `${P}/workItems/1/comments?api-version=7.1-preview.3`)).status).toBe(200);
    expect((await ado('GET', `${P}/workItems/1/comments?api-version=7.1-preview.2`)).status).toBe(400);
  });

  it('adds an HTML comment, which bumps the work item rev and shows as System.History in its update', async () => {
    const comment = await addComment(1, '<p>Looking into it</p><script>x()</script>');
    expect(comment).toMatchObject({
      workItemId: 1,
      id: expect.any(Number),
      version: 1,
      text: '<p>Looking into it</p>',
      renderedText: '<p>Looking into it</p>',
      format: 'html',
      isDeleted: false,
      createdBy: { uniqueName: 'crosswalk@acme.example' },
      url: `https://dev.azure.com/acme/${sim.store.org('acme')!.projects[0]!.id}/_apis/wit/workItems/1/comments/${comment.id}`,
    });
    const item = (await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json;
    expect(item.rev).toBe(2);
    expect(item.fields['System.CommentCount']).toBe(1);
    const updates = (
      await ado<{ value: Array<{ fields: Record<string, { newValue?: unknown }> }> }>('GET', `${P}/workitems/1/updates`)
    ).json.value;
    expect(updates[1]!.fields['System.History']).toEqual({ newValue: '<p>Looking into it</p>' });
  });

  it('creates a comment from a System.History write in a PATCH', async () => {
    await ado('PATCH', `${P}/workitems/1`, patch({ 'System.History': '<div>From history</div>' }));
    const list = (await ado<CommentList>('GET', `${P}/workItems/1/comments?${PREVIEW}`)).json;
    expect(list.comments.map((c) => c.text)).toEqual(['<div>From history</div>']);
  });

  it('takes format=markdown and renders it', async () => {
    const res = await ado<CommentJson>('POST', `${P}/workItems/1/comments?${PREVIEW}&format=markdown`, {
      text: '**bold** <b>',
    });
    expect(res.json).toMatchObject({
      format: 'markdown',
      text: '**bold** <b>',
      renderedText: '<p><strong>bold</strong> &lt;b&gt;</p>',
    });
  });

  it('gets and edits a comment; an edit bumps its version', async () => {
    const c = await addComment(1, 'first');
    clock += 5_000;
    const edited = await ado<CommentJson & { modifiedDate: string }>(
      'PATCH',
      `${P}/workItems/1/comments/${c.id}?${PREVIEW}`,
      { text: 'first, edited' },
    );
    expect(edited.json).toMatchObject({
      id: c.id,
      version: 2,
      text: 'first, edited',
      modifiedDate: '2026-11-24T09:00:05Z',
    });
    expect((await ado<CommentJson>('GET', `${P}/workItems/1/comments/${c.id}?${PREVIEW}`)).json.version).toBe(2);
    const versions = (
      await ado<{ count: number; value: Array<{ version: number; text: string }> }>(
        'GET',
        `${P}/workItems/1/comments/${c.id}/versions?${PREVIEW}`,
      )
    ).json;
    expect(versions.value.map((v) => v.text)).toEqual(['first', 'first, edited']);
    expect(
      (await ado<{ text: string }>('GET', `${P}/workItems/1/comments/${c.id}/versions/1?${PREVIEW}`)).json.text,
    ).toBe('first');
  });

  it('soft-deletes: the comment disappears from lists unless includeDeleted, and is marked isDeleted', async () => {
    const c = await addComment(1, 'oops');
    expect((await ado('DELETE', `${P}/workItems/1/comments/${c.id}?${PREVIEW}`)).status).toBe(204);
    expect((await ado('GET', `${P}/workItems/1/comments/${c.id}?${PREVIEW}`)).status).toBe(404);
    expect(
      (await ado<CommentJson>('GET', `${P}/workItems/1/comments/${c.id}?${PREVIEW}&includeDeleted=true`)).json,
    ).toMatchObject({ isDeleted: true, version: 2 });
    expect((await ado<CommentList>('GET', `${P}/workItems/1/comments?${PREVIEW}`)).json.totalCount).toBe(0);
    expect(
      (await ado<CommentList>('GET', `${P}/workItems/1/comments?${PREVIEW}&includeDeleted=true`)).json.comments[0]!
        .isDeleted,
    ).toBe(true);
    expect((await ado<WorkItemJson>('GET', `${P}/workitems/1`)).json.fields['System.CommentCount']).toBe(0);
  });

  it('lists newest first by default, pages with $top and continuationToken, and caps $top at 200', async () => {
    for (let i = 1; i <= 5; i++) await addComment(2, `c${i}`);
    const first = (await ado<CommentList>('GET', `${P}/workItems/2/comments?${PREVIEW}&$top=2`)).json;
    expect(first).toMatchObject({ totalCount: 5, count: 2, continuationToken: expect.any(String) });
    expect(first.comments.map((c) => c.text)).toEqual(['c5', 'c4']);
    expect(first.nextPage).toContain('continuationToken=');
    const texts = first.comments.map((c) => c.text);
    let token = first.continuationToken;
    while (token) {
      const next = (
        await ado<CommentList>('GET', `${P}/workItems/2/comments?${PREVIEW}&$top=2&continuationToken=${token}`)
      ).json;
      texts.push(...next.comments.map((c) => c.text));
      token = next.continuationToken;
    }
    expect(texts).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    expect(
      (await ado<CommentList>('GET', `${P}/workItems/2/comments?${PREVIEW}&order=asc`)).json.comments.map(
        (c) => c.text,
      ),
    ).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect((await ado('GET', `${P}/workItems/2/comments?${PREVIEW}&$top=201`)).status).toBe(400);
  });

  it('refuses empty text and unknown work items', async () => {
    expect((await ado('POST', `${P}/workItems/1/comments?${PREVIEW}`, { text: '  ' })).status).toBe(400);
    expect((await ado('POST', `${P}/workItems/404/comments?${PREVIEW}`, { text: 'x' })).status).toBe(404);
  });
});

describe('attachments', () => {
  const upload = (name: string, bytes: Uint8Array, extra = '') =>
    ado<{ id: string; url: string }>('POST', `${P}/attachments?fileName=${encodeURIComponent(name)}${extra}`, bytes);

  it('uploads an octet-stream (201 {id,url}) and downloads it', async () => {
    const res = await upload('log file.txt', new TextEncoder().encode('hello log'));
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: `https://dev.azure.com/acme/_apis/wit/attachments/${res.json.id}?fileName=log%20file.txt`,
    });
    const down = await fetch(
      `${sim.baseUrl}/acme/Operations/_apis/wit/attachments/${res.json.id}?api-version=7.1&download=true`,
      { headers: { authorization: `Basic ${Buffer.from(`:${DEMO_CREDENTIALS.integration.pat}`).toString('base64')}` } },
    );
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    expect(down.headers.get('content-disposition')).toContain('attachment; filename="log file.txt"');
    expect(await down.text()).toBe('hello log');
    expect((await ado('POST', `${P}/attachments`, new Uint8Array([1]))).status).toBe(400);
  });

  it('links an attachment with an AttachedFile relation', async () => {
    const att = (await upload('trace.log', new Uint8Array([1, 2, 3]))).json;
    const res = await ado<WorkItemJson>('PATCH', `${P}/workitems/1`, [
      {
        op: 'add',
        path: '/relations/-',
        value: { rel: 'AttachedFile', url: att.url, attributes: { comment: 'from Jira' } },
      },
    ]);
    expect(res.json.relations?.[0]).toMatchObject({
      rel: 'AttachedFile',
      url: att.url,
      attributes: { comment: 'from Jira', name: 'trace.log', resourceSize: 3 },
    });
    const bogus = `https://dev.azure.com/acme/_apis/wit/attachments/00000000-0000-0000-0000-000000000000?fileName=x`;
    expect(
      (
        await ado('PATCH', `${P}/workitems/1`, [
          { op: 'add', path: '/relations/-', value: { rel: 'AttachedFile', url: bogus } },
        ])
      ).status,
    ).toBe(400);
  });

  it('refuses a single upload above the size limit (130 MB by default, configurable)', async () => {
    expect(sim.store.limits.attachmentMaxBytes).toBe(130 * 1024 * 1024);
    await fetch(`${sim.controlUrl}/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attachmentMaxBytes: 10 }),
    });
    const res = await upload('big.bin', new Uint8Array(11));
    expect(res.status).toBe(413);
    expect((await upload('ok.bin', new Uint8Array(10))).status).toBe(201);
  });

  it('takes a chunked upload: start with uploadType=Chunked, then PUT chunks with Content-Range', async () => {
    await fetch(`${sim.controlUrl}/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attachmentMaxBytes: 4 }),
    });
    const start = await upload('large.zip', new Uint8Array(0), '&uploadType=Chunked');
    expect(start.status).toBe(201);
    const id = start.json.id;
    const put = (from: number, bytes: number[], total: number) =>
      ado<{ id: string }>('PUT', `${P}/attachments/${id}?uploadType=Chunked`, new Uint8Array(bytes), {
        'content-range': `bytes ${from}-${from + bytes.length - 1}/${total}`,
      });
    expect((await put(0, [1, 2, 3, 4], 10)).status).toBe(201);
    expect((await ado('GET', `${P}/attachments/${id}`)).status).toBe(404);
    expect((await put(6, [7, 8, 9, 10], 10)).status).toBe(400);
    expect((await put(4, [5, 6, 7], 10)).status).toBe(201);
    expect((await put(7, [8, 9, 10], 10)).status).toBe(201);
    const down = await ado('GET', `${P}/attachments/${id}`);
    expect(down.status).toBe(200);
    expect(Buffer.from(down.text, 'latin1')).toEqual(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });
});
