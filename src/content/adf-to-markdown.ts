/**
 * ADF → Markdown (CommonMark with GitHub's tables, strikethrough and task
 * lists). Text is escaped so that it reads back as the same text, never as
 * markup; no HTML is written. What Markdown cannot hold (underline, colour,
 * merged table cells, a list inside a table cell…) is written as plain text
 * or left out, and named in `simplified`. `markdownToAdf` reads it back.
 *
 * Nodes are rendered by recursion only MAX_ADF_DEPTH deep; deeper content is
 * read flat, with its own stack, as paragraphs of its text.
 */
import type { AdfDoc, AdfMark, AdfNode } from './adf';
import { MAX_ADF_DEPTH } from './adf-to-text';
import type { Rendered, RenderOptions } from './conversion';
import { atomAsText, expandTitle, mentionOf, panelLabel, safeHref, safeLanguage } from './adf-atoms';
import { flatLines, isInlineNode } from './adf-flat';

/** A line CommonMark reads as a thematic break: three or more of one of `-`, `*`, `_`, spaces between allowed. */
const THEMATIC_BREAK = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
import { markdownTable } from './markdown-table';

export function adfToMarkdown(doc: AdfDoc | null | undefined, options: RenderOptions = {}): Rendered {
  if (!doc) return { body: '', simplified: [] };
  const renderer = new MarkdownRenderer(options);
  return { body: renderer.blocks(doc.content ?? [], 1), simplified: [...renderer.notes] };
}

/** Characters that are markup anywhere in a line; a backslash makes each literal. */
const ALWAYS = /[\\`*_[\]<>~|!&#]/g;

/** Text that reads back as itself: markup characters escaped, and a line's start that would open a block escaped. */
export function escapeMarkdown(text: string): string {
  // A line break inside a text node (some API documents have them) would start a new block: it is a space.
  return text.replace(ALWAYS, '\\$&').replace(/\r\n?|\n/g, ' ');
}

/**
 * A line of a paragraph: what would start a block at its start (`- `, `+ `,
 * `1. `, `=`) is escaped, and spaces at either end, which Markdown drops, are
 * written as `&#32;` (tabs `&#9;`).
 */
function guardLine(line: string): string {
  let out = line.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^[-+=]/, '\\$&');
  const entities = (run: string) => run.replace(/ /g, '&#32;').replace(/\t/g, '&#9;');
  out = out.replace(/^[ \t]+/, entities).replace(/[ \t]+$/, entities);
  return out;
}

const indent = (text: string, by: string, first: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? first + line : line === '' ? '' : by + line))
    .join('\n');

class MarkdownRenderer {
  readonly notes = new Set<string>();

  constructor(private readonly options: RenderOptions) {}

  blocks(nodes: readonly AdfNode[], depth: number): string {
    const out: string[] = [];
    let previousList = '';
    let alternate = false;
    for (const node of nodes) {
      // Two lists in a row would read as one: the second uses the other marker (`*` / `)`), which starts a new list.
      const list =
        node.type === 'orderedList' ? 'o' : node.type === 'bulletList' || node.type === 'taskList' ? 'b' : '';
      alternate = list !== '' && list === previousList ? !alternate : false;
      previousList = list;
      const text = this.block(node, depth, alternate);
      if (text !== '') out.push(text);
    }
    return out.join('\n\n');
  }

