/** Small builders for ADF in tests that read like the documents they build. */
import type { AdfDoc, AdfNode } from '../adf';

/** A text node with the marks named (no attributes). */
export const text = (t: string, ...marks: string[]): AdfNode => ({
  type: 'text',
  text: t,
  ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}),
});
export const para = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
export const listItem = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
export const doc = (...content: AdfNode[]): AdfDoc => ({ version: 1, type: 'doc', content });
