/**
 * Test connection's access checks: each a read the sync relies on, tried
 * once; a refusal (401/403) or any other failure is reported with the
 * remote's words, never thrown, so one missing permission does not hide the
 * others.
 */
import { SyncError } from './errors';
import type { AccessCheck } from './ports';

export async function probe(what: string, required: boolean, attempt: () => Promise<unknown>): Promise<AccessCheck> {
  try {
    await attempt();
    return { what, ok: true, required };
  } catch (e) {
    if (!(e instanceof SyncError)) throw e;
    const refused = e.details.httpStatus === 401 || e.details.httpStatus === 403;
    return {
      what,
      ok: false,
      required,
      detail: refused ? `refused (HTTP ${e.details.httpStatus}): ${e.message}` : e.message,
    };
  }
}