  private block(node: AdfNode, depth: number, alternate = false): string {
    if (depth > MAX_ADF_DEPTH) return this.flat(node);
    const inner = depth + 1;
    const content = node.content ?? [];
    switch (node.type) {
      case 'paragraph':
        return this.paragraph(content, inner);
      case 'heading': {
        const level = Math.min(6, Math.max(1, Math.trunc(Number(node.attrs?.level)) || 1));
        const text = this.inline(content, inner, false);
        return `${'#'.repeat(level)}${text ? ` ${text}` : ''}`;
      }
      case 'bulletList':
        return content.map((item) => this.listItem(item, alternate ? '* ' : '- ', inner)).join('\n');
      case 'orderedList': {
        const order = node.attrs?.order;
        const start = typeof order === 'number' && Number.isInteger(order) && order >= 0 ? order : 1;
        return content.map((item, i) => this.listItem(item, `${start + i}${alternate ? ')' : '.'} `, inner)).join('\n');
      }
      case 'taskList':
        return this.taskList(node, inner, alternate ? '* ' : '- ');
      case 'decisionList':
        this.notes.add('a decision (kept as a list item)');
        return content.map((item) => `- ${this.paragraph(item.content ?? [], inner + 1)}`).join('\n');
      case 'codeBlock':
        return this.code(node);
      case 'blockquote':
        return this.quote(this.blocks(content, inner));
      case 'rule':
        return '---';
      case 'table':
        return markdownTable(
          node,
          (cell) => this.cellText(cell, inner),
          (phrase) => this.notes.add(phrase),
        );
      case 'panel': {
        this.notes.add('a panel (kept as a quote led by its kind)');
        if (node.attrs?.panelColor) this.notes.add("a panel's colour");
        const label = `**${escapeMarkdown(panelLabel(node))}**`;
        const [first, ...rest] = content;
        if (first?.type === 'paragraph' && first.content?.length)
          return this.quote(
            [`${label} ${this.paragraph(first.content, inner)}`, this.blocks(rest, inner)].filter(Boolean).join('\n\n'),
          );
        return this.quote([label, this.blocks(content, inner)].filter(Boolean).join('\n\n'));
      }
      case 'expand':
      case 'nestedExpand': {
        this.notes.add('an expand (shown open, its title in bold)');
        const title = expandTitle(node);
        return [title ? `**${escapeMarkdown(title)}**` : '', this.blocks(content, inner)].filter(Boolean).join('\n\n');
      }
      case 'mediaSingle':
      case 'mediaGroup':
        return content
          .filter((m) => m.type === 'media')
          .map((m) => this.media(m))
          .join(' ');
      case 'blockCard':
      case 'embedCard':
        return this.card(node);
      case 'layoutSection':
        this.notes.add("a layout's columns (kept one after another)");
        return this.blocks(content, inner);
      case 'extension':
        this.notes.add('a macro');
        return '';
      default:
        if (isInlineNode(node)) return this.paragraph([node], inner);
        if (content.length && content.every(isInlineNode)) return this.paragraph(content, inner);
        return this.blocks(content, inner);
    }
  }

  private paragraph(content: readonly AdfNode[], depth: number): string {
    // A line break at the very end of a paragraph has no Markdown form (a trailing backslash is text).
    let end = content.length;
    while (end > 0 && content[end - 1]!.type === 'hardBreak') end--;
    return this.inline(content.slice(0, end), depth, true);
  }

  private listItem(item: AdfNode, marker: string, depth: number): string {
    const body = item.type === 'listItem' ? this.blocks(item.content ?? [], depth + 1) : this.block(item, depth + 1);
    const pad = ' '.repeat(marker.length);
    const text = indent(body, pad, marker);
    // Empty items nested on one line ("- - - ") read as a horizontal rule: the nested list starts on the next line.
    if (THEMATIC_BREAK.test(text.split('\n')[0]!)) return `${marker.trimEnd()}\n${indent(body, pad, pad)}`;
    return text;
  }

  private taskList(node: AdfNode, depth: number, marker: string): string {
    const lines: string[] = [];
    let alternate = false;
    for (const item of node.content ?? []) {
      if (item.type === 'taskList') {
        // A nested task list belongs to the item before it (there is no other place for it in Markdown);
        // a second one in a row takes the other marker, or the two would read as one.
        const nested = this.taskList(item, depth + 1, alternate ? '* ' : '- ');
        alternate = !alternate;
        if (lines.length) lines.push(indent(nested, '  ', '  '));
        else lines.push(nested);
        continue;
      }
      alternate = false;
      const box = item.attrs?.state === 'DONE' ? '[x]' : '[ ]';
      const text = this.paragraph(item.content ?? [], depth + 1);
      lines.push(indent(text, ' '.repeat(marker.length), `${marker}${box} `).trimEnd());
    }
    return lines.join('\n');
  }

