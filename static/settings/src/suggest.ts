/**
 * Suggestions for the mapping editor, by name and kind: which remote field a
 * Jira field most likely pairs with (and how its values cross), and which
 * remote value a Jira value most likely maps to. Pure: the editor offers a
 * suggestion, the admin decides.
 */
import type { RemoteField } from './types';

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/^(system|microsoft\.vsts\.[a-z]+)\./, '')
    .replace(/[^a-z0-9]/g, '');

/** Names the same thing goes by in the systems Crosswalk pairs (normalized). */
const FIELD_SYNONYMS: Record<string, readonly string[]> = {
  summary: ['shortdescription', 'title', 'subject'],
  description: ['description', 'reprosteps'],
  status: ['state', 'status', 'incidentstate'],
  priority: ['priority', 'urgency'],
  labels: ['tags', 'tag'],
  assignee: ['assignedto', 'assigneeid', 'assignee'],
  reporter: ['callerid', 'requesterid', 'openedby', 'createdby', 'requester'],
  duedate: ['duedate', 'dueon'],
  environment: ['environment', 'systeminfo'],
};

/**
 * The kinds a Jira field's values can cross to, and the transform that carries
 * them; none for labels, whose form depends on how the system keeps a list
 * (Zendesk an array, Azure DevOps "a; b"), which the kind does not say.
 */
const KIND_OF: Record<string, { kinds: ReadonlyArray<RemoteField['kind']>; transform?: string }> = {
  summary: { kinds: ['text'], transform: 'none' },
  description: { kinds: ['rich-text', 'text'], transform: 'rich-text' },
  status: { kinds: ['choice'], transform: 'value-map' },
  priority: { kinds: ['choice', 'number'], transform: 'value-map' },
  labels: { kinds: ['list', 'text'] },
  assignee: { kinds: ['user'], transform: 'user' },
  reporter: { kinds: ['user'], transform: 'user' },
};

export interface FieldSuggestion {
  remote: RemoteField;
  /** How values cross, where the kinds say; absent: the admin's choice stays. */
  transform?: string;
  /** Why, for people: "same name", "Jira's summary is ServiceNow's short description"… */
  why: string;
}

function transformFor(jiraField: string, remote: RemoteField): string | undefined {
  const known = KIND_OF[jiraField];
  if (known) return known.transform;
  if (remote.kind === 'user') return 'user';
  if (remote.kind === 'rich-text') return 'rich-text';
  if (remote.kind === 'choice') return 'value-map';
  return undefined;
}

/**
 * The remote field a Jira field most likely pairs with, among those not yet
 * paired and not read-only: same name first, then a name the same thing goes
 * by elsewhere, then a name that contains the other; a field of a kind the
 * Jira field cannot cross to is never suggested.
 */
export function suggestRemoteField(
  jira: { id: string; name: string },
  remoteFields: readonly RemoteField[],
  taken: ReadonlySet<string>,
): FieldSuggestion | undefined {
  const key = norm(jira.id);
  const names = new Set([key, norm(jira.name)]);
  const synonyms = FIELD_SYNONYMS[key] ?? [];
  const allowed = KIND_OF[key]?.kinds;
  const candidates = remoteFields.filter(
    (f) => !f.readOnly && !taken.has(f.id) && (!allowed || allowed.includes(f.kind)),
  );
  const ranked = candidates
    .map((f) => {
      const ids = [norm(f.id), norm(f.name)];
      const score = ids.some((n) => names.has(n))
        ? 3
        : ids.some((n) => synonyms.includes(n))
          ? 2
          : ids.some((n) => n.length > 3 && [...names].some((j) => j.length > 3 && (n.includes(j) || j.includes(n))))
            ? 1
            : 0;
      // Among synonyms, the one listed first is the usual pair (summary ↔ short description before title).
      const order = synonyms.findIndex((s) => ids.includes(s));
      return { f, score, order: order < 0 ? synonyms.length : order };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const best = ranked[0];
  if (!best) return undefined;
  const why =
    best.score === 3 ? 'same name' : best.score === 2 ? `what ${jira.name} is usually called there` : 'similar name';
  const transform = transformFor(key, best.f);
  return { remote: best.f, ...(transform ? { transform } : {}), why };
}

/** Jira values and remote labels that mean the same across trackers (normalized). */
const VALUE_SYNONYMS: ReadonlyArray<readonly string[]> = [
  ['todo', 'new', 'open', 'backlog', 'proposed', 'notstarted'],
  ['inprogress', 'active', 'workinprogress', 'open', 'committed', 'doing'],
  ['waitingforcustomer', 'pending', 'onhold', 'awaitingcustomer', 'waiting'],
  ['inreview', 'resolved', 'review', 'hold', 'onhold'],
  ['done', 'closed', 'resolved', 'solved', 'completed', 'complete'],
  ['highest', 'critical', 'urgent', '1critical', '11critical'],
  ['high', '1high', '2high', 'high'],
  ['medium', 'normal', 'moderate', '2medium', '3medium'],
  ['low', '3low', '4low', 'planning'],
];

const stripNumber = (s: string) => s.replace(/^\d+\W*/, '').replace(/\W*\(?\d+\)?$/, '');

/**
 * For each Jira value, the remote value it most likely maps to: the same label
 * (ignoring case, spaces and a leading number like ServiceNow's "1 - High"),
 * else a label that means the same across trackers; each remote value is
 * suggested once, first come first served in the Jira values' order.
 */
export function suggestValueMap(
  jiraValues: readonly string[],
  remoteValues: ReadonlyArray<{ value: string; label: string }>,
  already: ReadonlyArray<{ jira: string; remote: string }> = [],
): Array<{ jira: string; remote: string }> {
  const used = new Set(already.map((e) => e.remote));
  const mapped = new Set(already.map((e) => e.jira));
  const out: Array<{ jira: string; remote: string }> = [];
  const labelOf = (v: { value: string; label: string }) => norm(stripNumber(v.label));
  for (const j of jiraValues) {
    if (mapped.has(j)) continue;
    const key = norm(j);
    const free = remoteValues.filter((v) => !used.has(v.value));
    const same = free.find((v) => labelOf(v) === key || norm(v.label) === key);
    const group = VALUE_SYNONYMS.find((g) => g[0] === key) ?? VALUE_SYNONYMS.find((g) => g.includes(key));
    const alike =
      same ??
      (group ? group.map((s) => free.find((v) => labelOf(v) === s || norm(v.label) === s)).find(Boolean) : undefined);
    if (!alike) continue;
    used.add(alike.value);
    out.push({ jira: j, remote: alike.value });
  }
  return out;
}

/**
 * Whether a field pair's values need a map, decided the same way for every
 * field: they do when the two sides allow different values. A side without a
 * list of values allows any; a remote list not known yet (a connection not
 * saved) cannot be shown to equal Jira's, so a Jira field with a list (status,
 * priority) gets a map until the remote's list says otherwise.
 */
export function valuesNeedAMap(
  jiraValues: readonly string[] | undefined,
  remoteValues: ReadonlyArray<{ value: string }> | undefined,
): boolean {
  const jira = jiraValues?.length ? new Set(jiraValues) : undefined;
  const remote = remoteValues?.length ? new Set(remoteValues.map((v) => v.value)) : undefined;
  if (!jira && !remote) return false;
  if (!jira || !remote) return true;
  return jira.size !== remote.size || [...jira].some((v) => !remote.has(v));
}
