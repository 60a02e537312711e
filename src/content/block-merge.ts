/**
 * Merging an edit into the other side's body block by block, so neither side
 * is degraded by the other's poorer form: a top-level block whose projection
 * the edit left as it was keeps the target's own block (a Jira panel's colour
 * and lozenges; a remote's inline screenshot); only blocks the edit changed or
 * added take the incoming ones. A block the other side cannot see at all (its
 * projection is empty) stays where it stood, after the block it followed.
 * Pure; linear in the number of blocks.
 */
import type { AdfDoc, AdfNode } from './adf';

/**
 * `incoming` with every block whose key matches an unused block of `original` replaced by that original block.
 * Equal keys are matched in document order, so repeated blocks (two identical paragraphs) each keep their own.
 * Blocks are ADF nodes toward Jira and raw HTML blocks toward a remote (html-blocks.ts).
 */
export function mergeBlocks<T>(
  original: readonly T[] | null | undefined,
  incoming: readonly T[],
  keyOf: (block: T) => string,
): T[] {
  if (!original?.length) return [...incoming];
  const unused = new Map<string, T[]>();
  // The blocks the target cannot see, under the visible block they follow (null: the start), and that block's index.
  const followers = new Map<T | null, T[]>();
  const indexOf = new Map<T, number>();
  let previous: T | null = null;
  for (const block of original) {
    const key = keyOf(block);
    if (key === '') {
      followers.set(previous, [...(followers.get(previous) ?? []), block]);
      continue;
    }
    indexOf.set(block, indexOf.size);
    previous = block;
    const queue = unused.get(key);
    if (queue) queue.push(block);
    else unused.set(key, [block]);
  }
  const kept = incoming.map((block) => unused.get(keyOf(block))?.shift() ?? block);
  const placed = new Set(kept);
  // Followers of a block the edit replaced stay near where it stood: after the incoming block at its index.
  const orphansAt = new Map<number, T[]>();
  for (const [lead, blocks] of followers) {
    if (lead === null || placed.has(lead)) continue;
    const at = Math.min(indexOf.get(lead)!, kept.length - 1);
    orphansAt.set(at, [...(orphansAt.get(at) ?? []), ...blocks]);
  }
  const merged: T[] = [...(followers.get(null) ?? [])];
  kept.forEach((block, i) => {
    merged.push(block);
    merged.push(...(followers.get(block) ?? []));
    merged.push(...(orphansAt.get(i) ?? []));
  });
  if (!kept.length) for (const blocks of orphansAt.values()) merged.push(...blocks);
  return merged;
}

/** `mergeBlocks` over two documents' top-level blocks. */
export function mergeDocuments(
  original: AdfDoc | null | undefined,
  incoming: AdfDoc,
  keyOf: (block: AdfNode) => string,
): AdfDoc {
  return { ...incoming, content: mergeBlocks(original?.content, incoming.content, keyOf) };
}
