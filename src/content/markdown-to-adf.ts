/**
 * Markdown (CommonMark with GitHub's tables, strikethrough and task lists) →
 * ADF. markdown-it tokenizes, with HTML off: a tag in the text is text. Its
 * tokens are a flat list, walked here in one loop; AdfBuilder enforces ADF's
 * nesting rules, as for HTML. markdown-it stops nesting blocks at its
 * `maxNesting`; what it leaves unparsed there is lost (see the report).
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { AdfBuilder, noMarks, withMark, type MarkSet, type Position } from './adf-builder';
import type { ParseOptions, Parsed } from './conversion';
import { MAX_HTML_CHARS, TRUNCATION_NOTE } from './html-to-text';
import { safeHref, safeLanguage } from './adf-atoms';

/**
 * How deep markdown-it nests blocks (its default preset's bound; the
 * CommonMark preset's 20 is below what ADF holds). Its block parser recurses
 * once per level, so this also bounds the stack it uses.
 */
const MAX_MARKDOWN_NESTING = 100;

const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable([
  'table',
  'strikethrough',
]);
// markdown-it reads `maxNesting` from its options, which its published types do not list.
Object.assign(md.options, { maxNesting: MAX_MARKDOWN_NESTING });

/** `[ ] ` / `[x] ` opening a list item's text: a GitHub task. */
const TASK = /^\[([ xX])\](?:\s|$)/;

export function markdownToAdf(input: string, options: ParseOptions = {}): Parsed {
  const cut = input.length > MAX_HTML_CHARS;
  const source = cut ? input.slice(0, MAX_HTML_CHARS) : input;
  const builder = new AdfBuilder();
  const images: Parsed['images'] = [];
  const tokens = md.parse(source, {});
  // Past its nesting bound markdown-it skips the rest of the block, words and all: such a body is read as plain lines.
  if (tokens.some((t) => t.nesting === 1 && t.level >= MAX_MARKDOWN_NESTING - 1)) return flat(source, cut);
  const open: Array<{ at: Position; task: boolean }> = [];
  /** Inline tokens whose leading `[ ] ` marker was read as a task's state. */
  const markers = new Set<Token>();
  const root = noMarks();

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const listIsTask = open[open.length - 1]?.task ?? false;
    switch (token.type) {
      case 'paragraph_open':
        open.push({ at: builder.open('paragraph'), task: false });
        break;
      case 'heading_open':
        open.push({ at: builder.open('heading', { level: Number(token.tag.slice(1)) || 1 }), task: false });
        break;
      case 'bullet_list_open': {
        // A list is a task list when its first item starts with a checkbox (ADF's lists are all tasks or none).
        const task = TASK.test(firstText(tokens, i + 1));
        open.push({ at: builder.open(task ? 'taskList' : 'bulletList'), task });
        break;
      }
      case 'ordered_list_open': {
        const start = Number(token.attrGet('start') ?? 1);
        const order = Number.isInteger(start) && start >= 0 ? start : 1;
        open.push({ at: builder.open('orderedList', order !== 1 ? { order } : undefined), task: false });
        break;
      }
      case 'list_item_open': {
        open.push({ at: builder.open(listIsTask ? 'taskItem' : 'listItem'), task: false });
        if (listIsTask) {
          const inline = tokens[i + 2];
          const marker = inline?.type === 'inline' ? TASK.exec(inline.content) : null;
          if (marker && inline) {
            if (marker[1] !== ' ') builder.taskDone();
            markers.add(inline);
          }
        }
        break;
      }
      case 'blockquote_open':
        open.push({ at: builder.open('blockquote'), task: false });
        break;
      case 'table_open':
        open.push({ at: builder.open('table'), task: false });
        break;
      case 'tr_open':
        open.push({ at: builder.open('tableRow'), task: false });
        break;
      case 'th_open':
      case 'td_open':
        open.push({ at: builder.open(token.type === 'th_open' ? 'tableHeader' : 'tableCell'), task: false });
        break;
      case 'paragraph_close':
      case 'heading_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'blockquote_close':
      case 'table_close':
      case 'tr_close':
      case 'th_close':
      case 'td_close': {
        const entry = open.pop();
        if (entry) builder.closeTo(entry.at);
        break;
      }
      case 'fence':
      case 'code_block': {
        const language = safeLanguage(token.info.trim().split(/\s+/)[0]);
        const at = builder.open('codeBlock', language ? { language } : undefined);
        builder.literal(token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content, root);
        builder.closeTo(at);
        break;
      }
      case 'hr':
        builder.rule();
        break;
      case 'inline':
        inline(builder, token.children ?? [], root, markers.has(token), images, options);
        break;
      default:
      // thead, tbody and the like carry nothing ADF keeps.
    }
  }
  const { doc, simplified } = builder.finish();
  return cut ? withTruncation({ doc, simplified, images }) : { doc, simplified, images };
}

