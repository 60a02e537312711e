/**
 * Adopting what already exists (issue 24), as a pure decision: which Jira
 * issues of a connection already correspond to which remote items, by rules
 * the admin chooses and orders, before a bulk sync would create a second item
 * for each.
 *
 * Per issue, the rules are tried in order; the first rule that finds any
 * candidate decides: one candidate is a pair, two or more leave the issue
 * ambiguous (every candidate listed, for a person to choose), none under every
 * rule is a create. A remote item two or more issues name is refused: neither
 * is paired, since which one it belongs to is a person's call. Issues and items
 * already linked are left out of everything. Pairs found by equal titles alone
 * are offered only: `needsConfirmation`, never adopted without a person saying
 * so. Nothing here names a system: an item's URL and display key are as its
 * connector gives them.
 *
 * The work is linear in the input (each rule indexes the items once), and the
 * answer does not depend on the order issues or items are given in.
 */

export type MatchRule =
  /** A remote field's text names the issue: its key or its browse URL, as the whole value or a word or line in it. */
  | { kind: 'remote-field'; field: string }
  /** One of the issue's remote links points at the item's URL. */
  | { kind: 'jira-remote-link' }
  /** A Jira field holds the item's display key or number (INC0010001, #12, 12). */
  | { kind: 'jira-field'; field: string }
  /** Equal titles (trimmed, case-folded), created within `days` of each other: offered, never adopted unconfirmed. */
  | { kind: 'title-window'; days: number };

export interface JiraCandidate {
  id: string;
  key: string;
  /** The issue's browse URL. */
  url: string;
  summary: string;
  /** Epoch ms. */
  created: number;
  fields: Readonly<Record<string, unknown>>;
  /** The URLs of its remote links. */
  remoteLinks: readonly string[];
  /** Already linked through any connection: left out. */
  linked: boolean;
}

export interface RemoteCandidate {
  id: string;
  displayKey: string;
  url: string;
  title: string;
  /** Epoch ms. */
  created: number;
  fields: Readonly<Record<string, unknown>>;
  /** Already claimed by a link of this connection: left out. */
  linked: boolean;
}

export interface Pairing {
  issueId: string;
  remoteId: string;
  /** The index of the rule that found it, in the rules given. */
  rule: number;
  kind: MatchRule['kind'];
  /** Found by equal titles alone: adopted only once a person confirms it. */
  needsConfirmation: boolean;
}

export interface Ambiguous {
  issueId: string;
  rule: number;
  kind: MatchRule['kind'];
  /** Every remote item the rule found, in order. */
  candidates: string[];
}

export interface Refused {
  remoteId: string;
  /** The issues that named it, in order. */
  issueIds: string[];
}

export interface MatchResult {
  pair: Pairing[];
  /** Issues no rule found anything for: a bulk sync would create their remote item. */
  create: string[];
  ambiguous: Ambiguous[];
  refused: Refused[];
}

export const DAY_MS = 86_400_000;

/** Ids in a stable order: numeric ids as numbers (Jira's, most remotes'), others as text. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** A URL as compared: scheme and host in lower case, no trailing slash, no fragment; undefined when it is none. */
export function normalUrl(text: string): string | undefined {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host.toLowerCase()}${path}${u.search}`;
}

/** The words of a text, with the brackets, quotes and trailing punctuation around them taken off. */
function wordsOf(text: string): string[] {
  return text
    .split(/[\s[\]()<>{}|"'`]+/)
    .map((w) => w.replace(/[.,;:!?*]+$/, ''))
    .filter(Boolean);
}

/** What a remote field's value says, as issue keys (upper case) and URLs (normalised). */
function namesIn(value: unknown): { keys: Set<string>; urls: Set<string> } {
  const keys = new Set<string>();
  const urls = new Set<string>();
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  for (const word of wordsOf(text)) {
    if (/^https?:\/\//i.test(word)) {
      const url = normalUrl(word);
      if (url) urls.add(url);
    } else keys.add(word.toUpperCase());
  }
  return { keys, urls };
}

