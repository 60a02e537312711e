/**
 * A canonical form of ADF, for telling whether two documents say the same
 * thing (a body converted to another format and back, or a remote edit that
 * changed nothing Jira shows): adjacent text runs with equal marks are one
 * run, marks are in one order, empty text is gone, and only the attributes
 * a node's meaning depends on are kept (not localId, colwidth, layout…).
 * Task ids are renumbered in document order, so the result is still valid.
 * Walks with its own stack: any depth.
 */
import type { AdfDoc, AdfMark, AdfNode } from './adf';
import { MARK_ORDER } from './adf-builder';

/** The attributes kept per node type; a type not listed keeps all of its attributes. */
// Maps, not objects: node types and attribute names come from documents ('constructor' is a string like any other).
const KEPT_ATTRS = new Map<string, readonly string[]>(
  Object.entries({
    paragraph: [],
    heading: ['level'],
    bulletList: [],
    orderedList: ['order'],
    listItem: [],
    taskList: ['localId'],
    taskItem: ['localId', 'state'],
    codeBlock: ['language'],
    blockquote: [],
    rule: [],
    table: [],
    tableRow: [],
    tableCell: ['colspan', 'rowspan'],
    tableHeader: ['colspan', 'rowspan'],
    hardBreak: [],
    panel: ['panelType'],
    expand: ['title'],
    nestedExpand: ['title'],
    mention: ['id', 'text'],
    mediaSingle: ['layout'],
    media: ['id', 'type', 'collection', 'url'],
    emoji: ['shortName', 'text'],
    date: ['timestamp'],
    status: ['text', 'color'],
    inlineCard: ['url'],
    blockCard: ['url'],
  }),
);
/** Attribute values that mean the same as no attribute. */
const DEFAULTS = new Map<string, unknown>([
  ['order', 1],
  ['colspan', 1],
  ['rowspan', 1],
  ['language', ''],
]);
/** Nodes whose content is inline: an empty content array is the same as none. */
const INLINE_CONTAINERS = new Set(['paragraph', 'heading', 'codeBlock', 'taskItem']);

export function normalizeAdf(doc: AdfDoc): AdfDoc {
  const out: AdfDoc = { version: 1, type: 'doc', content: [] };
  let ids = 0;
  const todo: Array<{ from: readonly AdfNode[]; to: AdfNode[] }> = [{ from: doc.content ?? [], to: out.content }];
  while (todo.length) {
    const { from, to } = todo.pop()!;
    for (const node of from) {
      if (node.type === 'text') {
        if (!node.text) continue;
        const marks = normalMarks(node.marks);
        const last = to[to.length - 1];
        if (last?.type === 'text' && sameMarks(last.marks, marks)) {
          last.text += node.text;
          continue;
        }
        to.push(marks ? { type: 'text', text: node.text, marks } : { type: 'text', text: node.text });
        continue;
      }
      const copy: AdfNode = { type: node.type };
      const attrs = normalAttrs(node);
      if (attrs && 'localId' in attrs) attrs.localId = String(++ids);
      if (attrs) copy.attrs = attrs;
      if (node.marks?.length) copy.marks = node.marks.map((m) => ({ ...m }));
      if (typeof node.text === 'string') copy.text = node.text;
      if (
        node.content &&
        !(INLINE_CONTAINERS.has(node.type) && !node.content.some((c) => c.type !== 'text' || c.text))
      ) {
        copy.content = [];
        todo.push({ from: node.content, to: copy.content });
      }
      to.push(copy);
    }
  }
  return out;
}

function normalAttrs(node: AdfNode): Record<string, unknown> | undefined {
  if (!node.attrs) return undefined;
  const kept = KEPT_ATTRS.get(node.type);
  const attrs: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node.attrs)) {
    if (kept && !kept.includes(name)) continue;
    if (value === undefined || value === null || DEFAULTS.get(name) === value) continue;
    attrs[name] = value;
  }
  return Object.keys(attrs).length ? attrs : undefined;
}

function normalMarks(marks: readonly AdfMark[] | undefined): AdfMark[] | undefined {
  if (!marks?.length) return undefined;
  const out = marks.map((m): AdfMark => {
    if (m.type === 'link') return { type: 'link', attrs: { href: m.attrs?.href } };
    if (m.type === 'textColor') return { type: 'textColor', attrs: { color: String(m.attrs?.color).toLowerCase() } };
    if (m.type === 'subsup') return { type: 'subsup', attrs: { type: m.attrs?.type } };
    return m.attrs ? { type: m.type, attrs: { ...m.attrs } } : { type: m.type };
  });
  return out.sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
}

const rank = (type: string) => {
  const i = MARK_ORDER.indexOf(type);
  return i < 0 ? MARK_ORDER.length : i;
};

function sameMarks(a: readonly AdfMark[] | undefined, b: readonly AdfMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Whether two documents are the same once normalized (compared with a stack: any depth). */
export function sameAdf(a: AdfDoc | null | undefined, b: AdfDoc | null | undefined): boolean {
  if (!a || !b) return !a === !b;
  const todo: Array<[unknown, unknown]> = [[normalizeAdf(a).content, normalizeAdf(b).content]];
  while (todo.length) {
    const [x, y] = todo.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length) return false;
    for (const k of kx) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return false;
      todo.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}
