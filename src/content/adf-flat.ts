/**
 * ADF nested deeper than MAX_ADF_DEPTH, read flat: its text, one line per
 * block, every word in order. A walk with its own stack (no recursion), so
 * no document can exhaust the call stack. Used by the rich renderers.
 */
import type { AdfNode } from './adf';
import { dateText, emojiText, mentionText, statusText } from './adf-atoms';

/** Nodes that sit inside a line of text. */
const INLINE = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'inlineCard',
  'status',
  'date',
  'mediaInline',
  'placeholder',
  'inlineExtension',
]);

export function isInlineNode(node: AdfNode): boolean {
  return INLINE.has(node.type);
}

/** The text an inline atom reads as. */
export function atomText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'mention':
      return mentionText(node);
    case 'emoji':
      return emojiText(node);
    case 'date':
      return dateText(node);
    case 'status':
      return statusText(node);
    case 'inlineCard':
    case 'blockCard':
    case 'embedCard':
      return typeof node.attrs?.url === 'string' ? node.attrs.url : '';
    default:
      return typeof node.text === 'string' ? node.text : '';
  }
}

export function flatLines(root: AdfNode): string[] {
  const lines: string[] = [];
  let line = '';
  const endLine = () => {
    const trimmed = line.replace(/\s+/g, ' ').trim();
    if (trimmed) lines.push(trimmed);
    line = '';
  };
  const todo: Array<AdfNode | null> = [root];
  while (todo.length) {
    const node = todo.pop();
    if (node === null || node === undefined) {
      endLine(); // the end of a block
      continue;
    }
    if (node.type === 'hardBreak' || (node.type === 'codeBlock' && !node.content)) {
      endLine();
      continue;
    }
    if (!node.content) {
      line += atomText(node);
      continue;
    }
    const block = !INLINE.has(node.type);
    if (block) {
      endLine();
      todo.push(null);
    }
    for (let k = node.content.length - 1; k >= 0; k--) todo.push(node.content[k]!);
  }
  endLine();
  return lines;
}
