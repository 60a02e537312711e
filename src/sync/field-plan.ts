/**
 * The field part of a reconcile as a pure plan: from both sides' current
 * canonical values and the link's base, which side each field is written to,
 * what the base becomes for fields that need no write, and what conflicts and
 * problems to record. Executing the plan is the reconciler's job.
 */
import type { BodyFormat } from '../connectors/ports';
import type { ConnectionConfig, FieldMapping } from '../mapping/connection-config';
import { remoteFieldsOf, storedOnJira, storedOnRemote, writeRemote, type Read } from '../mapping/field-values';
import { canonicalEqual, type CanonicalValue } from './canonical';
import { decideField, type Conflict, type Side, type SidePair } from './field-decision';
import { isRefusedAgain, REFUSED, type Refusal } from './refusals';
import type { Conversion } from '../mapping/field-convert';
import type { RuleMatch } from '../mapping/rules';

export interface FieldReading {
  m: FieldMapping;
  jira: Read;
  remote: Read;
}

export interface PlannedWrite {
  m: FieldMapping;
  target: Side;
  value: CanonicalValue;
  current: SidePair<CanonicalValue>;
  /** A remote write: the remote field's value as written, and the fields sent for it (a derived field's inputs). */
  written?: { value: string; fields: Record<string, string> };
}

/** The remote fields a planned write sends. */
export const sentFields = (w: PlannedWrite): string[] => Object.keys(w.written?.fields ?? { [w.m.remote]: '' });

export interface FieldPlan {
  /** One remote update: field → the remote's own value. */
  remoteFields: Record<string, string>;
  /** Writes to Jira, in canonical values (people and status need lookups and transitions). */
  jiraWrites: PlannedWrite[];
  remoteWrites: PlannedWrite[];
  /** The new base of every field that needs no write. */
  settled: Record<string, SidePair<CanonicalValue>>;
  conflicts: Conflict[];
  /** Per field, why it cannot sync now. */
  problems: Record<string, string>;
  /** What people should know that is not a failure: a Jira edit the remote keeps out (see `remoteFixed`). */
  notices: string[];
  /** Fields whose write is the one a side already refused (refusals.ts): not written again, their refusal still stands. */
  stillRefused: string[];
  /** Remote fields that go in one write or none (a derived field's inputs). */
  remoteTogether?: string[][];
  /** Per pair with rules (rules.ts), which rule gave its value on this item: the preview shows it. */
  rules?: Record<string, RuleMatch>;
}

export interface FieldPlanInput {
  config: Pick<ConnectionConfig, 'fields' | 'conflictPolicy' | 'requiredOnEnter'>;
  readings: readonly FieldReading[];
  base: Readonly<Record<string, SidePair<CanonicalValue>>>;
  updatedAt: SidePair<number | undefined>;
  /** On a link's first sync, the side the item was created on. */
  origin?: Side;
  remoteMaxLengths: Readonly<Record<string, number>>;
  /** The format the remote keeps rich text in. */
  remoteRichText: BodyFormat;
  /** The connection's time zone and the remote's date-time text (field-convert.ts). */
  conversion?: Conversion;
  /** What the remote item holds now, raw (for fields required on entering a state). */
  remoteRaw: Readonly<Record<string, unknown>>;
  issueKey: string;
  /** Remote fields written only when an item is made (Zendesk's description, its first comment), with why. */
  remoteFixed?: Readonly<Record<string, string>>;
  /** The remote item as people call it, for notices. */
  remoteKey?: string;
  /** Per Jira field, when a person last changed it since the last sync (see `decideField`). */
  jiraTouchedAt?: Readonly<Record<string, number>>;
  /** Per Jira field, when a person last changed its remote field since the last sync, where the connector reads history. */
  remoteTouchedAt?: Readonly<Record<string, number>>;
  /** Per Jira field, the write a side refused (refusals.ts): the same value under the same mapping is not written again while it rests. */
  refusals?: Readonly<Record<string, Refusal>>;
  /** Epoch ms of this run (refusals rest for a while). */
  now?: number;
}

/**
 * What a pair's link says the plan must know, the same for the reconcile and the preview: where a field's first
 * value comes from (a pair made in this run, or made from Jira: Jira; a link a person made, or made from the remote
 * and never synced: the remote), and the writes a side refused (refusals.ts).
 */
export function pairPlanContext(
  link:
    | {
        origin: 'jira' | 'remote' | 'linked';
        base: Readonly<Record<string, unknown>>;
        problems?: Readonly<Record<string, { kind: string; refusal?: Refusal }>>;
      }
    | undefined,
  created: boolean,
): Pick<FieldPlanInput, 'origin' | 'refusals'> {
  const origin: Side | undefined =
    created || !link || link.origin === 'jira'
      ? 'jira'
      : link.origin === 'linked' || (link.origin === 'remote' && !Object.keys(link.base).length)
        ? 'remote'
        : undefined;
  const refusals = Object.fromEntries(
    Object.entries(link?.problems ?? {}).flatMap(([part, p]) =>
      p.kind === REFUSED && p.refusal ? [[part, p.refusal] as const] : [],
    ),
  );
  return { ...(origin ? { origin } : {}), ...(Object.keys(refusals).length ? { refusals } : {}) };
}

