import Ajv from 'ajv-draft-04';
import schema from './adf-schema.json';

/** ADF as Jira stores it. The schema is Atlassian's published one (adf-schema.json, Apache-2.0). */
export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: unknown[];
}

const validate = new Ajv({ strict: false, allErrors: false }).compile(schema as object);

export function isValidAdf(value: unknown): value is AdfDoc {
  return validate(value) === true;
}

/** Plain text of a document, for JQL text search and rendered fields. */
export function adfText(doc: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    const node = n as { type?: string; text?: string; content?: unknown[]; attrs?: { text?: string } };
    if (node.type === 'text' && node.text) out.push(node.text);
    if (node.type === 'mention' && node.attrs?.text) out.push(node.attrs.text);
    if (node.type === 'hardBreak') out.push('\n');
    node.content?.forEach(walk);
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'listItem') out.push('\n');
  };
  walk(doc);
  return out.join('').trim();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A simple HTML rendering, for `expand=renderedFields` and `renderedBody`. */
export function adfHtml(doc: unknown): string {
  const render = (n: unknown): string => {
    if (!n || typeof n !== 'object') return '';
    const node = n as {
      type?: string;
      text?: string;
      content?: unknown[];
      attrs?: Record<string, unknown>;
      marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
    };
    const inner = (node.content ?? []).map(render).join('');
    switch (node.type) {
      case 'doc':
        return inner;
      case 'paragraph':
        return `<p>${inner}</p>`;
      case 'heading':
        return `<h${Number(node.attrs?.level ?? 1)}>${inner}</h${Number(node.attrs?.level ?? 1)}>`;
      case 'bulletList':
        return `<ul>${inner}</ul>`;
      case 'orderedList':
        return `<ol>${inner}</ol>`;
      case 'listItem':
        return `<li>${inner}</li>`;
      case 'codeBlock':
        return `<pre><code>${inner}</code></pre>`;
      case 'blockquote':
        return `<blockquote>${inner}</blockquote>`;
      case 'hardBreak':
        return '<br/>';
      case 'rule':
        return '<hr/>';
      case 'mention':
        return `<span class="user-hover">${escapeHtml(String(node.attrs?.text ?? ''))}</span>`;
      case 'text': {
        let html = escapeHtml(node.text ?? '');
        for (const m of node.marks ?? []) {
          if (m.type === 'strong') html = `<b>${html}</b>`;
          if (m.type === 'em') html = `<em>${html}</em>`;
          if (m.type === 'code') html = `<code>${html}</code>`;
          if (m.type === 'link' && typeof m.attrs?.href === 'string' && /^https?:/i.test(m.attrs.href))
            html = `<a href="${escapeHtml(m.attrs.href)}">${html}</a>`;
        }
        return html;
      }
      default:
        return inner;
    }
  };
  return render(doc);
}
