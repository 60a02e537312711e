/**
 * What the rich converters (ADF ⇄ HTML, ADF ⇄ Markdown) return besides the
 * converted body: `simplified` lists, in short human phrases and once each,
 * what the target format could not hold, so the engine can say so to people.
 */
export interface Rendered {
  body: string;
  simplified: string[];
}

export interface Parsed {
  doc: import('./adf').AdfDoc;
  simplified: string[];
  /** Images met while parsing, in order: the engine uploads them later; the document holds nothing for them yet. */
  images: Array<{ src: string; alt?: string }>;
}

export interface RenderOptions {
  /**
   * The markup for a mention, already escaped by the caller. Undefined (or no
   * hook) writes the display text ("@Ana Lima") as text: never the account id.
   */
  mention?: (m: { id: string; text?: string }) => string | undefined;
  /** The markup for an image or file (`<img …>`, `![](…)`), once the engine has a URL for it; undefined omits it. */
  media?: (attrs: Record<string, unknown>) => string | undefined;
}
