import type { AdfDoc, AdfNode } from './adf';

/**
 * ADF → readable plain text for systems that only take text (ServiceNow
 * descriptions and journal entries). Paragraphs are separated by blank lines,
 * lists keep their bullets and numbers, links keep their URL, code is fenced,
 * mentions read as @Name. `textToAdf` reads this format back, and the pair is
 * stable: text → ADF → text gives the same text, so a round trip is no change.
 */
export function adfToText(doc: AdfDoc | null | undefined): string {
  if (!doc) return '';
  return normalizeText(blocks(doc.content ?? [], '', 1).join('\n\n'));
}

/**
 * How deep nodes are read with their structure. Jira's editor nests lists six
 * deep (its MAX_NESTED_LIST_INDENTATION), twelve node levels, and a table or a
 * panel adds a few: a document a person makes stays well inside this. Deeper
 * ones come only from the API; below this depth a node's text is read flat
 * (every word kept, in order, one line per block) without recursion, so no
 * document can exhaust the stack or grow its indentation without bound.
 */
export const MAX_ADF_DEPTH = 32;

function blocks(nodes: AdfNode[], indent: string, depth: number): string[] {
  return nodes.map((n) => block(n, indent, depth)).filter((b) => b.trim() !== '');
}

function block(node: AdfNode, indent: string, depth: number): string {
  if (depth > MAX_ADF_DEPTH) return flatText(node, indent);
  const inner = depth + 1;
  switch (node.type) {
    case 'paragraph':
      return indent + inline(node.content ?? [], inner).replace(/\n/g, `\n${indent}`);
    case 'heading':
      return indent + inline(node.content ?? [], inner);
    case 'bulletList':
      return (node.content ?? []).map((item) => listItem(item, indent, '- ', inner)).join('\n');
    case 'orderedList': {
      const start = typeof node.attrs?.order === 'number' ? node.attrs.order : 1;
      return (node.content ?? []).map((item, i) => listItem(item, indent, `${start + i}. `, inner)).join('\n');
    }
    case 'taskList':
      return (node.content ?? [])
        .map(
          (item) => `${indent}[${item.attrs?.state === 'DONE' ? 'x' : ' '}] ${inline(item.content ?? [], inner + 1)}`,
        )
        .join('\n');
    case 'codeBlock':
      return `${indent}\`\`\`\n${(node.content ?? []).map((t) => t.text ?? '').join('')}\n${indent}\`\`\``;
    case 'blockquote':
      return blocks(node.content ?? [], '', inner)
        .map((b) =>
          b
            .split('\n')
            .map((l) => `${indent}> ${l}`)
            .join('\n'),
        )
        .join('\n>\n');
    case 'rule':
      return `${indent}---`;
    case 'panel':
    case 'expand':
    case 'nestedExpand':
    case 'layoutSection':
    case 'layoutColumn':
      return blocks(node.content ?? [], indent, inner).join('\n\n');
    case 'table':
      return (node.content ?? [])
        .map(
          (row) =>
            `${indent}| ${(row.content ?? [])
              .map((cell) =>
                blocks(cell.content ?? [], '', inner + 2)
                  .join(' ')
                  .replace(/\n/g, ' '),
              )
              .join(' | ')} |`,
        )
        .join('\n');
    case 'mediaSingle':
    case 'mediaGroup':
      return (node.content ?? [])
        .map((m) => `${indent}[attachment: ${String(m.attrs?.alt ?? m.attrs?.id ?? 'file')}]`)
        .join('\n');
    default:
      return node.content ? blocks(node.content, indent, inner).join('\n\n') : indent + inline([node], inner);
  }
}

function listItem(item: AdfNode, indent: string, bullet: string, depth: number): string {
  const [first, ...rest] = item.content ?? [];
  const head = first
    ? block(first, '', depth + 1)
        .split('\n')
        .join(`\n${indent}${' '.repeat(bullet.length)}`)
    : '';
  const tail = rest.map((n) => block(n, indent + '  ', depth + 1)).filter((b) => b.trim() !== '');
  return [`${indent}${bullet}${head}`, ...tail].join('\n');
}

function inline(nodes: AdfNode[], depth: number): string {
  if (depth > MAX_ADF_DEPTH) return nodes.map((n) => flatText(n, '')).join('');
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text': {
          const link = n.marks?.find((m) => m.type === 'link');
          const href = typeof link?.attrs?.href === 'string' ? link.attrs.href : undefined;
          const text = n.text ?? '';
          if (n.marks?.some((m) => m.type === 'code')) return `\`${text}\``;
          if (href && href !== text) return `${text} (${href})`;
          return text;
        }
        case 'hardBreak':
          return '\n';
        case 'mention': {
          const name = String(n.attrs?.text ?? n.attrs?.id ?? 'someone');
          return name.startsWith('@') ? name : `@${name}`;
        }
        case 'emoji':
          return String(n.attrs?.text ?? n.attrs?.shortName ?? '');
        case 'inlineCard':
        case 'blockCard':
          return String(n.attrs?.url ?? '');
        case 'status':
          return `[${String(n.attrs?.text ?? '')}]`;
        case 'date':
          return typeof n.attrs?.timestamp === 'string'
            ? new Date(Number(n.attrs.timestamp)).toISOString().slice(0, 10)
            : '';
        default:
          return n.content ? inline(n.content, depth + 1) : (n.text ?? '');
      }
    })
    .join('');
}

/**
 * A node's text read flat, for nodes deeper than MAX_ADF_DEPTH: a walk with its
 * own stack (no recursion), inline pieces joined, each block on its own line,
 * every line indented as the node would be.
 */
function flatText(root: AdfNode, indent: string): string {
  const out: string[] = [];
  const todo: AdfNode[] = [root];
  while (todo.length) {
    const n = todo.pop()!;
    if (!n.content) {
      out.push(inline([n], 0)); // a leaf: text (with its link), a mention, an emoji…
      continue;
    }
    if (!INLINE.has(n.type)) out.push('\n');
    for (let k = n.content.length - 1; k >= 0; k--) todo.push(n.content[k]!);
  }
  return out
    .join('')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => indent + l)
    .join('\n');
}

/** Nodes that sit inside a line; every other node with content starts a line of its own when read flat. */
const INLINE = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date']);

/** Line endings, trailing spaces and runs of blank lines never carry meaning. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(trimLineEnd)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * A line without its trailing spaces and tabs, in one pass from the end: the
 * regular expression it replaces (`/[ \t]+$/`) retried from every space of a
 * run that does not end the line, so 100,000 spaces before a word took 24 s.
 */
export function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end === line.length ? line : line.slice(0, end);
}
