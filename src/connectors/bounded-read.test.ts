/**
 * An answer is read a chunk at a time and no further than the cap: a body that
 * never ends, or that claims a small Content-Length and streams on, is stopped
 * with an `over-limit` failure, never buffered whole.
 */
import { SyncError } from './errors';
import { MAX_ANSWER_BYTES, readJson } from './http';

/** A body that streams `first`, then `chunk` forever (or until `times` chunks in all), counting what was pulled from it. */
function streaming(chunk: string, times = Infinity, first = chunk) {
  const encode = (s: string) => new TextEncoder().encode(s);
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= times) return controller.close();
      controller.enqueue(encode(seen.pulled++ ? chunk : first));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const failureOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SyncError);
  return (e as SyncError).details;
};

describe('reading an answer by the bytes it streams', () => {
  it('stops an endless body past the cap, whatever Content-Length it declared', async () => {
    const { body, seen } = streaming('x'.repeat(1024));
    const res = new Response(body, {
      status: 200,
      headers: { 'content-length': '2', 'content-type': 'application/json' },
    });
    expect(await failureOf(readJson('servicenow', res, 'Read journal', 64 * 1024))).toMatchObject({
      kind: 'over-limit',
      system: 'servicenow',
      message: 'Read journal stopped: the answer was larger than 65,536 bytes, the most Crosswalk reads of one answer',
    });
    // 64 chunks fill the cap, the 65th goes past it; the stream may have fetched one more ahead of the read.
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeGreaterThanOrEqual(65);
    expect(seen.pulled).toBeLessThanOrEqual(66);
  });

  it('refuses an answer that declares more than the cap without reading it', async () => {
    const { body, seen } = streaming('{}', 1);
    const res = new Response(body, { status: 200, headers: { 'content-length': String(MAX_ANSWER_BYTES + 1) } });
    expect(await failureOf(readJson('zendesk', res, 'List changed tickets'))).toMatchObject({
      kind: 'over-limit',
      message: 'List changed tickets stopped: the answer was larger than 32 MB, the most Crosswalk reads of one answer',
    });
    expect(seen.pulled).toBe(0);
  });

  it('reads an answer of exactly the cap, in as many chunks as it comes', async () => {
    const json = `[${'"abcdefg",'.repeat(6553)}"ab"]`;
    expect(Buffer.byteLength(json)).toBe(65_536);
    const chunks = json.match(/.{1,1000}/gs)!;
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < chunks.length) c.enqueue(new TextEncoder().encode(chunks[i++]));
        else c.close();
      },
    });
    expect(await readJson('jira', new Response(body), 'Read comments', 65_536)).toEqual(JSON.parse(json));
  });

  it('reads a failed answer only as far as its message, and keeps the failure kind', async () => {
    const message = JSON.stringify({ error: { message: 'Too busy', detail: 'x' } });
    const { body, seen } = streaming(' '.repeat(4096), Infinity, message);
    const res = new Response(body, { status: 503 });
    expect(await failureOf(readJson('servicenow', res, 'Read incident'))).toMatchObject({
      kind: 'transient',
      httpStatus: 503,
      remoteMessage: 'Too busy: x',
    });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(18);
  });

  it('decodes characters split across chunks', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ name: 'Zoë 😀' }));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of bytes) c.enqueue(Uint8Array.of(b));
        c.close();
      },
    });
    expect(await readJson('zendesk', new Response(body), 'Read user')).toEqual({ name: 'Zoë 😀' });
  });
});