/** Fields whose Jira value reads as unchanged while the remote's changed: only for these does Jira's history matter. */
export function jiraLooksUnchangedAgainstRemote(
  readings: readonly FieldReading[],
  base: Readonly<Record<string, SidePair<CanonicalValue>>>,
): string[] {
  return readings
    .filter(
      ({ m, jira, remote }) =>
        jira.ok &&
        remote.ok &&
        base[m.jira] &&
        canonicalEqual(jira.value, upgradedBase(base[m.jira], jira, remote)!.jira) &&
        !canonicalEqual(remote.value, upgradedBase(base[m.jira], jira, remote)!.remote) &&
        !canonicalEqual(jira.value, remote.value),
    )
    .map(({ m }) => m.jira);
}

/** The same the other way: fields whose remote value reads as unchanged while Jira's changed. */
export function remoteLooksUnchangedAgainstJira(
  readings: readonly FieldReading[],
  base: Readonly<Record<string, SidePair<CanonicalValue>>>,
): string[] {
  return readings
    .filter(
      ({ m, jira, remote }) =>
        jira.ok &&
        remote.ok &&
        base[m.jira] &&
        canonicalEqual(remote.value, upgradedBase(base[m.jira], jira, remote)!.remote) &&
        !canonicalEqual(jira.value, upgradedBase(base[m.jira], jira, remote)!.jira) &&
        !canonicalEqual(jira.value, remote.value),
    )
    .map(({ m }) => m.jira);
}

export function planFields(input: FieldPlanInput): FieldPlan {
  const plan: FieldPlan = {
    remoteFields: {},
    jiraWrites: [],
    remoteWrites: [],
    settled: {},
    conflicts: [],
    problems: {},
    notices: [],
    stillRefused: [],
  };
  for (const { m, jira, remote } of input.readings) {
    if (!jira.ok || !remote.ok) {
      plan.problems[m.jira] = [!jira.ok ? jira.reason : '', !remote.ok ? remote.reason : ''].filter(Boolean).join('; ');
      continue;
    }
    const current = { jira: jira.value, remote: remote.value };
    const rule = jira.rule ?? remote.rule;
    if (rule) (plan.rules ??= {})[m.jira] = rule;
    const base = upgradedBase(input.base[m.jira], jira, remote);
    const decision = decideField({
      field: m.jira,
      direction: m.direction,
      policy: input.config.conflictPolicy,
      ...(m.conflictPolicy ? { fieldPolicy: m.conflictPolicy } : {}),
      base,
      current,
      updatedAt: input.updatedAt,
      ...(originOf(input, m) ? { origin: originOf(input, m)! } : {}),
      ...(input.jiraTouchedAt?.[m.jira] !== undefined ? { jiraTouchedAt: input.jiraTouchedAt[m.jira] } : {}),
      ...(input.remoteTouchedAt?.[m.jira] !== undefined ? { remoteTouchedAt: input.remoteTouchedAt[m.jira] } : {}),
      storedAs: {
        jira: (v) => storedOnJira(m, v),
        remote: (v) => storedOnRemote(m, v, input.remoteMaxLengths, input.remoteRichText, input.conversion),
      },
    });
    // Said when Jira's value reaches the remote: written now, or first synced (it went with the item's create).
    const reaches = decision.action === 'none' ? !input.base[m.jira] : decision.target === 'remote';
    if (reaches && jira.simplified?.length)
      plan.notices.push(
        `The Jira ${m.jira} holds what ${input.remoteKey ?? 'the remote item'} cannot: ${jira.simplified.join(', ')}. It was simplified there and stays whole in Jira.`,
      );
    // And when the remote's value reaches Jira, what it could not take.
    const arrives = decision.action === 'none' ? !input.base[m.jira] : decision.target === 'jira';
    if (arrives && remote.simplified?.length) {
      const where = input.remoteKey ?? 'the remote item';
      plan.notices.push(
        `The ${m.remote} of ${where} holds what Jira cannot take: ${remote.simplified.join(', ')}. It was left out in Jira and stays whole in ${where}.`,
      );
    }
    const cut = reaches ? cutNotice(input, m, jira.value) : undefined;
    if (cut) plan.notices.push(cut);
    if (decision.action === 'none') {
      plan.settled[m.jira] = current;
      continue;
    }
    if (isRefusedAgain(input.refusals?.[m.jira], m, decision.target, decision.value, input.now ?? Date.now())) {
      plan.stillRefused.push(m.jira);
      continue;
    }
    if (decision.conflict) plan.conflicts.push(decision.conflict);
    const write: PlannedWrite = { m, target: decision.target, value: decision.value, current };
    if (decision.target === 'remote') {
      const w = writeRemote(m, decision.value, input.remoteRichText, input.conversion, input.remoteRaw[m.remote]);
      if (!w.ok) {
        plan.problems[m.jira] = w.reason;
        continue;
      }
      const fixed = input.remoteFixed?.[w.field];
      if (fixed !== undefined) {
        // The remote keeps this field as it was made: nothing to write, and the values stay apart by design.
        const base = input.base[m.jira];
        if (base && !canonicalEqual(base.jira, current.jira))
          plan.notices.push(
            `The Jira ${m.jira} changed after ${input.remoteKey ?? 'the remote item'} was created, and was not copied: ${fixed}.`,
          );
        // Its first sync: an image Jira shows that the item was made without (its file crossed only after the
        // create, as a screenshot pasted into a new issue's description does). Other differences on a first sync
        // may be of form alone (how the remote keeps its markup), and settle quietly.
        if (!base && imagesIn(current.jira) > imagesIn(current.remote))
          plan.notices.push(
            `The Jira ${m.jira} shows an image ${input.remoteKey ?? 'the remote item'} was created without, and was not copied: ${fixed}. The image's file is attached there.`,
          );
        plan.settled[m.jira] = current;
        continue;
      }
      const fields = remoteFieldsOf(w);
      Object.assign(plan.remoteFields, fields);
      plan.remoteWrites.push({ ...write, written: { value: w.value, fields } });
      if (w.inputs) (plan.remoteTogether ??= []).push(Object.keys(w.inputs));
    } else {
      plan.jiraWrites.push(write);
    }
  }
  addRequiredOnEnter(input.config.requiredOnEnter, plan.remoteFields, input.remoteRaw, input.issueKey);
  return plan;
}

