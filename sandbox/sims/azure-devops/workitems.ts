/**
 * Work item writes: JSON Patch documents applied atomically to a draft, the
 * process rules (states, reasons, required Title, allowed values, identities,
 * tree paths), then one new revision with its update delta. Comments are kept
 * here too because they write revisions (System.History, System.CommentCount).
 */
import * as z from 'zod';
import { AdoError, errors } from './errors';
import type { FieldDef, WorkItemTypeDef } from './process';
import {
  adoDate,
  END_OF_TIME,
  isIdentityValue,
  type AdoStore,
  type CommentRecord,
  type FieldChange,
  type FieldValue,
  type Fields,
  type Identity,
  type Organization,
  type Project,
  type Relation,
  type Revision,
  type WorkItemRecord,
} from './store';

export const patchSchema = z.array(
  z.object({
    op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
    path: z.string(),
    from: z.string().nullish(),
    value: z.unknown().optional(),
  }),
);
export type PatchOperation = z.infer<typeof patchSchema>[number];

export const LINK_TYPES: Record<string, string> = {
  hyperlink: 'Hyperlink',
  attachedfile: 'AttachedFile',
  artifactlink: 'ArtifactLink',
  'system.linktypes.related': 'System.LinkTypes.Related',
  'system.linktypes.hierarchy-forward': 'System.LinkTypes.Hierarchy-Forward',
  'system.linktypes.hierarchy-reverse': 'System.LinkTypes.Hierarchy-Reverse',
  'system.linktypes.dependency-forward': 'System.LinkTypes.Dependency-Forward',
  'system.linktypes.dependency-reverse': 'System.LinkTypes.Dependency-Reverse',
  'system.linktypes.duplicate-forward': 'System.LinkTypes.Duplicate-Forward',
  'system.linktypes.duplicate-reverse': 'System.LinkTypes.Duplicate-Reverse',
};
const LINK_NAMES: Record<string, string> = {
  'System.LinkTypes.Related': 'Related',
  'System.LinkTypes.Hierarchy-Forward': 'Child',
  'System.LinkTypes.Hierarchy-Reverse': 'Parent',
  'System.LinkTypes.Dependency-Forward': 'Successor',
  'System.LinkTypes.Dependency-Reverse': 'Predecessor',
  'System.LinkTypes.Duplicate-Forward': 'Duplicate',
  'System.LinkTypes.Duplicate-Reverse': 'Duplicate Of',
};

/**
 * A work item link is kept on both work items, each naming the other: the end
 * seen from the other side (a Parent link on a child is a Child link on its
 * parent). Attachments and hyperlinks have no other end.
 */
const OTHER_END: Record<string, string> = {
  'System.LinkTypes.Related': 'System.LinkTypes.Related',
  'System.LinkTypes.Hierarchy-Forward': 'System.LinkTypes.Hierarchy-Reverse',
  'System.LinkTypes.Hierarchy-Reverse': 'System.LinkTypes.Hierarchy-Forward',
  'System.LinkTypes.Dependency-Forward': 'System.LinkTypes.Dependency-Reverse',
  'System.LinkTypes.Dependency-Reverse': 'System.LinkTypes.Dependency-Forward',
  'System.LinkTypes.Duplicate-Forward': 'System.LinkTypes.Duplicate-Reverse',
  'System.LinkTypes.Duplicate-Reverse': 'System.LinkTypes.Duplicate-Forward',
};
const PARENT = 'System.LinkTypes.Hierarchy-Reverse';
const CHILD = 'System.LinkTypes.Hierarchy-Forward';

/** The work item id a work item link names (its URL ends in /workItems/{id}). */
export function linkedId(url: string): number | undefined {
  const m = /\/_apis\/wit\/workitems\/(\d+)\/?$/i.exec(url.split('?')[0]!);
  return m ? Number(m[1]) : undefined;
}

export interface WriteOptions {
  bypassRules?: boolean;
  validateOnly?: boolean;
}

export interface WriteResult {
  item: WorkItemRecord;
  /** Undefined when the patch changed nothing (no new revision). */
  revision?: Revision;
  created: boolean;
  comment?: CommentRecord;
  /** The other ends of the work item links the write added or removed: each got a revision of its own. */
  otherEnds?: Array<{ item: WorkItemRecord; revision: Revision }>;
}

