/**
 * ADF → HTML for systems that store rich text (Azure DevOps, Zendesk,
 * ServiceNow HTML fields). Writes only a small, fixed set of elements and
 * attributes, escapes every text and attribute value, and writes a link only
 * to an http(s) or mailto address. What HTML has no element for is written as
 * text (a status as "[DONE]", a date as 2026-01-31, a panel as a quote led by
 * its kind in bold) and named in `simplified`. `htmlToAdf` reads all of this
 * back; what it reads back equals the original for everything HTML can hold.
 *
 * Nodes are rendered by recursion only MAX_ADF_DEPTH deep; deeper content is
 * read flat, with its own stack, as paragraphs of its text.
 */
import type { AdfDoc, AdfMark, AdfNode } from './adf';
import { MAX_ADF_DEPTH } from './adf-to-text';
import type { Rendered, RenderOptions } from './conversion';
import { MARK_ORDER } from './adf-builder';
import { atomAsText, expandTitle, mentionOf, panelLabel, safeColor, safeHref, safeLanguage } from './adf-atoms';
import { flatLines, isInlineNode } from './adf-flat';

export function adfToHtml(doc: AdfDoc | null | undefined, options: RenderOptions = {}): Rendered {
  if (!doc) return { body: '', simplified: [] };
  const renderer = new HtmlRenderer(options);
  const body = renderer.blocks(doc.content ?? [], 1);
  return { body, simplified: [...renderer.notes] };
}

/** Text and attribute values: the five characters that could end or start markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text whose spaces survive HTML's white-space collapsing: a space that HTML
 * would drop or merge (at the start or end of a line, or next to another
 * space) is written as `&nbsp;`, which `htmlToAdf` reads back as a space.
 */
function spacedText(text: string, lineStart: boolean, wordFollows: boolean): string {
  return escapeHtml(text).replace(/ +/g, (run: string, at: number, s: string) =>
    run.length === 1 && (at > 0 || !lineStart) && (at + 1 < s.length || wordFollows)
      ? ' '
      : '&nbsp;'.repeat(run.length),
  );
}

class HtmlRenderer {
  readonly notes = new Set<string>();

  constructor(private readonly options: RenderOptions) {}

  blocks(nodes: readonly AdfNode[], depth: number): string {
    let out = '';
    for (const node of nodes) out += this.block(node, depth);
    return out;
  }

  private block(node: AdfNode, depth: number): string {
    if (depth > MAX_ADF_DEPTH) return this.flat(node, true);
    const inner = depth + 1;
    const content = node.content ?? [];
    switch (node.type) {
      case 'paragraph':
        return `<p>${this.inline(content, inner)}</p>`;
      case 'heading': {
        const level = Math.min(6, Math.max(1, Math.trunc(Number(node.attrs?.level)) || 1));
        return `<h${level}>${this.inline(content, inner)}</h${level}>`;
      }
      case 'bulletList':
        return `<ul>${this.items(content, inner)}</ul>`;
      case 'orderedList': {
        const order = node.attrs?.order;
        const start = typeof order === 'number' && Number.isInteger(order) && order >= 0 && order !== 1;
        return `<ol${start ? ` start="${order}"` : ''}>${this.items(content, inner)}</ol>`;
      }
      case 'taskList':
        return `<ul data-task-list="true">${content.map((item) => this.taskItem(item, inner)).join('')}</ul>`;
      case 'decisionList':
        this.notes.add('a decision (kept as a list item)');
        return `<ul>${content.map((item) => `<li>${this.inline(item.content ?? [], inner + 1)}</li>`).join('')}</ul>`;
      case 'codeBlock': {
        const language = safeLanguage(node.attrs?.language);
        const code = content.map((t) => t.text ?? '').join('');
        return `<pre><code${language ? ` class="language-${language}"` : ''}>${escapeHtml(code)}</code></pre>`;
      }
      case 'blockquote':
        return `<blockquote>${this.blocks(content, inner)}</blockquote>`;
      case 'rule':
        return '<hr>';
      case 'table':
        return `<table><tbody>${content.map((row) => this.row(row, inner)).join('')}</tbody></table>`;
      case 'panel':
        return this.panel(node, inner);
      case 'expand':
      case 'nestedExpand': {
        this.notes.add('an expand (shown open, its title in bold)');
        const title = expandTitle(node);
        return `${title ? `<p><strong>${spacedText(title, true, false)}</strong></p>` : ''}${this.blocks(content, inner)}`;
      }
      case 'mediaSingle':
      case 'mediaGroup': {
        const images = content.filter((m) => m.type === 'media').map((m) => this.media(m));
        return images.some((i) => i) ? `<p>${images.join('')}</p>` : '';
      }
      case 'blockCard':
      case 'embedCard':
        return `<p>${this.card(node)}</p>`;
      case 'layoutSection':
        this.notes.add("a layout's columns (kept one after another)");
        return this.blocks(content, inner);
      case 'extension':
        this.notes.add('a macro');
        return '';
      default:
        if (isInlineNode(node)) return `<p>${this.inline([node], inner)}</p>`;
        if (content.length && content.every(isInlineNode)) return `<p>${this.inline(content, inner)}</p>`;
        return this.blocks(content, inner);
    }
  }

  /** A list item or table cell: a leading paragraph is written bare (`<li>text`), the way people and editors write it. */
  private container(content: readonly AdfNode[], depth: number): string {
    const [first, ...rest] = content;
    if (first?.type === 'paragraph' && first.content?.length)
      return this.inline(first.content, depth + 1) + this.blocks(rest, depth);
    return this.blocks(content, depth);
  }

