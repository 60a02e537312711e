/** Fault injection shared by the simulators' control APIs. */
import type { Env, Hono } from 'hono';
import * as z from 'zod';

export const faultSchema = z.object({
  method: z.string().optional(),
  /** Substring of the path, or /regex/. */
  path: z.string().optional(),
  status: z.number().int().optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** Close the connection without answering. */
  drop: z.boolean().optional(),
  /** Keep the request waiting, unanswered, until the test clears the faults: an explicit hold instead of a delay to race. */
  hold: z.boolean().optional(),
  times: z.number().int().min(1).default(1),
  /** Only requests made as this user (its name in the Basic credentials): a fault aimed at the integration, not at people. */
  user: z.string().optional(),
});

export type Fault = Omit<z.infer<typeof faultSchema>, 'times'> & { remaining: number };

export function parseFault(body: unknown): Fault {
  const { times, ...rest } = faultSchema.parse(body);
  return { ...rest, remaining: times };
}

function pathMatches(pattern: string | undefined, path: string): boolean {
  if (!pattern) return true;
  if (pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/'))
    return new RegExp(pattern.slice(1, -1)).test(path);
  return path.includes(pattern);
}

/** Takes the first live fault matching the request, counting it down. */
export function takeFault(faults: Fault[], method: string, path: string, user?: string): Fault | undefined {
  const fault = faults.find(
    (f) =>
      f.remaining > 0 &&
      (!f.method || f.method.toUpperCase() === method) &&
      pathMatches(f.path, path) &&
      (!f.user || f.user === user),
  );
  if (fault) fault.remaining -= 1;
  return fault;
}

/** Requests a `hold` fault caught, each waiting until released (clearing the faults, a reset, or stopping). */
export class HeldRequests {
  private waiting: Array<() => void> = [];

  get count(): number {
    return this.waiting.length;
  }

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  releaseAll(): void {
    const released = this.waiting;
    this.waiting = [];
    for (const go of released) go();
  }
}

/**
 * `POST /_control/faults` adds one, `DELETE /_control/faults` clears them (and lets go of any request a `hold` caught,
 * where the simulator holds them), as every simulator's control API answers them.
 */
export function faultRoutes<E extends Env>(app: Hono<E>, controls: { faults: Fault[] }, held?: HeldRequests): void {
  app.post('/_control/faults', async (c) => {
    controls.faults.push(parseFault(await c.req.json()));
    return c.json({ ok: true });
  });
  app.delete('/_control/faults', (c) => {
    controls.faults.length = 0;
    held?.releaseAll();
    return c.json({ ok: true });
  });
}