/** Strips what Azure DevOps' HTML sanitizer removes: scripts, styles, event handlers, javascript: URLs. */
export function sanitizeHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/(href|src)\s*=\s*(["'])\s*javascript:[^"']*\2/gi, '$1=$2$2');
}

export function normalizeTags(value: string): string {
  const seen = new Map<string, string>();
  for (const t of value
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean))
    if (!seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  return [...seen.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).join('; ');
}

/**
 * A date-time as the service reads one for a dateTime field: ISO 8601 (a date, or a date and time with optional
 * seconds, fraction and offset; without an offset it is UTC) or the invariant culture's `M/d/yyyy [H:mm[:ss]]`,
 * a day that exists; the instant in epoch ms, or undefined (the service's InvalidType).
 */
export function parseAdoDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  let parts: string[] | undefined;
  let zone: string | undefined;
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (iso) {
    parts = [iso[1]!, iso[2]!, iso[3]!, iso[4] ?? '0', iso[5] ?? '0', iso[6] ?? '0', iso[7] ?? '0'];
    zone = iso[8];
  } else {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
    if (us) parts = [us[3]!, us[1]!, us[2]!, us[4] ?? '0', us[5] ?? '0', us[6] ?? '0', '0'];
  }
  if (!parts) return undefined;
  const [y, mo, d, h, mi, sec] = parts.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const ms = Number(parts[6]!.slice(0, 3).padEnd(3, '0'));
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return undefined;
  if (!zone || zone.toUpperCase() === 'Z') return t;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return t - (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
}

const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => {
  if (isIdentityValue(a) && isIdentityValue(b)) return a.identityId === b.identityId;
  return a === b;
};

/** Compares a `test` op's value to a field as the service does (identities by any of their names, strings case-sensitively). */
function testMatches(store: AdoStore, current: FieldValue | undefined, expected: unknown): boolean {
  if (isIdentityValue(current)) {
    if (typeof expected !== 'string' && !(typeof expected === 'object' && expected)) return false;
    const who = typeof expected === 'string' ? store.findIdentity(expected) : identityFromObject(store, expected);
    return who?.id === current.identityId;
  }
  if (current === undefined) return expected === null || expected === undefined || expected === '';
  if (typeof current === 'number') return Number(expected) === current;
  return String(expected) === String(current);
}

function identityFromObject(store: AdoStore, v: object): Identity | undefined {
  const o = v as Record<string, unknown>;
  for (const k of ['id', 'uniqueName', 'descriptor', 'displayName']) {
    const s = o[k];
    if (typeof s === 'string') {
      const found = k === 'id' ? store.identity(s) : store.findIdentity(s);
      if (found) return found;
    }
  }
  return undefined;
}

interface Draft {
  fields: Fields;
  relations: Relation[];
  relationChanges: { added: Relation[]; removed: Relation[]; updated: Relation[] };
  history?: string;
  reasonSet: boolean;
  resolvedReasonSet?: boolean;
}

const RESOLVED_REASON = 'Microsoft.VSTS.Common.ResolvedReason';

export class WorkItemWriter {
  constructor(private readonly store: AdoStore) {}

  /** Coerces and checks one field value; throws the service's rule errors. */
  private normalize(def: FieldDef, value: unknown, project: Project): FieldValue | undefined {
    if (value === null || value === undefined || value === '') return undefined;
    switch (def.type) {
      case 'identity': {
        const who =
          typeof value === 'string'
            ? this.store.findIdentity(value)
            : typeof value === 'object'
              ? identityFromObject(this.store, value)
              : undefined;
        if (!who)
          throw errors.rule(
            def,
            ['HasValues', 'LimitedToValues', 'AllowsOldValue', 'InvalidIdentity'],
            `The identity value '${typeof value === 'string' ? value : JSON.stringify(value)}' for field '${def.name}' is an unknown identity.`,
          );
        return { identityId: who.id };
      }
      case 'integer':
      case 'double': {
        const n =
          typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (!Number.isFinite(n) || (def.type === 'integer' && !Number.isInteger(n)))
          throw errors.rule(
            def,
            ['InvalidType'],
            `The field '${def.name}' contains a value that is not of type ${def.type === 'integer' ? 'Integer' : 'Double'}.`,
          );
        if (def.allowedValues && !def.allowedValues.includes(n))
          throw errors.rule(
            def,
            ['HasValues', 'LimitedToValues', 'InvalidListValue'],
            `The field '${def.name}' contains the value '${n}' that is not in the list of supported values`,
          );
        return n;
      }
      case 'boolean':
        return value === true || value === 'true' || value === 'True';
      case 'dateTime': {
        const t = parseAdoDateTime(value);
        if (t === undefined)
          throw errors.rule(def, ['InvalidType'], `The field '${def.name}' contains a value that is not a valid date.`);
        return adoDate(t);
      }
      case 'treePath': {
        const s = String(value).replace(/\//g, '\\');
        const list = def.referenceName === 'System.AreaPath' ? project.areas : project.iterations;
        const hit = list.find((p) => p.toLowerCase() === s.toLowerCase());
        if (!hit)
          throw errors.rule(
            def,
            ['InvalidTreePath'],
            `TF401347: Invalid tree name given for work item -1, field '${def.referenceName}'.`,
          );
        return hit;
      }
      case 'html':
        return sanitizeHtml(String(value));
      case 'plainText':
        if (def.referenceName === 'System.Tags') {
          const tags = normalizeTags(String(value));
          if (tags && tags.split('; ').length > this.store.limits.maxTags)
            throw errors.rule(
              def,
              ['InvalidTooLong'],
              `A work item can have at most ${this.store.limits.maxTags} tags.`,
            );
          return tags || undefined;
        }
        return String(value);
      default: {
        if (typeof value === 'object')
          throw errors.rule(
            def,
            ['InvalidType'],
            `The field '${def.name}' contains a value that is not of type String.`,
          );
        const s = String(value);
        if (s.length > 255)
          throw errors.rule(
            def,
            ['Required', 'InvalidTooLong'],
            `The field '${def.name}' contains a value that is too long.`,
          );
        if (def.allowedValues && !def.allowedValues.includes(s))
          throw errors.rule(
            def,
            ['HasValues', 'LimitedToValues', 'InvalidListValue'],
            `The field '${def.name}' contains the value '${s}' that is not in the list of supported values`,
          );
        return s;
      }
    }
  }

  private fieldFor(name: string): FieldDef {
    const def = this.store.field(name);
    if (!def) throw errors.fieldNotFound(name);
    return def;
  }

  private relationTarget(
    org: Organization,
    url: string,
  ): { kind: 'workItem'; id: number } | { kind: 'attachment'; id: string } | undefined {
    const wi = /\/_apis\/wit\/workitems\/(\d+)\/?$/i.exec(url.split('?')[0]!);
    if (wi) return { kind: 'workItem', id: Number(wi[1]) };
    const att = /\/_apis\/wit\/attachments\/([0-9a-f-]{36})\/?$/i.exec(url.split('?')[0]!);
    if (att) return { kind: 'attachment', id: att[1]!.toLowerCase() };
    void org;
    return undefined;
  }

  private buildRelation(item: { org: Organization; id: number }, value: unknown, now: string): Relation {
    const parsed = z
      .object({
        rel: z.string(),
        url: z.string(),
        attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullish(),
      })
      .safeParse(value);
    if (!parsed.success) throw errors.patch('Invalid relation: a relation needs rel and url.');
    const rel = LINK_TYPES[parsed.data.rel.toLowerCase()];
    if (!rel)
      throw errors.badRequest(`Relation type ${parsed.data.rel} does not exist.`, 'WorkItemLinkTypeNotFoundException');
    const attributes: Record<string, string | number | boolean> = { ...(parsed.data.attributes ?? {}) };
    const target = this.relationTarget(item.org, parsed.data.url);
    if (rel === 'AttachedFile') {
      const att = target?.kind === 'attachment' ? this.store.attachments.get(target.id) : undefined;
      if (!att || att.org !== item.org.name.toLowerCase() || (att.chunked && att.size !== att.expectedSize))
        throw errors.badRequest(
          `TF237082: The attachment '${parsed.data.url}' could not be found.`,
          'AttachmentNotFoundException',
        );
      Object.assign(attributes, {
        authorizedDate: now,
        id: ++this.store.counters.link,
        resourceCreatedDate: adoDate(att.createdDate),
        resourceModifiedDate: adoDate(att.createdDate),
        revisedDate: END_OF_TIME,
        resourceSize: att.size,
        name: att.fileName,
      });
    } else if (rel === 'Hyperlink' || rel === 'ArtifactLink') {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(parsed.data.url))
        throw errors.badRequest(`The link '${parsed.data.url}' is not a valid URL.`, 'ArgumentException');
      Object.assign(attributes, {
        authorizedDate: now,
        id: ++this.store.counters.link,
        resourceCreatedDate: now,
        resourceModifiedDate: now,
        revisedDate: END_OF_TIME,
      });
    } else {
      if (
        target?.kind !== 'workItem' ||
        !this.store.items(item.org).get(target.id) ||
        this.store.items(item.org).get(target.id)!.deleted
      )
        throw errors.workItemNotFound(target?.kind === 'workItem' ? target.id : parsed.data.url);
      if (target.id === item.id)
        throw errors.badRequest(
          `TF201036: You cannot add a link from work item ${item.id} to itself.`,
          'WorkItemLinkInvalidException',
        );
      Object.assign(attributes, { isLocked: false, name: LINK_NAMES[rel] ?? rel });
    }
    return { rel, url: parsed.data.url, attributes };
  }

  /**
   * The service's hierarchy rules: a work item has at most one parent (a
   * second Parent link, or a Child link to an item that already has a parent,
   * is refused with TF201036), and no work item is its own ancestor.
   */
  private checkHierarchy(ctx: { org: Organization; id: number }, draft: Pick<Draft, 'relations'>, r: Relation): void {
    if (r.rel !== PARENT && r.rel !== CHILD) return;
    const other = linkedId(r.url)!;
    const [parent, child] = r.rel === PARENT ? [other, ctx.id] : [ctx.id, other];
    const childHasParent =
      r.rel === PARENT
        ? draft.relations.some((x) => x.rel === PARENT)
        : (this.store.items(ctx.org).get(other)?.relations ?? []).some((x) => x.rel === PARENT);
    if (childHasParent)
      throw errors.badRequest(
        `TF201036: You cannot add a Child link between work items ${parent} and ${child} because a work item can have only one Parent link.`,
        'WorkItemLinkInvalidException',
      );
    // Walk up from the would-be parent: meeting the child means the link closes a loop.
    const seen = new Set<number>();
    for (let at: number | undefined = parent; at !== undefined && !seen.has(at);) {
      if (at === child)
        throw errors.badRequest(
          `TF201037: You cannot add a Child link between work items ${parent} and ${child} because it would create a circular relationship.`,
          'WorkItemLinkInvalidException',
        );
      seen.add(at);
      const rels: Relation[] = at === ctx.id ? draft.relations : (this.store.items(ctx.org).get(at)?.relations ?? []);
      const up = rels.find((x) => x.rel === PARENT);
      at = up ? linkedId(up.url) : undefined;
    }
  }

  /**
   * Writes the other end of each work item link the revision added or removed,
   * as a revision of that work item (its rev and ChangedDate move too, and its
   * service hooks fire), as the service keeps links on both items.
   */
  private otherEnds(item: WorkItemRecord, changes: Draft['relationChanges'], by: Identity): WriteResult['otherEnds'] {
    const touched = new Map<number, { added: Relation[]; removed: Relation[] }>();
    const at = (id: number) => touched.get(id) ?? touched.set(id, { added: [], removed: [] }).get(id)!;
    for (const r of changes.removed) {
      const other = OTHER_END[r.rel] && linkedId(r.url);
      if (other) at(other).removed.push(r);
    }
    for (const r of changes.added) {
      const other = OTHER_END[r.rel] && linkedId(r.url);
      if (other) at(other).added.push(r);
    }
    const out: NonNullable<WriteResult['otherEnds']> = [];
    for (const [id, { added, removed }] of touched) {
      const target = this.store.items(item.org).get(id);
      if (!target || target.deleted) continue;
      const relations = target.relations.map((x) => ({ ...x, attributes: { ...x.attributes } }));
      const change = { added: [] as Relation[], removed: [] as Relation[] };
      for (const r of removed) {
        const i = relations.findIndex((x) => x.rel === OTHER_END[r.rel] && linkedId(x.url) === item.id);
        if (i >= 0) change.removed.push(...relations.splice(i, 1));
      }
      for (const r of added) {
        const end: Relation = {
          rel: OTHER_END[r.rel]!,
          url: r.url.replace(/\d+(\/?)$/, `${item.id}$1`),
          attributes: { isLocked: false, name: LINK_NAMES[OTHER_END[r.rel]!] ?? OTHER_END[r.rel]! },
        };
        relations.push(end);
        change.added.push(end);
      }
      if (!change.added.length && !change.removed.length) continue;
      const stamp = Math.max(this.store.now(), Date.parse(String(target.fields['System.ChangedDate'])) + 1);
      const relationChanges = Object.fromEntries(Object.entries(change).filter(([, v]) => v.length));
      out.push({
        item: target,
        revision: this.commit(target, target.fields, relations, by, stamp, { relationChanges }),
      });
    }
    return out;
  }

  private applyOp(
    ctx: { org: Organization; project: Project; id: number; rev: number; bypassRules: boolean },
    draft: Draft,
    op: PatchOperation,
    now: string,
  ): void {
    const segs = op.path.split('/').slice(1);
    const [head, second, third, fourth] = segs;
    const root = head?.toLowerCase();
    if (root === 'rev' || root === 'id') {
      if (op.op !== 'test') throw errors.patch(`The path /${head} can only be used with the test operation.`);
      if (Number(op.value) !== (root === 'rev' ? ctx.rev : ctx.id)) throw errors.revMismatch();
      return;
    }
    if (root === 'multilinefieldsformat') return;
    if (root === 'fields' && second) {
      const def = this.fieldFor(decodeURIComponent(segs.slice(1).join('/')));
      const ref = def.referenceName;
      if (op.op === 'test') {
        if (!testMatches(this.store, draft.fields[ref], op.value))
          throw errors.patch(`Test operation failed for path ${op.path}.`);
        return;
      }
      if (def.readOnly && !ctx.bypassRules) throw errors.readOnlyField(ref);
      if (op.op === 'remove') {
        delete draft.fields[ref];
        return;
      }
      let value = op.value;
      if (op.op === 'move' || op.op === 'copy') {
        const src = this.fieldFor((op.from ?? '').replace(/^\/fields\//i, ''));
        value = draft.fields[src.referenceName];
        if (isIdentityValue(value)) value = this.store.identity(value.identityId)?.uniqueName;
        if (op.op === 'move') delete draft.fields[src.referenceName];
      }
      if ((op.op === 'add' || op.op === 'replace') && op.value === undefined)
        throw errors.patch(`Value cannot be null for ${op.op} on ${op.path}.`);
      if (ref === 'System.History') {
        const text = value === null || value === undefined ? '' : sanitizeHtml(String(value));
        if (text) draft.history = text;
        return;
      }
      if (ref === 'System.Reason') draft.reasonSet = true;
      if (ref === RESOLVED_REASON) draft.resolvedReasonSet = true;
      const v = this.normalize(def, value, ctx.project);
      if (v === undefined) delete draft.fields[ref];
      else draft.fields[ref] = v;
      return;
    }
    if (root === 'relations') {
      if (second === '-' && op.op === 'add') {
        const r = this.buildRelation({ org: ctx.org, id: ctx.id }, op.value, now);
        if (draft.relations.some((x) => x.rel === r.rel && x.url.toLowerCase() === r.url.toLowerCase()))
          throw errors.badRequest(
            `TF201035: The relation of type '${r.rel}' to '${r.url}' already exists on work item ${ctx.id}.`,
            'WorkItemLinkAlreadyExistsException',
          );
        this.checkHierarchy(ctx, draft, r);
        if (draft.relations.length >= this.store.limits.maxRelations)
          throw errors.badRequest(
            `TF201040: A work item can have at most ${this.store.limits.maxRelations} links.`,
            'WorkItemLinkLimitExceededException',
          );
        if (
          r.rel === 'AttachedFile' &&
          draft.relations.filter((x) => x.rel === 'AttachedFile').length >= this.store.limits.maxAttachments
        )
          throw errors.badRequest(
            `A work item can have at most ${this.store.limits.maxAttachments} attachments.`,
            'AttachmentLimitExceededException',
          );
        draft.relations.push(r);
        draft.relationChanges.added.push(r);
        return;
      }
      const index = Number(second);
      const existing = Number.isInteger(index) ? draft.relations[index] : undefined;
      if (!existing) throw errors.patch(`Index ${second ?? ''} is out of range for path ${op.path}.`);
      if (third === 'attributes' && fourth && (op.op === 'add' || op.op === 'replace')) {
        const updated = { ...existing, attributes: { ...existing.attributes, [fourth]: op.value as string } };
        draft.relations[index] = updated;
        draft.relationChanges.updated.push(updated);
        return;
      }
      if (op.op === 'remove' && !third) {
        draft.relations.splice(index, 1);
        draft.relationChanges.removed.push(existing);
        return;
      }
      if (op.op === 'replace' && !third) {
        const r = this.buildRelation({ org: ctx.org, id: ctx.id }, op.value, now);
        this.checkHierarchy(ctx, { ...draft, relations: draft.relations.filter((_, i) => i !== index) }, r);
        draft.relations[index] = r;
        draft.relationChanges.removed.push(existing);
        draft.relationChanges.added.push(r);
        return;
      }
      if (op.op === 'test') return;
    }
    throw errors.patch(`The path ${op.path} is not valid for operation ${op.op}.`);
  }

  /** Process rules on the final state of the draft. */
  private applyRules(
    type: WorkItemTypeDef,
    before: Fields,
    draft: Draft,
    by: Identity,
    nowIso: string,
    created: boolean,
  ): void {
    const f = draft.fields;
    const title = this.store.field('System.Title')!;
    const t = f['System.Title'];
    if (typeof t !== 'string' || !t.trim())
      throw errors.rule(title, ['Required', 'InvalidEmpty'], "The field 'Title' cannot be empty.");
    if (t.length > this.store.limits.titleMaxLength)
      throw errors.rule(title, ['Required', 'InvalidTooLong'], "The field 'Title' contains a value that is too long.");
    const stateDef = this.store.field('System.State')!;
    const stateName = f['System.State'];
    const st = type.states.find(
      (s) => typeof stateName === 'string' && s.name.toLowerCase() === stateName.toLowerCase(),
    );
    if (!st) {
      if (stateName === undefined)
        throw errors.rule(
          stateDef,
          ['Required', 'HasValues', 'LimitedToValues', 'InvalidEmpty'],
          "The field 'State' cannot be empty.",
        );
      throw errors.rule(
        stateDef,
        ['Required', 'HasValues', 'LimitedToValues', 'InvalidListValue'],
        `The field 'State' contains the value '${String(stateName)}' that is not in the list of supported values`,
      );
    }
    f['System.State'] = st.name;
    const prev = before['System.State'];
    if (created || prev !== st.name) {
      if (!draft.reasonSet)
        f['System.Reason'] = (typeof prev === 'string' ? st.reasonFrom?.[prev] : undefined) ?? st.reason;
      f['Microsoft.VSTS.Common.StateChangeDate'] = nowIso;
      const me = { identityId: by.id };
      const mark = (date: string, who: string) => {
        f[date] = nowIso;
        f[who] = me;
      };
      const clear = (...keys: string[]) => keys.forEach((k) => delete f[k]);
      if (st.category === 'Proposed')
        clear(
          'Microsoft.VSTS.Common.ActivatedDate',
          'Microsoft.VSTS.Common.ActivatedBy',
          'Microsoft.VSTS.Common.ResolvedDate',
          'Microsoft.VSTS.Common.ResolvedBy',
          RESOLVED_REASON,
          'Microsoft.VSTS.Common.ClosedDate',
          'Microsoft.VSTS.Common.ClosedBy',
        );
      if (st.category === 'InProgress') {
        mark('Microsoft.VSTS.Common.ActivatedDate', 'Microsoft.VSTS.Common.ActivatedBy');
        clear(
          'Microsoft.VSTS.Common.ResolvedDate',
          'Microsoft.VSTS.Common.ResolvedBy',
          RESOLVED_REASON,
          'Microsoft.VSTS.Common.ClosedDate',
          'Microsoft.VSTS.Common.ClosedBy',
        );
      }
      if (st.category === 'Resolved') {
        mark('Microsoft.VSTS.Common.ResolvedDate', 'Microsoft.VSTS.Common.ResolvedBy');
        // The process copies the state's reason into Resolved Reason unless the same write names one (Agile's Bug).
        if (!draft.resolvedReasonSet && this.store.field(RESOLVED_REASON))
          f[RESOLVED_REASON] = f['System.Reason'] ?? st.reason;
        clear('Microsoft.VSTS.Common.ClosedDate', 'Microsoft.VSTS.Common.ClosedBy');
      }
      if (st.category === 'Completed') mark('Microsoft.VSTS.Common.ClosedDate', 'Microsoft.VSTS.Common.ClosedBy');
    }
  }

  /** Creates (`item` undefined) or updates a work item from a JSON Patch document. */
  write(
    args: {
      org: Organization;
      project: Project;
      type?: WorkItemTypeDef;
      item?: WorkItemRecord;
      ops: PatchOperation[];
      by: Identity;
    } & WriteOptions,
  ): WriteResult {
    const { org, ops, by } = args;
    const created = !args.item;
    const project = args.item?.project ?? args.project;
    const type = args.type ?? this.store.workItemType(project, String(args.item!.fields['System.WorkItemType']))!;
    const nowMs = this.store.now();
    const lastChange = args.item ? Date.parse(String(args.item.fields['System.ChangedDate'])) : 0;
    // ChangedDate strictly increases per work item, as the service guarantees.
    const stamp = Math.max(nowMs, lastChange + 1);
    const nowIso = adoDate(stamp);
    const before: Fields = args.item ? { ...args.item.fields } : {};
    delete before['System.History'];
    const draft: Draft = {
      fields: { ...before },
      relations: args.item ? args.item.relations.map((r) => ({ ...r, attributes: { ...r.attributes } })) : [],
      relationChanges: { added: [], removed: [], updated: [] },
      reasonSet: false,
    };
    const id = args.item?.id ?? org.lastWorkItemId + 1;
    if (created) {
      Object.assign(draft.fields, {
        'System.AreaPath': project.name,
        'System.TeamProject': project.name,
        'System.IterationPath': project.name,
        'System.WorkItemType': type.name,
        'System.State': type.states[0]!.name,
        'System.CreatedDate': nowIso,
        'System.CreatedBy': { identityId: by.id },
        'System.CommentCount': 0,
        ...type.defaults,
      });
    }
    const ctx = { org, project, id, rev: args.item?.rev ?? 0, bypassRules: Boolean(args.bypassRules) };
    for (const op of ops) this.applyOp(ctx, draft, op, nowIso);
    this.applyRules(type, before, draft, by, nowIso, created);

    const changedKeys = new Set(
      [...Object.keys(before), ...Object.keys(draft.fields)].filter((k) => !sameValue(before[k], draft.fields[k])),
    );
    const relChanged =
      draft.relationChanges.added.length + draft.relationChanges.removed.length + draft.relationChanges.updated.length >
      0;
    if (!created && changedKeys.size === 0 && !relChanged && !draft.history) return { item: args.item!, created };
    if (args.validateOnly) {
      const preview: WorkItemRecord = {
        ...(args.item ?? { id: 0, org, project, rev: 0, revisions: [], comments: [] }),
        fields: draft.fields,
        relations: draft.relations,
      };
      return { item: preview, created };
    }

    if (created) org.lastWorkItemId = id;
    const item: WorkItemRecord = args.item ?? {
      id,
      org,
      project,
      rev: 0,
      fields: {},
      relations: [],
      revisions: [],
      comments: [],
    };
    if (created) this.store.items(org).set(id, item);
    let comment: CommentRecord | undefined;
    if (draft.history) {
      comment = this.newComment(item, draft.history, 'html', by, stamp);
      draft.fields['System.CommentCount'] = Number(draft.fields['System.CommentCount'] ?? 0) + 1;
    }
    const revision = this.commit(item, draft.fields, draft.relations, by, stamp, {
      history: draft.history,
      comment,
      relationChanges: relChanged ? draft.relationChanges : undefined,
    });
    const otherEnds = relChanged ? this.otherEnds(item, draft.relationChanges, by) : undefined;
    return { item, revision, created, comment, ...(otherEnds?.length ? { otherEnds } : {}) };
  }

  /** Writes a new revision: bumps rev, System.Rev, Watermark, ChangedDate/By and computes the update's delta. */
  commit(
    item: WorkItemRecord,
    fields: Fields,
    relations: Relation[],
    by: Identity,
    stamp: number,
    extra: { history?: string; comment?: CommentRecord; relationChanges?: Revision['relationChanges'] } = {},
  ): Revision {
    const iso = adoDate(stamp);
    const before: Fields = item.revisions.length ? { ...item.revisions[item.revisions.length - 1]!.fields } : {};
    const next: Fields = { ...fields };
    delete next['System.History'];
    const rev = item.rev + 1;
    Object.assign(next, {
      'System.Id': item.id,
      'System.Rev': rev,
      'System.Watermark': ++this.store.counters.watermark,
      'System.AuthorizedDate': iso,
      'System.RevisedDate': END_OF_TIME,
      'System.AuthorizedAs': { identityId: by.id },
      'System.ChangedDate': iso,
      'System.ChangedBy': { identityId: by.id },
    });
    if (extra.history) next['System.History'] = extra.history;
    const changes: Record<string, FieldChange> = {};
    for (const k of new Set([...Object.keys(before), ...Object.keys(next)])) {
      if (k === 'System.History') continue;
      if (sameValue(before[k], next[k])) continue;
      changes[k] = {
        ...(before[k] !== undefined ? { oldValue: before[k] } : {}),
        ...(next[k] !== undefined ? { newValue: next[k] } : {}),
      };
    }
    if (extra.history) changes['System.History'] = { newValue: extra.history };
    const prev = item.revisions[item.revisions.length - 1];
    if (prev) prev.fields['System.RevisedDate'] = iso;
    const revision: Revision = {
      rev,
      fields: next,
      relations: relations.map((r) => ({ ...r, attributes: { ...r.attributes } })),
      changes,
      ...(extra.relationChanges
        ? { relationChanges: Object.fromEntries(Object.entries(extra.relationChanges).filter(([, v]) => v.length)) }
        : {}),
      by: by.id,
      date: stamp,
      ...(extra.comment
        ? { commentVersionRef: { commentId: extra.comment.id, version: extra.comment.versions.length } }
        : {}),
    };
    item.revisions.push(revision);
    item.rev = rev;
    item.fields = next;
    item.relations = relations;
    return revision;
  }

  private newComment(
    item: WorkItemRecord,
    text: string,
    format: 'html' | 'markdown',
    by: Identity,
    stamp: number,
  ): CommentRecord {
    const comment: CommentRecord = {
      id: ++this.store.counters.comment,
      workItemId: item.id,
      createdBy: by.id,
      createdDate: stamp,
      versions: [
        {
          version: 1,
          text,
          renderedText: format === 'markdown' ? renderMarkdown(text) : text,
          format,
          modifiedBy: by.id,
          modifiedDate: stamp,
          isDeleted: false,
        },
      ],
    };
    item.comments.push(comment);
    return comment;
  }

  /** Comments API add: a new comment and a revision writing System.History and System.CommentCount. */
  addComment(
    item: WorkItemRecord,
    text: string,
    format: 'html' | 'markdown',
    by: Identity,
  ): { comment: CommentRecord; revision: Revision } {
    const stamp = Math.max(this.store.now(), Date.parse(String(item.fields['System.ChangedDate'])) + 1);
    const clean = format === 'html' ? sanitizeHtml(text) : text;
    const comment = this.newComment(item, clean, format, by, stamp);
    const fields = { ...item.fields, 'System.CommentCount': Number(item.fields['System.CommentCount'] ?? 0) + 1 };
    const revision = this.commit(item, fields, item.relations, by, stamp, {
      history: comment.versions[0]!.renderedText,
      comment,
    });
    return { comment, revision };
  }

  editComment(
    item: WorkItemRecord,
    comment: CommentRecord,
    text: string,
    format: 'html' | 'markdown' | undefined,
    by: Identity,
  ): void {
    const last = comment.versions[comment.versions.length - 1]!;
    const fmt = format ?? last.format;
    const clean = fmt === 'html' ? sanitizeHtml(text) : text;
    comment.versions.push({
      version: last.version + 1,
      text: clean,
      renderedText: fmt === 'markdown' ? renderMarkdown(clean) : clean,
      format: fmt,
      modifiedBy: by.id,
      modifiedDate: this.store.now(),
      isDeleted: false,
    });
    void item;
  }

  /** Soft delete: a new comment version with isDeleted, and a revision lowering System.CommentCount. */
  deleteComment(item: WorkItemRecord, comment: CommentRecord, by: Identity): Revision {
    const last = comment.versions[comment.versions.length - 1]!;
    const stamp = Math.max(this.store.now(), Date.parse(String(item.fields['System.ChangedDate'])) + 1);
    comment.versions.push({
      ...last,
      version: last.version + 1,
      modifiedBy: by.id,
      modifiedDate: stamp,
      isDeleted: true,
    });
    const fields = {
      ...item.fields,
      'System.CommentCount': Math.max(0, Number(item.fields['System.CommentCount'] ?? 1) - 1),
    };
    return this.commit(item, fields, item.relations, by, stamp);
  }
}

/** Enough Markdown for comments written with format=markdown: paragraphs, bold, italics, code, links; HTML escaped. */
export function renderMarkdown(md: string): string {
  const esc = md.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return esc
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p>${p
          .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
          .replace(/\*([^*]+)\*/g, '<em>$1</em>')
          .replace(/`([^`]+)`/g, '<code>$1</code>')
          .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>')
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('');
}

export function isAdoError(e: unknown): e is AdoError {
  return e instanceof AdoError;
}
