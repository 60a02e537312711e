/**
 * Merging a remote's edit into Jira's document block by block, so the richer
 * side is never degraded: a top-level block whose projection (what the remote
 * can hold of it) the edit left as it was keeps Jira's own node, panel colour,
 * lozenges and all; only blocks the edit changed or added take the incoming
 * nodes. A Jira block the remote cannot see at all (its projection is empty)
 * stays where it stood, after the block it followed. Pure; linear in the
 * number of blocks.
 */
import type { AdfDoc, AdfNode } from './adf';

/**
 * `incoming` with every block whose key matches an unused block of `original` replaced by that original block.
 * Equal keys are matched in document order, so repeated blocks (two identical paragraphs) each keep their own.
 */
export function mergeBlocks(
  original: AdfDoc | null | undefined,
  incoming: AdfDoc,
  keyOf: (block: AdfNode) => string,
): AdfDoc {
  if (!original?.content?.length) return incoming;
  const unused = new Map<string, AdfNode[]>();
  // The blocks the remote cannot see, under the visible block they follow (null: the start), and that block's index.
  const followers = new Map<AdfNode | null, AdfNode[]>();
  const indexOf = new Map<AdfNode, number>();
  let previous: AdfNode | null = null;
  for (const block of original.content) {
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
  const kept = incoming.content.map((block) => unused.get(keyOf(block))?.shift() ?? block);
  const placed = new Set(kept);
  // Followers of a block the edit replaced stay near where it stood: after the incoming block at its index.
  const orphansAt = new Map<number, AdfNode[]>();
  for (const [lead, blocks] of followers) {
    if (lead === null || placed.has(lead)) continue;
    const at = Math.min(indexOf.get(lead)!, kept.length - 1);
    orphansAt.set(at, [...(orphansAt.get(at) ?? []), ...blocks]);
  }
  const content: AdfNode[] = [...(followers.get(null) ?? [])];
  kept.forEach((block, i) => {
    content.push(block);
    content.push(...(followers.get(block) ?? []));
    content.push(...(orphansAt.get(i) ?? []));
  });
  if (!kept.length) for (const blocks of orphansAt.values()) content.push(...blocks);
  return { ...incoming, content };
}
