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
  /**
   * Images met while parsing, in order. One `ParseOptions.image` knew stands in the document as its Jira copy;
   * any other is left out (never hot-linked) and named here.
   */
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

/**
 * What a parser is told about the pair a body belongs to, so people and files
 * come out as Jira's own: which markup names a person (and who that is in
 * Jira), and which images are files that have crossed. Without it, a mention
 * is its text and an image is left out.
 */
export interface ParseOptions {
  /**
   * The attribute by which the system marks a person in its HTML (Azure DevOps'
   * `data-vss-mention`), and the Jira account its value names; undefined keeps
   * the element's text ("@Ana Lima") as text.
   */
  mention?: { attribute: string; accountOf: (value: string) => string | undefined };
  /** An image's source → the attributes of the ADF `media` node of its Jira copy; undefined leaves it out. */
  image?: (src: string) => Record<string, unknown> | undefined;
}

/** Both ways of one pair's bodies: how its remote format is read and written. */
export interface BodyOptions {
  parse?: ParseOptions;
  render?: RenderOptions;
}