  private items(content: readonly AdfNode[], depth: number): string {
    return content
      .map((item) =>
        item.type === 'listItem'
          ? `<li>${this.container(item.content ?? [], depth + 1)}</li>`
          : `<li>${this.block(item, depth + 1)}</li>`,
      )
      .join('');
  }

  private taskItem(item: AdfNode, depth: number): string {
    if (item.type === 'taskList') return this.block(item, depth);
    const checked = item.attrs?.state === 'DONE' ? ' checked' : '';
    const body =
      item.type === 'taskItem'
        ? this.inline(item.content ?? [], depth + 1)
        : this.blocks(item.content ?? [], depth + 1);
    return `<li><input type="checkbox" disabled${checked}> ${body}</li>`;
  }

  private row(row: AdfNode, depth: number): string {
    const cells = (row.content ?? []).map((cell) => {
      const tag = cell.type === 'tableHeader' ? 'th' : 'td';
      let attrs = '';
      for (const name of ['colspan', 'rowspan']) {
        const n = cell.attrs?.[name];
        if (typeof n === 'number' && Number.isInteger(n) && n > 1) attrs += ` ${name}="${n}"`;
      }
      if (cell.attrs?.background) this.notes.add("a table cell's colour");
      return `<${tag}${attrs}>${this.container(cell.content ?? [], depth + 1)}</${tag}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  }

  private panel(node: AdfNode, depth: number): string {
    this.notes.add('a panel (kept as a quote led by its kind)');
    if (node.attrs?.panelColor) this.notes.add("a panel's colour");
    const label = `<strong>${escapeHtml(panelLabel(node))}</strong>`;
    const [first, ...rest] = node.content ?? [];
    if (first?.type === 'paragraph' && first.content?.length)
      return `<blockquote><p>${label} ${this.inline(first.content, depth)}</p>${this.blocks(rest, depth)}</blockquote>`;
    return `<blockquote><p>${label}</p>${this.blocks(node.content ?? [], depth)}</blockquote>`;
  }

  private inline(nodes: readonly AdfNode[], depth: number): string {
    if (depth > MAX_ADF_DEPTH) return nodes.map((n) => this.flat(n, false)).join('');
    let out = '';
    let lineStart = true;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const next = nodes[i + 1];
      switch (node.type) {
        case 'text': {
          const text = node.text ?? '';
          const wordFollows =
            next?.type === 'text' ? !(next.text ?? '').startsWith(' ') : !!next && next.type !== 'hardBreak';
          out += this.marked(spacedText(text, lineStart, wordFollows), node.marks ?? []);
          lineStart = text === '' ? lineStart : text.endsWith(' ');
          continue;
        }
        case 'hardBreak':
          out += '<br>';
          lineStart = true;
          continue;
        default:
          out += this.atom(node, depth);
          lineStart = false;
      }
    }
    return out;
  }

  private atom(node: AdfNode, depth: number): string {
    if (node.type === 'mention') {
      const html = this.options.mention?.(mentionOf(node));
      if (html !== undefined) return html;
    }
    const asText = atomAsText(node);
    if (asText) {
      if (asText.note) this.notes.add(asText.note);
      return escapeHtml(asText.text);
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
        if (node.content) return this.inline(node.content, depth + 1);
        return typeof node.text === 'string' ? spacedText(node.text, false, true) : '';
    }
  }

  private marked(html: string, marks: readonly AdfMark[]): string {
    let out = html;
    const ordered = [...marks].sort((a, b) => MARK_ORDER.indexOf(b.type) - MARK_ORDER.indexOf(a.type));
    for (const mark of ordered) out = this.wrap(out, mark);
    return out;
  }

  private wrap(html: string, mark: AdfMark): string {
    switch (mark.type) {
      case 'strong':
        return `<strong>${html}</strong>`;
      case 'em':
        return `<em>${html}</em>`;
      case 'underline':
        return `<u>${html}</u>`;
      case 'strike':
        return `<s>${html}</s>`;
      case 'code':
        return `<code>${html}</code>`;
      case 'subsup':
        return mark.attrs?.type === 'sub' ? `<sub>${html}</sub>` : `<sup>${html}</sup>`;
      case 'textColor': {
        const color = safeColor(mark.attrs?.color);
        return color ? `<span style="color:${color}">${html}</span>` : html;
      }
      case 'link': {
        const href = safeHref(mark.attrs?.href);
        if (href) return `<a href="${escapeHtml(href)}">${html}</a>`;
        this.notes.add('a link that was not http, https or mailto (kept as text)');
        return html;
      }
      case 'backgroundColor':
        this.notes.add('a text highlight');
        return html;
      default:
        return html;
    }
  }

  private card(node: AdfNode): string {
    const url = typeof node.attrs?.url === 'string' ? node.attrs.url : '';
    const href = safeHref(url);
    this.notes.add('a smart link (kept as a plain link)');
    return href ? `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>` : escapeHtml(url);
  }

  /** An image or file: the engine's hook writes it once it has a URL for it; until then it is left out. */
  private media(node: AdfNode): string {
    const html = this.options.media?.({ ...node.attrs });
    if (html !== undefined) return html;
    this.notes.add('an inline image');
    return '';
  }

  /** Content below MAX_ADF_DEPTH: its text, each block a paragraph (or, inside a line, the lines joined by spaces). */
  private flat(node: AdfNode, asBlocks: boolean): string {
    this.notes.add(`content nested deeper than ${MAX_ADF_DEPTH} levels (kept as paragraphs)`);
    const lines = flatLines(node).map((l) => spacedText(l, true, false));
    return asBlocks ? lines.map((l) => `<p>${l}</p>`).join('') : lines.join(' ');
  }
}