/** A number or key as compared: trimmed, upper case, without a leading `#`. */
const numberForm = (text: string) => text.trim().toUpperCase().replace(/^#/, '');

/**
 * The forms a display key is named by: whole (INC0010001, #12 → 12), its last word (Bug 4 → 4), and the number
 * after a prefix's dash (#INC-12 → 12). Digits inside a number (INC0010001) are not a number of their own.
 */
function displayForms(displayKey: string): string[] {
  const whole = numberForm(displayKey);
  const words = whole.split(/\s+/);
  const afterDash = /-(\d+)$/.exec(whole)?.[1] ?? '';
  return [...new Set([whole, numberForm(words[words.length - 1] ?? ''), afterDash])].filter(Boolean);
}

const titleForm = (text: string) => text.normalize('NFC').trim().toLowerCase();

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Per rule, a function giving an issue's candidates (remote ids, sorted, no repeats). */
function finderFor(rule: MatchRule, items: readonly RemoteCandidate[]): (issue: JiraCandidate) => string[] {
  const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort(compareIds);
  switch (rule.kind) {
    case 'remote-field': {
      const byKey = new Map<string, string[]>();
      const byUrl = new Map<string, string[]>();
      for (const item of items) {
        const { keys, urls } = namesIn(item.fields[rule.field]);
        for (const k of keys) push(byKey, k, item.id);
        for (const u of urls) push(byUrl, u, item.id);
      }
      return (issue) => {
        const url = normalUrl(issue.url);
        return sorted([...(byKey.get(issue.key.toUpperCase()) ?? []), ...((url && byUrl.get(url)) || [])]);
      };
    }
    case 'jira-remote-link': {
      const byUrl = new Map<string, string[]>();
      for (const item of items) {
        const url = normalUrl(item.url);
        if (url) push(byUrl, url, item.id);
      }
      return (issue) =>
        sorted(
          issue.remoteLinks.flatMap((l) => {
            const url = normalUrl(l);
            return (url && byUrl.get(url)) || [];
          }),
        );
    }
    case 'jira-field': {
      const byForm = new Map<string, string[]>();
      for (const item of items) for (const f of displayForms(item.displayKey)) push(byForm, f, item.id);
      return (issue) => {
        const text = textOf(issue.fields[rule.field]);
        const form = text === undefined ? '' : numberForm(text);
        return form ? sorted(byForm.get(form) ?? []) : [];
      };
    }
    case 'title-window': {
      const byTitle = new Map<string, RemoteCandidate[]>();
      for (const item of items) {
        const t = titleForm(item.title);
        if (t) push(byTitle, t, item);
      }
      const window = Math.max(0, rule.days) * DAY_MS;
      return (issue) => {
        const t = titleForm(issue.summary);
        if (!t) return [];
        return sorted(
          (byTitle.get(t) ?? []).filter((item) => Math.abs(item.created - issue.created) <= window).map((i) => i.id),
        );
      };
    }
  }
}

/** Which issues pair with which items, which would be created, and which a person must decide. */
export function matchExisting(
  rules: readonly MatchRule[],
  issues: readonly JiraCandidate[],
  items: readonly RemoteCandidate[],
): MatchResult {
  const open = [...new Map(items.filter((i) => !i.linked).map((i) => [i.id, i])).values()];
  const finders = rules.map((r) => finderFor(r, open));
  const todo = [...new Map(issues.filter((i) => !i.linked).map((i) => [i.id, i])).values()].sort((a, b) =>
    compareIds(a.id, b.id),
  );
  const claims = new Map<string, Pairing[]>();
  const result: MatchResult = { pair: [], create: [], ambiguous: [], refused: [] };
  for (const issue of todo) {
    let found = false;
    for (let r = 0; r < rules.length && !found; r++) {
      const candidates = finders[r]!(issue);
      if (!candidates.length) continue;
      found = true;
      const kind = rules[r]!.kind;
      if (candidates.length > 1) result.ambiguous.push({ issueId: issue.id, rule: r, kind, candidates });
      else
        push(claims, candidates[0]!, {
          issueId: issue.id,
          remoteId: candidates[0]!,
          rule: r,
          kind,
          needsConfirmation: kind === 'title-window',
        });
    }
    if (!found) result.create.push(issue.id);
  }
  for (const [remoteId, named] of [...claims].sort(([a], [b]) => compareIds(a, b))) {
    if (named.length === 1) result.pair.push(named[0]!);
    else result.refused.push({ remoteId, issueIds: named.map((p) => p.issueId) });
  }
  result.pair.sort((a, b) => compareIds(a.issueId, b.issueId));
  return result;
}
