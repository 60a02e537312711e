import { invoke } from '@forge/bridge';

export type ResolverResponse<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Calls a resolver function; the backend answers every call with a ResolverResponse. */
export async function callResolver<T>(
  functionKey: string,
  payload?: Record<string, unknown>,
): Promise<ResolverResponse<T>> {
  return (await invoke(functionKey, payload)) as ResolverResponse<T>;
}
