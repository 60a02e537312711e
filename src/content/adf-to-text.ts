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
  return normalizeText(blocks(doc.content ?? [], '').join('\n\n'));
}

function blocks(nodes: AdfNode[], indent: string): string[] {
  return nodes.map((n) => block(n, indent)).filter((b) => b.trim() !== '');
}

function block(node: AdfNode, indent: string): string {
  switch (node.type) {
    case 'paragraph':
      return indent + inline(node.content ?? []).replace(/\n/g, `\n${indent}`);
    case 'heading':
      return indent + inline(node.content ?? []);
    case 'bulletList':
      return (node.content ?? []).map((item) => listItem(item, indent, '- ')).join('\n');
    case 'orderedList': {
      const start = typeof node.attrs?.order === 'number' ? node.attrs.order : 1;
      return (node.content ?? []).map((item, i) => listItem(item, indent, `${start + i}. `)).join('\n');
    }
    case 'taskList':
      return (node.content ?? [])
        .map((item) => `${indent}[${item.attrs?.state === 'DONE' ? 'x' : ' '}] ${inline(item.content ?? [])}`)
        .join('\n');
    case 'codeBlock':
      return `${indent}\`\`\`\n${(node.content ?? []).map((t) => t.text ?? '').join('')}\n${indent}\`\`\``;
    case 'blockquote':
      return blocks(node.content ?? [], '')
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
      return blocks(node.content ?? [], indent).join('\n\n');
    case 'table':
      return (node.content ?? [])
        .map(
          (row) =>
            `${indent}| ${(row.content ?? [])
              .map((cell) =>
                blocks(cell.content ?? [], '')
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
      return node.content ? blocks(node.content, indent).join('\n\n') : indent + inline([node]);
  }
}

function listItem(item: AdfNode, indent: string, bullet: string): string {
  const [first, ...rest] = item.content ?? [];
  const head = first
    ? block(first, '')
        .split('\n')
        .join(`\n${indent}${' '.repeat(bullet.length)}`)
    : '';
  const tail = rest.map((n) => block(n, indent + '  ')).filter((b) => b.trim() !== '');
  return [`${indent}${bullet}${head}`, ...tail].join('\n');
}

function inline(nodes: AdfNode[]): string {
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
          return n.content ? inline(n.content) : (n.text ?? '');
      }
    })
    .join('');
}

/** Line endings, trailing spaces and runs of blank lines never carry meaning. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