/** How many images a rich value (a projection in HTML or Markdown) shows. */
const imagesIn = (value: CanonicalValue): number =>
  typeof value === 'string' ? (value.match(/<img\s|!\[[^\]]*\]\(/g) ?? []).length : 0;

/**
 * What people read when Jira's value is longer than the remote field holds (its declared `maxLengths`, which the
 * remote cuts silently, as ServiceNow cuts a short description at 160): where it was cut, and that Jira keeps it
 * whole. Undefined when it fits.
 */
function cutNotice(input: FieldPlanInput, m: FieldMapping, value: CanonicalValue): string | undefined {
  const w = writeRemote(m, value, input.remoteRichText, input.conversion);
  if (!w.ok) return undefined;
  const max = input.remoteMaxLengths[w.field];
  if (max === undefined || w.value.length <= max) return undefined;
  return (
    `The Jira ${m.jira} is longer than ${input.remoteKey ?? 'the remote item'}'s ${w.field} holds (${max} characters): ` +
    `it was cut there at ${max} characters, and stays whole in Jira.`
  );
}

/**
 * A rich field's base taken before rich content held each side's plain text (`Read.legacy`). A side whose plain text
 * is still the base's has not changed since: its base becomes its projection, so the upgrade decides exactly what the
 * plain comparison would have, and writes nothing by itself. A projection never equals the plain text of a richer
 * format (it has its markup), so a base already in projections is left as it is.
 */
export function upgradedBase(
  base: SidePair<CanonicalValue> | undefined,
  jira: Extract<Read, { ok: true }>,
  remote: Extract<Read, { ok: true }>,
): SidePair<CanonicalValue> | undefined {
  if (!base) return base;
  const side = (was: CanonicalValue, read: Extract<Read, { ok: true }>) =>
    read.legacy !== undefined && was === read.legacy && was !== read.value ? read.value : was;
  return { jira: side(base.jira, jira), remote: side(base.remote, remote) };
}

/**
 * Where a field's first sync takes its value from: the item's origin on the link's first sync; after that, for a
 * field whose first write was refused (it has no base yet), the side that write came from, until the field first
 * syncs. Otherwise the policy would decide it as a field added later, and could copy the refusing side's default
 * over the value it refused.
 */
function originOf(input: FieldPlanInput, m: FieldMapping): Side | undefined {
  if (input.origin) return input.origin;
  const refusal = input.refusals?.[m.jira];
  if (!refusal || input.base[m.jira]) return undefined;
  return refusal.target === 'jira' ? 'remote' : 'jira';
}

/** Entering some states needs more fields (ServiceNow's close code and notes): they go with the same write, a create included. */
export function addRequiredOnEnter(
  rules: ConnectionConfig['requiredOnEnter'],
  fields: Record<string, string>,
  remoteRaw: Readonly<Record<string, unknown>>,
  issueKey: string,
): void {
  for (const rule of rules) {
    const entering = fields[rule.field];
    if (entering === undefined || !rule.values.includes(entering)) continue;
    for (const [field, value] of Object.entries(rule.set)) {
      if (!remoteRaw[field]) fields[field] ??= value.replace('{issueKey}', issueKey);
    }
  }
}