/** The note at the end of a body that was cut, in the document and in `simplified`. */
function withTruncation(parsed: Parsed): Parsed {
  parsed.doc.content.push({ type: 'paragraph', content: [{ type: 'text', text: TRUNCATION_NOTE }] });
  parsed.simplified.push(
    `the end of the text (it was longer than ${MAX_HTML_CHARS.toLocaleString('en-US')} characters)`,
  );
  return parsed;
}

/** Every line of the source as a paragraph of its text, without the quote and list markers before it. */
function flat(source: string, cut: boolean): Parsed {
  const builder = new AdfBuilder();
  const marks = noMarks();
  for (const line of source.split('\n')) {
    const text = line.replace(/^(?:\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s)))*\s*/, '');
    if (text.trim() === '') continue;
    const at = builder.open('paragraph');
    builder.literal(text, marks);
    builder.closeTo(at);
  }
  builder.note(`Markdown nested deeper than ${MAX_MARKDOWN_NESTING} levels (read as plain text)`);
  const { doc, simplified } = builder.finish();
  return cut ? withTruncation({ doc, simplified, images: [] }) : { doc, simplified, images: [] };
}

/** The raw text of the list item starting at `at` (its first paragraph's source), or ''. */
function firstText(tokens: readonly Token[], at: number): string {
  const inline = tokens[at]?.type === 'list_item_open' ? tokens[at + 2] : undefined;
  return inline?.type === 'inline' ? inline.content : '';
}

const MARK_OF: Record<string, MarkSet['marks'][number] | undefined> = {
  strong_open: { type: 'strong' },
  em_open: { type: 'em' },
  s_open: { type: 'strike' },
};

function inline(
  builder: AdfBuilder,
  children: readonly Token[],
  root: MarkSet,
  stripMarker: boolean,
  images: Parsed['images'],
  options: ParseOptions,
): void {
  const marks: MarkSet[] = [root];
  let skip = stripMarker ? 4 : 0; // "[ ] ": the task's checkbox, already read
  for (const token of children) {
    const current = marks[marks.length - 1]!;
    switch (token.type) {
      case 'text': {
        let text = token.content;
        if (skip) {
          const cut = Math.min(skip, text.length);
          text = text.slice(cut);
          skip -= cut;
        }
        builder.literal(text, current);
        break;
      }
      case 'softbreak':
        if (!skip) builder.literal(' ', current);
        break;
      case 'hardbreak':
        builder.hardBreak();
        break;
      case 'code_inline':
        builder.literal(token.content, withMark(current, { type: 'code' }));
        break;
      case 'strong_open':
      case 'em_open':
      case 's_open':
        marks.push(withMark(current, MARK_OF[token.type]!));
        break;
      case 'link_open': {
        const href = safeHref(token.attrGet('href'));
        if (!href) builder.note('a link that was not http, https or mailto (kept as text)');
        marks.push(href ? withMark(current, { type: 'link', attrs: { href } }) : current);
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 's_close':
      case 'link_close':
        if (marks.length > 1) marks.pop();
        break;
      case 'image': {
        const src = (token.attrGet('src') ?? '').trim();
        // A file that crossed shows as its Jira copy, where it stood; any other is left out and said.
        const copy = options.image?.(src);
        if (copy) builder.media(copy);
        else {
          if (/^https?:\/\//i.test(src)) images.push(token.content ? { src, alt: token.content } : { src });
          builder.note('an inline image');
        }
        break;
      }
      default:
        if (token.content) builder.literal(token.content, current);
    }
  }
}
