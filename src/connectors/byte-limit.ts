/**
 * A file's bytes counted as they stream. What a listing declares of a file's
 * size is only a claim (a relation's `resourceSize` is written by whoever added
 * the file; a download's Content-Length can differ from it): the limit holds for
 * the bytes that actually pass, and the stream stops past it.
 */
import { SyncError } from './errors';

export interface LimitedStream {
  stream: ReadableStream<Uint8Array>;
  /** Whether the stream was stopped for passing the limit (set before the failure reaches the reader). */
  readonly over: boolean;
  /** Bytes that passed. */
  readonly bytes: number;
}

/**
 * `source`, failing with an `over-limit` SyncError once more than `maxBytes`
 * have passed; the source is then cancelled, so the rest is never downloaded.
 */
export function limitBytes(source: ReadableStream<Uint8Array>, maxBytes: number, what: string): LimitedStream {
  const state = { over: false, bytes: 0 };
  const stream = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        state.bytes += chunk.byteLength;
        if (state.bytes > maxBytes) {
          state.over = true;
          controller.error(
            new SyncError({
              system: 'crosswalk',
              kind: 'over-limit',
              message: `${what} stopped: more than ${maxBytes.toLocaleString('en-US')} bytes streamed`,
            }),
          );
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return {
    stream,
    get over() {
      return state.over;
    },
    get bytes() {
      return state.bytes;
    },
  };
}
