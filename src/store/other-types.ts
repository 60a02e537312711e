/**
 * Items a connection's type map leaves alone: a remote item of a type no Jira type is paired with, a Jira issue of a
 * type the map does not name. They are never guessed into a type; they are counted, per side and type, so the
 * settings page can say what the map leaves out ("4 Zendesk tickets of type question"). Each item counts once, so a
 * duplicate or repeated notification writes nothing; the list of ids is bounded, and past it only the count grows.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import * as z from 'zod';

/** Ids kept per type: enough to show examples and count each item once in any connection people can read through. */
export const MAX_IDS_KEPT = 100;

const otherTypeRecord = z.object({
  side: z.enum(['jira', 'remote']),
  type: z.string(),
  /** Items counted past MAX_IDS_KEPT, which a repeat may count again. */
  more: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  lastAt: z.number(),
});
export type OtherType = z.infer<typeof otherTypeRecord>;

const prefix = (connectionId: string) => `other-type:${connectionId}:`;
// A type's name may hold any character; its key holds a short hash of it, the record the name itself.
const keyOf = (connectionId: string, side: OtherType['side'], type: string) =>
  `${prefix(connectionId)}${side}:${hashOf(type)}`;

function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Counts an item of a type the map leaves out; one already counted writes nothing. */
export async function countOtherType(
  connectionId: string,
  side: OtherType['side'],
  type: string,
  itemId: string,
  now = Date.now(),
): Promise<void> {
  const key = keyOf(connectionId, side, type);
  const parsed = otherTypeRecord.safeParse(await kvs.get(key));
  const before = parsed.success ? parsed.data : { side, type, more: 0, ids: [], lastAt: now };
  if (before.ids.includes(itemId)) return;
  const counted =
    before.ids.length < MAX_IDS_KEPT
      ? { ...before, ids: [...before.ids, itemId], lastAt: now }
      : { ...before, more: before.more + 1, lastAt: now };
  // Kept 90 days from the last one seen: a type nobody uses any more stops being reported.
  await kvs.set(key, counted, { ttl: { value: 90, unit: 'DAYS' } });
}

/** What the connection's type map leaves out, most recent first. */
export async function otherTypesOf(connectionId: string): Promise<Array<OtherType & { count: number }>> {
  const page = await kvs
    .query()
    .where('key', WhereConditions.beginsWith(prefix(connectionId)))
    .limit(50)
    .getMany();
  return page.results
    .flatMap((r) => {
      const parsed = otherTypeRecord.safeParse(r.value);
      return parsed.success ? [{ ...parsed.data, count: parsed.data.ids.length + parsed.data.more }] : [];
    })
    .sort((a, b) => b.lastAt - a.lastAt);
}

/** Forgets what was counted (the map changed: what it leaves out is counted anew). */
export async function clearOtherTypes(connectionId: string): Promise<void> {
  for (const r of (
    await kvs
      .query()
      .where('key', WhereConditions.beginsWith(prefix(connectionId)))
      .limit(50)
      .getMany()
  ).results)
    await kvs.delete(r.key);
}
