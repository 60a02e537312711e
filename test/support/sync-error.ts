/** What a promise failed with, when it failed as a SyncError (anything else, or no failure, fails the test). */
import { SyncError } from '../../src/connectors/errors';

export async function syncFailure(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SyncError) return e;
    throw e;
  }
  throw new Error('expected a SyncError');
}