  private code(node: AdfNode): string {
    const code = (node.content ?? []).map((t) => t.text ?? '').join('');
    const language = safeLanguage(node.attrs?.language) ?? '';
    // The fence is longer than any run of backticks inside, so the code cannot close it.
    const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}${language}\n${code}${code === '' ? '' : '\n'}${fence}`;
  }

  private quote(text: string): string {
    if (text === '') return ''; // a quote of nothing (only empty paragraphs) has no Markdown form
    return text
      .split('\n')
      .map((line) => (line === '' ? '>' : `> ${line}`))
      .join('\n');
  }

  /** A table cell's blocks as one line of text (a GFM cell holds one line). */
  private cellText(cell: AdfNode, depth: number): string {
    const blocks = cell.content ?? [];
    if (blocks.some((b) => b.type !== 'paragraph'))
      this.notes.add('a list, quote or code inside a table cell (kept as text)');
    if (blocks.some((b) => b.content?.some((n) => n.type === 'hardBreak')))
      this.notes.add('a line break inside a table cell');
    const text = blocks
      .map((b) =>
        b.type === 'paragraph'
          ? this.inline(b.content ?? [], depth + 1, false)
          : flatLines(b).map(escapeMarkdown).join(' '),
      )
      .filter(Boolean)
      .join(' ');
    return text.replace(/\n/g, ' ');
  }

  private inline(nodes: readonly AdfNode[], depth: number, asLines: boolean): string {
    if (depth > MAX_ADF_DEPTH) return nodes.map((n) => flatLines(n).map(escapeMarkdown).join(' ')).join('');
    let line = '';
    const lines: string[] = [];
    for (const node of nodes) {
      if (node.type === 'hardBreak') {
        lines.push(line);
        line = '';
        continue;
      }
      line += node.type === 'text' ? this.text(node) : this.atom(node, depth);
    }
    lines.push(line);
    // One line (a heading, a table cell): line breaks become spaces.
    if (!asLines) return guardLine(lines.join(' '));
    return lines.map(guardLine).join('\\\n');
  }

  /** A text run with its marks; spaces at its ends stay outside the marks (`** a**` is not bold in Markdown). */
  private text(node: AdfNode): string {
    const raw = node.text ?? '';
    const marks = node.marks ?? [];
    const code = marks.some((m) => m.type === 'code');
    if (!marks.length || raw.trim() === '') return code ? this.codeSpan(raw) : escapeMarkdown(raw);
    const lead = /^ */.exec(raw)![0];
    const trail = / *$/.exec(raw)![0];
    const core = raw.slice(lead.length, raw.length - trail.length);
    let out = code ? this.codeSpan(core) : escapeMarkdown(core);
    for (const mark of [...marks].sort((a, b) => ORDER.indexOf(b.type) - ORDER.indexOf(a.type)))
      out = this.wrap(out, mark);
    return escapeMarkdown(lead) + out + escapeMarkdown(trail);
  }

  private codeSpan(raw: string): string {
    const text = raw.replace(/\r\n?|\n/g, ' ');
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const ticks = '`'.repeat(longest + 1);
    // A space inside each end when the code starts or ends with a backtick or space (CommonMark strips one of each).
    const pad =
      text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '');
    return pad ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
  }

  private wrap(md: string, mark: AdfMark): string {
    switch (mark.type) {
      case 'strong':
        return `**${md}**`;
      case 'em':
        return `*${md}*`;
      case 'strike':
        return `~~${md}~~`;
      case 'code':
        return md;
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        if (href) return `[${md}](${destination(href)})`;
        this.notes.add('a link that was not http, https or mailto (kept as text)');
        return md;
      }
      case 'underline':
        this.notes.add('underlined text');
        return md;
      case 'textColor':
        this.notes.add("a text's colour");
        return md;
      case 'subsup':
        this.notes.add('subscript and superscript');
        return md;
      case 'backgroundColor':
        this.notes.add('a text highlight');
        return md;
      default:
        return md;
    }
  }

  private atom(node: AdfNode, depth: number): string {
    if (node.type === 'mention') {
      const markdown = this.options.mention?.(mentionOf(node));
      if (markdown !== undefined) return markdown;
    }
    const asText = atomAsText(node);
    if (asText) {
      if (asText.note) this.notes.add(asText.note);
      return escapeMarkdown(asText.text);
    }
    switch (node.type) {
      case 'inlineCard':
        return this.card(node);
      case 'mediaInline':
        return this.media(node);
      case 'placeholder':
        return '';
      case 'inlineExtension':
        this.notes.add('a macro');
        return '';
      default:
        if (node.content) return this.inline(node.content, depth + 1, false);
        return typeof node.text === 'string' ? escapeMarkdown(node.text) : '';
    }
  }

  private card(node: AdfNode): string {
    const url = typeof node.attrs?.url === 'string' ? node.attrs.url : '';
    const href = safeHref(url);
    this.notes.add('a smart link (kept as a plain link)');
    return href ? `[${escapeMarkdown(href)}](${destination(href)})` : escapeMarkdown(url);
  }

  private media(node: AdfNode): string {
    const md = this.options.media?.({ ...node.attrs });
    if (md !== undefined) return md;
    this.notes.add('an inline image');
    return '';
  }

  private flat(node: AdfNode): string {
    this.notes.add(`content nested deeper than ${MAX_ADF_DEPTH} levels (kept as paragraphs)`);
    return flatLines(node)
      .map((l) => guardLine(escapeMarkdown(l)))
      .join('\n\n');
  }
}

/** Marks from the outside in. */
const ORDER = ['link', 'strike', 'strong', 'em', 'code'];

/** A link destination in angle brackets (spaces and parentheses allowed), its brackets and backslashes escaped. */
function destination(href: string): string {
  return `<${href.replace(/[<>\\]/g, '\\$&')}>`;
}
