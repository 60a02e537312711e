/**
 * ServiceNow's HTML Sanitizer, as it cleans an HTML field's value on every
 * write (`glide.html.sanitize_all_fields`, on by default since Jakarta): the
 * markup an editor makes is kept; script, style, frames, objects and forms are
 * dropped with their content, event handler attributes are dropped, and a
 * link or image whose URL runs script is dropped. Its allow-list is longer
 * than this; what matters here is that nothing runnable survives a write.
 */
import { Parser } from 'htmlparser2';
import { escapeAttribute, escapeText } from 'entities';

const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form']);
const VOID = new Set(['br', 'hr', 'img', 'col', 'wbr', 'area', 'source']);
const RUNS_SCRIPT = /^\s*(javascript|vbscript|data(?!:image\/(png|gif|jpeg|webp);))\s*:/i;

export function sanitizeHtml(html: string): string {
  let out = '';
  let dropping = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (dropping || DROPPED_WITH_CONTENT.has(name)) {
          if (!VOID.has(name)) dropping++;
          return;
        }
        const kept = Object.entries(attributes).filter(
          ([attr, value]) =>
            !attr.startsWith('on') && !((attr === 'href' || attr === 'src') && RUNS_SCRIPT.test(value)),
        );
        out += `<${name}${kept.map(([a, v]) => ` ${a}="${escapeAttribute(v)}"`).join('')}>`;
      },
      ontext(text) {
        if (!dropping) out += escapeText(text);
      },
      onclosetag(name) {
        if (dropping) {
          if (!VOID.has(name)) dropping--;
          return;
        }
        if (!VOID.has(name)) out += `</${name}>`;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return out;
}
