/**
 * Preview before saving: what the engine would write on each side under a
 * connection's DRAFT settings (not saved), for one Jira issue or remote item,
 * and for the draft as a whole ("would create N, update M, fail K"), computed
 * without writing anything. Both sides are read as a reconcile reads them, and
 * planned with the engine's own pure functions (sync/field-plan.ts over
 * sync/field-decision.ts and the mapping); only reads leave this file.
 *
 * Credentials: a draft of a saved connection uses the stored secret only
 * while the draft points at the same instance and sign-in; a draft aimed
 * elsewhere must carry its own secret (a stored password is never sent to a
 * host it was not saved for). Nothing secret is answered.
 */
import { forJiraType, forRemoteItem, jiraTypeOf } from '../mapping/item-types';
import { conversionOf } from '../mapping/field-convert';
import { typedFromMetadata } from './field-typing';
import api, { getAppContext, route } from '@forge/api';
import * as z from 'zod';
import { checkPublicHost } from './address-guard';
import { isSyncError } from '../connectors/errors';
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import { systemFor, type SystemDefinition } from '../connectors/registry';
import { validateConnectionSettings, type ConnectionConfig } from '../mapping/connection-config';
import { readJira, readRemote, writeJira } from '../mapping/field-values';
import { connectionsForProject, getConnection } from '../store/connections';
import { credentialSchema, getCredential, type Credential } from '../store/credentials';
import { getLink, isUnlinked, issueForRemote, type Link } from '../store/links';
import { planCommentCrossing, planFileCrossing } from '../sync/content-sync';
import { correlationIdFor, initialRemoteFields, parseCorrelationId } from '../sync/create';
import { ownStatusMoveIsNoChange, touchedTimes, unclearFields } from '../sync/field-history';
import { pairPlanContext, planFields, type FieldReading } from '../sync/field-plan';
import { matchesRemoteFilter } from '../sync/remote-filter';
import { planStatusMove } from '../sync/status';
import { UserMap } from '../sync/user-map';
import { jqlProblems } from './connections';
import { secretsNeeded } from './systems';
import { resolutionBeforeWrites, type ResolutionRun } from '../sync/resolution-sync';
import { secretStaysWith } from '../mapping/secret-binding';
import { badRequest, fail, forbiddenAdmin, ok, requireProjectAdmin } from './guards';
import {
  describePlan,
  outcomeOf,
  summarize,
  type ExtraWrite,
  type PairOutcome,
  type PreviewKind,
  type PreviewRow,
} from './preview-plan';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** How many matching issues a whole-draft preview examines (each costs reads on both sides, within a resolver's 25 s and Forge's egress rate). */
export const PREVIEW_CAP = 20;
/** How many recently changed remote items a whole-draft preview examines for the remote-side creates its conditions would make. */
export const REMOTE_PREVIEW_CAP = 10;
const REMOTE_LOOK_BACK_DAYS = 30;
/** How many matching issues are counted at most. */
const COUNT_CAP = 1000;
/** The id a draft of a new connection plans under: no link or item can name it. */
const NEW_DRAFT_ID = 'new-connection-draft';

const connectionId = z.string().regex(/^[a-z0-9-]{3,60}$/, 'must be a connection id');
const draftShape = {
  connectionId: connectionId.optional(),
  settings: z.unknown(),
  credential: credentialSchema.optional(),
};
const itemRequest = z
  .object({
    ...draftShape,
    item: z
      .object({
        issueKey: z
          .string()
          .trim()
          .regex(/^[A-Za-z][A-Za-z0-9_]{0,19}-\d{1,9}$/, 'must be an issue key like DEMO-12')
          .optional(),
        remoteKey: z.string().trim().min(1, 'name the remote item').max(100).optional(),
      })
      .strict()
      .refine((i) => (i.issueKey === undefined) !== (i.remoteKey === undefined), {
        message: 'name either a Jira issue or a remote item',
        path: ['issueKey'],
      }),
  })
  .strict();
const summaryRequest = z.object(draftShape).strict();

type Admin = { accountId: string; projectId: string };
export interface Draft {
  admin: Admin;
  config: ConnectionConfig;
  saved?: ConnectionConfig;
  system: SystemDefinition;
  connector: Connector;
  users: UserMap;
  /** Enabled connections an unlinked issue is matched against before this one. */
  earlier: ConnectionConfig[];
}

type Prepared = { ok: true; draft: Draft } | { ok: false; answer: ReturnType<typeof fail> };

export async function prepareDraft(
  admin: Admin,
  request: { connectionId?: string | undefined; settings: unknown; credential?: Credential | undefined },
): Promise<Prepared> {
  const checked = validateConnectionSettings(request.settings);
  if (!checked.ok) return { ok: false, answer: fail('BAD_REQUEST', 'The draft has problems', checked.problems) };
  const problems = await jqlProblems(admin.accountId, checked.settings);
  const host = await checkPublicHost(
    new URL(checked.settings.remote.baseUrl).hostname,
    getAppContext().environmentType === 'PRODUCTION',
  );
  if (!host.ok) problems.push({ path: 'remote.baseUrl', message: host.reason });
  if (problems.length) return { ok: false, answer: fail('BAD_REQUEST', 'The draft has problems', problems) };
  let saved: ConnectionConfig | undefined;
  if (request.connectionId !== undefined) {
    const found = await getConnection(request.connectionId);
    if (found?.jiraProjectId !== admin.projectId)
      return { ok: false, answer: fail('NOT_FOUND', 'This project has no such connection.') };
    saved = found;
  }
  const config: ConnectionConfig = {
    ...checked.settings,
    id: saved?.id ?? NEW_DRAFT_ID,
    jiraProjectId: admin.projectId,
  };
  const system = systemFor(config.remote.type)!;
  const stored =
    saved && secretStaysWith(saved.remote, config.remote, system.behaviourSettings)
      ? await getCredential(saved.id)
      : undefined;
  const credential: Credential = { ...(stored ?? {}), ...(request.credential ?? {}) };
  const missing = system.missingCredential(config.remote, credential);
  if (missing) {
    const message =
      saved && !stored
        ? 'The draft signs in to a different instance or as someone else: type the secret again (a stored secret is only sent where it was saved for)'
        : missing;
    const path = `credential.${secretsNeeded(system, config.remote)[0] ?? 'password'}`;
    return { ok: false, answer: fail('BAD_REQUEST', 'The draft cannot sign in', [{ path, message }]) };
  }
  const connector = system.create(config.remote as never, credential);
  // Checked and typed against both sides' live metadata as a save would: the preview converts values as the sync will.
  const typed = await typedFromMetadata(config, admin.projectId, connector, saved, system.label);
  if (typed.problems.length)
    return { ok: false, answer: fail('BAD_REQUEST', 'The draft has problems', typed.problems) };
  config.fields = typed.fields;
  if (typed.slaField) config.slaField = typed.slaField;
  const all = (await connectionsForProject(admin.projectId)).filter((c) => c.enabled && systemFor(c.remote.type));
  const at = saved ? all.findIndex((c) => c.id === saved.id) : -1;
  const earlier = saved ? (at < 0 ? all.filter((c) => c.id !== saved.id) : all.slice(0, at)) : all;
  return {
    ok: true,
    draft: {
      admin,
      config,
      ...(saved ? { saved } : {}),
      system,
      connector,
      users: new UserMap(config, connector),
      earlier,
    },
  };
}

export interface PairPreview {
  kind: PreviewKind;
  issue: { key: string; summary: string } | null;
  remote: { key: string; url: string } | null;
  rows: PreviewRow[];
  extra: ExtraWrite[];
  /** What stops the pair as a whole (a linked item that is gone). */
  problems: string[];
  notices: string[];
  /** The comments and files that would cross, be rewritten or deleted; null when the draft syncs neither. */
  content: ContentPreview | null;
}

/** One line per comment or file, for people: who wrote it and how it begins, or its name and size. */
export interface ContentPreview {
  comments: { toRemote: string[]; toJira: string[]; edits: string[]; deletes: string[]; notCopied: string[] };
  files: { toRemote: string[]; toJira: string[]; deletes: string[]; notCopied: string[] };
}
type Skipped = {
  kind: 'skipped';
  reason: string;
  issue: { key: string; summary: string } | null;
  remote: { key: string; url: string } | null;
};

const summaryOf = (issue: jira.JiraIssue) => ({
  key: issue.key,
  summary: typeof issue.fields.summary === 'string' ? issue.fields.summary : '',
});
const remoteRef = (item: Item) => ({ key: item.displayKey, url: item.url });

/** As the reconcile reads a mapped field on each side (people through the user map). */
async function readingsFor(
  draft: Draft,
  issueFields: Readonly<Record<string, unknown>>,
  remoteFields: Readonly<Record<string, unknown>>,
): Promise<FieldReading[]> {
  const readings: FieldReading[] = [];
  // A pair's rules may read either side's fields (mapping/rules.ts), as the reconcile reads them.
  const c = {
    ...conversionOf(draft.config, draft.connector.capabilities),
    ruleInputs: { jira: issueFields, remote: remoteFields },
  };
  for (const m of draft.config.fields) {
    readings.push({
      m,
      jira: m.transform === 'user' ? await draft.users.fromJira(issueFields[m.jira]) : readJira(m, issueFields, c),
      remote: readRemote(m, remoteFields, draft.connector.capabilities.descriptionFormat, c),
    });
  }
  return readings;
}

/** Statuses the engine moves by transitions, and people it writes by account: the path or the match, else the problem the engine would record. */
async function completeJiraWrites(
  draft: Draft,
  rows: PreviewRow[],
  issue: jira.JiraIssue | undefined,
  plannedJira: ReadonlyArray<{ m: { jira: string; transform: string }; value: unknown }>,
): Promise<PreviewRow[]> {
  const out: PreviewRow[] = [];
  for (const row of rows) {
    const w = plannedJira.find((p) => p.m.jira === row.jiraField);
    if (row.action !== 'write-jira' || !w) {
      out.push(row);
      continue;
    }
    if (w.m.transform === 'user' && w.value !== null && w.value !== '') {
      const accountId = await draft.users.toJira(String(w.value));
      out.push(
        accountId === undefined
          ? {
              ...row,
              action: 'problem',
              note: `${draft.config.remote.type} user ${String(w.value)} has no matching Jira user`,
            }
          : { ...row, written: `Jira user ${accountId}` },
      );
      continue;
    }
    if (row.jiraField === 'status' && issue && row.written) {
      const plan = await planStatusMove(issue, row.written);
      if (!plan.ok) out.push({ ...row, action: 'problem', note: plan.reason });
      else
        out.push({
          ...row,
          transitions: plan.path.map((t) => t.name),
          note: `${row.note}; ${plan.path.length ? `from ${plan.from} through ${plan.path.map((t) => `"${t.name}"`).join(' → ')}` : 'already there'}${plan.workflowRead ? '' : ' (a direct transition: the workflow cannot be read)'}`,
        });
      continue;
    }
    if (row.jiraField === 'status' && !issue) {
      out.push({
        ...row,
        note: `${row.note}; moved there by transitions once the issue exists, unless it starts there`,
      });
      continue;
    }
    out.push(row);
  }
  return out;
}

/**
 * The engine's reading of a linked pair, without its writes: a status our own
 * move left part-way reads as unchanged, and a field back at its base while the
 * other side changed asks each side's history (as reconcile.ts does).
 */
async function engineReadings(
  draft: Draft,
  link: Link,
  issue: jira.JiraIssue,
  remote: Item,
): Promise<{
  readings: FieldReading[];
  jiraTouchedAt: Record<string, number>;
  remoteTouchedAt: Record<string, number>;
}> {
  const readings = await readingsFor(draft, issue.fields, remote.fields);
  await ownStatusMoveIsNoChange(readings, link, issue.recentHistory);
  const connector = draft.connector;
  const { jiraTouchedAt, remoteTouchedAt } = await touchedTimes(
    unclearFields(readings, link, issue, remote, connector),
    readings,
    link,
    issue,
    remote,
    connector,
  );
  return { readings, jiraTouchedAt, remoteTouchedAt };
}

/** A Jira issue under the draft: created on the remote, updated as a linked pair, or left alone (and why). */
/** `content`: also what its comments and files would do (one item's preview; the whole-draft one counts fields only, to stay within a resolver's time). */
async function previewIssue(
  draft: Draft,
  issue: jira.JiraIssue,
  opts: { knownToMatch: boolean; content?: boolean },
): Promise<PairPreview | Skipped> {
  const { connector, system } = draft;
  const richText = connector.capabilities.descriptionFormat;
  const skip = (reason: string, remote: Item | undefined = undefined): Skipped => ({
    kind: 'skipped',
    reason,
    issue: summaryOf(issue),
    remote: remote ? remoteRef(remote) : null,
  });
  // As the sync does: the draft as it stands for the issue's type (its own fields and statuses, item-types.ts).
  const typed = forJiraType(draft.config, jiraTypeOf(issue.fields), system.itemTypes);
  if (!typed.ok) return skip(`its type ${typed.unmapped} is not in the draft's type map, so it is left alone`);
  const config = typed.config;
  const link = await getLink(issue.id);
  if (link && link.connectionId !== config.id)
    return skip(
      `synced through another connection (${(await getConnection(link.connectionId))?.name ?? link.connectionId})`,
    );
  if (!link) {
    if (issue.createdFrom) return skip('being created from a remote item; that create links it');
    if (await isUnlinked(issue.id)) return skip('unlinked by a person; it syncs again only when someone links it');
    if (!opts.knownToMatch && !(await jira.issueMatches(issue.id, config.jiraProjectId, config.jql)))
      return skip("does not match the draft's filter (JQL)");
    for (const other of draft.earlier)
      if (await jira.issueMatches(issue.id, other.jiraProjectId, other.jql))
        return skip(`matches "${other.name}" first, which comes earlier in the order`);
  }
  let remote: Item | undefined;
  let kind: PreviewKind = 'update';
  let base: Link['base'] = link?.base ?? {};
  const notices: string[] = [];
  let touched = { jiraTouchedAt: {} as Record<string, number>, remoteTouchedAt: {} as Record<string, number> };
  let readings: FieldReading[];
  let createdRemote: Record<string, string> | undefined;
  if (link) {
    remote = await connector.getItem(link.remoteId);
    if (!remote)
      return {
        kind: 'update',
        issue: summaryOf(issue),
        remote: { key: link.remoteKey, url: link.remoteUrl },
        rows: [],
        extra: [],
        problems: [`${link.remoteKey} no longer exists in ${system.label}`],
        notices,
        content: null,
      };
    const read = await engineReadings(draft, link, issue, remote);
    readings = read.readings;
    touched = read;
  } else {
    remote = draft.saved ? await connector.findByCorrelation(correlationIdFor(config, issue.id)) : undefined;
    if (remote) {
      notices.push(
        `${remote.displayKey} was already made by Crosswalk for this issue: it is linked instead of a new one, then synced.`,
      );
      base = {};
    } else {
      kind = 'create-remote';
      createdRemote = initialRemoteFields(config, issue, connector.capabilities);
    }
    readings = await readingsFor(draft, issue.fields, remote?.fields ?? createdRemote ?? {});
  }
  // Where each field's first value comes from and what a side refused, as the reconcile asks it (field-plan.ts).
  const plan = planFields({
    config,
    readings,
    base,
    updatedAt: { jira: issue.updatedAt, remote: remote?.updatedAt ?? issue.updatedAt },
    ...pairPlanContext(link, !link),
    remoteMaxLengths: connector.capabilities.maxLengths,
    remoteRichText: richText,
    conversion: conversionOf(config, connector.capabilities, {
      key: issue.key,
      ...(remote ? { remoteKey: remote.displayKey } : {}),
    }),
    remoteRaw: remote?.fields ?? createdRemote ?? {},
    issueKey: issue.key,
    // A new item is made with what Jira holds, description included (create.ts); fixed fields matter after that.
    ...(kind === 'update' && connector.capabilities.fixedAfterCreate
      ? { remoteFixed: connector.capabilities.fixedAfterCreate }
      : {}),
    ...(remote ? { remoteKey: remote.displayKey } : {}),
    ...touched,
  });
  // The resolution as the reconcile plans it (sync/resolution.ts): Jira's joins the write that resolves the item.
  const resolution =
    remote && kind === 'update'
      ? await resolutionBeforeWrites({
          config,
          issue,
          remote,
          remoteRead: true,
          snapshot: link?.resolution,
          remoteFields: plan.remoteFields,
        })
      : undefined;
  notices.push(...resolutionNotices(resolution, system.label));
  const described = describePlan({
    kind,
    readings,
    plan,
    ...(createdRemote ? { createdRemote } : {}),
    base,
    systemLabel: system.label,
    richText: connector.capabilities.descriptionFormat,
    remoteRaw: remote?.fields,
  });
  const toRemote = resolution?.plan.toRemote;
  const extra = toRemote
    ? described.extra.map((e) =>
        resolution.together.flat().includes(e.field) && e.field !== resolution.statusField
          ? { ...e, note: `Jira's resolution “${toRemote.jiraName}”, written with the state that resolves the item` }
          : e,
      )
    : described.extra;
  const rows = await completeJiraWrites(draft, described.rows, issue, plan.jiraWrites);
  const content = opts.content
    ? await previewContent(draft, issue, remote?.id, link && link.remoteId === remote?.id ? link : undefined)
    : null;
  return {
    kind,
    issue: summaryOf(issue),
    remote: remote ? remoteRef(remote) : null,
    rows,
    extra,
    problems: [],
    notices: [...notices, ...plan.notices],
    content,
  };
}

const MAX_CONTENT_LINES = 20;
const firstWords = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
};
const capped = (lines: string[]) =>
  lines.length > MAX_CONTENT_LINES
    ? [...lines.slice(0, MAX_CONTENT_LINES), `…and ${lines.length - MAX_CONTENT_LINES} more`]
    : lines;

/**
 * What the pair's comments and files would do under the draft, planned as the
 * sync plans them (sync/content-sync.ts over sync/crossing.ts); only reads.
 * Without an issue (a remote item that would create one) or a remote item (an
 * issue that would create one), that side's lists are empty.
 */
async function previewContent(
  draft: Draft,
  issue: jira.JiraIssue | undefined,
  remoteId: string | undefined,
  link: Link | undefined,
): Promise<ContentPreview | null> {
  const { config, connector, system } = draft;
  if (config.comments.direction === 'none' && config.attachments.direction === 'none') return null;
  const content: ContentPreview = {
    comments: { toRemote: [], toJira: [], edits: [], deletes: [], notCopied: [] },
    files: { toRemote: [], toJira: [], deletes: [], notCopied: [] },
  };
  if (config.comments.direction !== 'none') {
    const { plan, jira: jiraSide } = await planCommentCrossing(
      config,
      connector,
      issue?.id,
      remoteId,
      link?.comments ?? [],
    );
    const line = (c: { author: string; text: string; visibility: string }) =>
      `${c.author}${c.visibility === 'internal' ? ' (internal)' : ''}: ${firstWords(c.text)}`;
    content.comments.toRemote = capped(plan.copies.filter((c) => c.to === 'remote').map((c) => line(c.from)));
    content.comments.toJira = capped(plan.copies.filter((c) => c.to === 'jira').map((c) => line(c.from)));
    content.comments.edits = capped(
      plan.edits
        .filter((e) => e.write)
        .map(
          (e) =>
            `${e.to === 'remote' ? `In ${system.label}` : 'In Jira'}, the copy is rewritten: ${firstWords(e.text)}`,
        ),
    );
    content.comments.deletes = capped(
      plan.deletes.map(
        (d) => `${d.to === 'remote' ? `In ${system.label}` : 'In Jira'}, the copy of a deleted comment is deleted`,
      ),
    );
    const paired = new Set([...(link?.comments ?? []).map((p) => p.jira), ...plan.recognised.map((p) => p.jira)]);
    const internalStay = jiraSide.filter(
      (c) =>
        !c.byUs && c.visibility === 'internal' && !paired.has(c.id) && !plan.copies.some((x) => x.from.id === c.id),
    ).length;
    if (internalStay && (config.comments.direction === 'both' || config.comments.direction === 'to-remote'))
      content.comments.notCopied.push(
        `${internalStay} internal Jira comment${internalStay === 1 ? '' : 's'} stay${internalStay === 1 ? 's' : ''} in Jira: ${system.label} has no internal comments.`,
      );
    content.comments.notCopied.push(
      ...plan.editsNotCopied.map(
        (c) => `The edit to ${c.author}'s Jira comment is not copied: ${system.texts.commentEditRefused}.`,
      ),
    );
    content.comments.notCopied.push(
      ...plan.deletesNotCopied.map(() => `A deleted Jira comment's copy stays: ${system.texts.commentDeleteRefused}.`),
    );
  }
  if (config.attachments.direction !== 'none') {
    const plan = await planFileCrossing(config, connector, issue, remoteId, link?.attachments ?? [], link?.images);
    if (plan) {
      const line = (f: { fileName: string; size: number }) => `${f.fileName} (${f.size} bytes)`;
      content.files.toRemote = capped(plan.copies.filter((c) => c.to === 'remote').map((c) => line(c.from)));
      content.files.toJira = capped(plan.copies.filter((c) => c.to === 'jira').map((c) => line(c.from)));
      content.files.deletes = capped(
        plan.deletes.map(
          (d) =>
            `${d.fileName}, deleted ${d.to === 'remote' ? `in ${system.label}` : 'in Jira'} (its original is gone)`,
        ),
      );
      content.files.notCopied = [
        ...plan.skipped.map((r) => `Not copied: ${r}`),
        ...plan.deletesNotCopied.map(
          (d) =>
            `${d.fileName} was deleted in Jira; its copy stays: ${system.texts.fileDeleteRefused ?? `${system.label} cannot delete files`}.`,
        ),
        ...plan.stayInJira.map(
          (f) => `${f.fileName} stays in Jira: ${system.texts.fileUploadRefused ?? `${system.label} takes no files`}.`,
        ),
      ];
    }
  }
  return content;
}

/** A remote item under the draft: its linked pair, or the Jira issue its filter would create, or why nothing happens. */
async function previewRemote(draft: Draft, remoteKey: string): Promise<PairPreview | Skipped | undefined> {
  const remote = await draft.connector.findByDisplayKey(remoteKey);
  return remote ? previewRemoteItem(draft, remote, true) : undefined;
}

async function previewRemoteItem(draft: Draft, remote: Item, withContent = false): Promise<PairPreview | Skipped> {
  const { connector, system } = draft;
  let config = draft.config;
  const skip = (reason: string): Skipped => ({ kind: 'skipped', reason, issue: null, remote: remoteRef(remote) });
  const linkedIssue = draft.saved ? await issueForRemote(config.id, remote.id) : undefined;
  const madeFor = parseCorrelationId(remote.correlationId);
  if (madeFor === 'other-site') return skip('made by Crosswalk for another Jira site');
  const pairIssue = linkedIssue ?? (madeFor && madeFor.connectionId === config.id ? madeFor.issueId : undefined);
  if (pairIssue) {
    if (!(await adminSees(draft.admin.accountId, pairIssue))) return skip('linked to an issue you cannot see');
    const issue = await jira.getIssue(pairIssue);
    if (issue) return previewIssue(draft, issue, { knownToMatch: true, content: withContent });
  }
  if (madeFor) return skip('made by Crosswalk for another connection');
  if (!config.remoteFilter.length)
    return skip('the draft creates no Jira issues from remote items (it has no conditions)');
  if (!matchesRemoteFilter(remote.fields, config.remoteFilter))
    return skip("does not match the draft's conditions for remote items, so no Jira issue would be created");
  // Its type decides which Jira type it becomes; one the map does not name is left alone (item-types.ts).
  const typed = forRemoteItem(config, remote.fields, system.itemTypes);
  if (!typed.ok)
    return skip(
      `its ${system.itemTypes?.label.toLowerCase() ?? 'type'} ${typed.unmapped || '(none)'} is not in the draft's type map, so it is left alone`,
    );
  config = typed.config;
  // As create.ts makes the issue: every mapped field Jira may take, except status and people, which the first sync sets.
  const richText = connector.capabilities.descriptionFormat;
  const created: Record<string, unknown> = {};
  const c = conversionOf(config, connector.capabilities, { remoteKey: remote.displayKey });
  for (const m of config.fields.filter(
    (f) => (f.direction === 'both' || f.direction === 'to-jira') && f.jira !== 'status' && f.transform !== 'user',
  )) {
    const read = readRemote(m, remote.fields, richText, c);
    if (!read.ok) continue;
    const write = writeJira(m, read.value, c);
    if (write.kind === 'field' && write.value !== null && write.value !== '') created[write.field] = write.value;
  }
  const summaryDefaulted = created.summary === undefined;
  created.summary ??= remote.displayKey;
  const readings = await readingsFor(draft, created, remote.fields);
  const plan = planFields({
    config,
    readings,
    base: {},
    updatedAt: { jira: remote.updatedAt, remote: remote.updatedAt },
    origin: 'remote',
    remoteMaxLengths: connector.capabilities.maxLengths,
    remoteRichText: richText,
    conversion: c,
    remoteRaw: remote.fields,
    issueKey: '(new issue)',
    remoteKey: remote.displayKey,
  });
  const described = describePlan({
    kind: 'create-jira',
    readings,
    plan,
    createdJira: new Set(Object.keys(created)),
    base: {},
    systemLabel: system.label,
    richText: connector.capabilities.descriptionFormat,
    remoteRaw: remote.fields,
  });
  const rows = await completeJiraWrites(draft, described.rows, undefined, plan.jiraWrites);
  return {
    kind: 'create-jira',
    issue: null,
    remote: remoteRef(remote),
    rows,
    extra: described.extra,
    problems: [],
    notices: [
      `A ${config.jiraIssueType} would be created in this project${summaryDefaulted ? `, with the summary ${remote.displayKey} (no mapped summary)` : ''}.`,
    ],
    content: withContent ? await previewContent(draft, undefined, remote.id, undefined) : null,
  };
}

const cannotRead = (e: unknown) => (isSyncError(e) ? e.message : undefined);

/** Whether the admin may see the issue (an issue security level can hide it even from a project admin): the preview shows only those. */
async function adminSees(accountId: string, issueIdOrKey: string): Promise<boolean> {
  const res = await api
    .asUser(accountId)
    .requestJira(route`/rest/api/3/issue/${issueIdOrKey}?fields=project`, { headers: { Accept: 'application/json' } });
  return res.ok;
}

/** The project's issues the draft's filter selects, as the admin sees them, oldest first (the order a bulk sync takes). */
async function matchingIssueIds(accountId: string, projectId: string, jql: string, max: number): Promise<string[]> {
  const out: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const res = await api.asUser(accountId).requestJira(route`/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        jql: `project = ${projectId}${jql ? ` AND (${jql})` : ''} ORDER BY created ASC`,
        maxResults: Math.min(100, max - out.length),
        fields: ['id'],
        ...(nextPageToken ? { nextPageToken } : {}),
      }),
    });
    if (!res.ok) break;
    const page = z
      .object({ issues: z.array(z.object({ id: z.string() }).loose()), nextPageToken: z.string().optional() })
      .safeParse(await res.json());
    if (!page.success) break;
    out.push(...page.data.issues.map((i) => i.id));
    nextPageToken = page.data.nextPageToken;
  } while (nextPageToken && out.length < max);
  return out;
}

/** One Jira issue or remote item under the draft settings: per field, each side's value, the direction, and what would be written or why not. */
export async function previewItemResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = itemRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const prepared = await prepareDraft(admin, request.data);
  if (!prepared.ok) return prepared.answer;
  const { draft } = prepared;
  const { issueKey, remoteKey } = request.data.item;
  try {
    let preview: PairPreview | Skipped | undefined;
    if (issueKey) {
      const issue = (await adminSees(admin.accountId, issueKey.toUpperCase()))
        ? await jira.getIssue(issueKey.toUpperCase())
        : undefined;
      // Another project's issue, or one the admin may not see, answers like a missing one.
      if (!issue || issue.fields.project.id !== admin.projectId)
        return fail('NOT_FOUND', 'No such issue in this project', [
          { path: 'item.issueKey', message: `${issueKey} is not an issue of this project` },
        ]);
      preview = await previewIssue(draft, issue, { knownToMatch: false, content: true });
    } else {
      preview = await previewRemote(draft, remoteKey!);
      if (!preview)
        return fail('NOT_FOUND', `No such ${draft.system.label} item`, [
          {
            path: 'item.remoteKey',
            message: `${draft.system.label} has no item ${remoteKey} that the draft's sign-in can read`,
          },
        ]);
    }
    return ok({
      ...preview,
      outcome: preview.kind === 'skipped' ? { kind: 'skipped', reason: preview.reason } : pairOutcome(preview),
      paused: !draft.config.enabled,
    });
  } catch (e) {
    const message = cannotRead(e);
    if (message === undefined) throw e;
    return fail('BAD_REQUEST', 'The preview could not read both sides', [{ path: 'item', message }]);
  }
}

function pairOutcome(p: PairPreview): PairOutcome {
  if (p.problems.length) return { kind: 'fail', reasons: p.problems };
  return outcomeOf(p.kind, p.rows);
}

/**
 * The whole draft over the project's issues its filter selects (oldest first,
 * at most PREVIEW_CAP examined, said in the answer): how many would be
 * created on the remote, updated, left as they are, fail (with reasons), or
 * are left to another connection.
 */
export async function previewSummaryResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const request = summaryRequest.safeParse(payload);
  if (!request.success) return badRequest(request.error);
  const prepared = await prepareDraft(admin, request.data);
  if (!prepared.ok) return prepared.answer;
  const { draft } = prepared;
  const jql = draft.config.jql.trim();
  const ids = await matchingIssueIds(admin.accountId, admin.projectId, jql, COUNT_CAP);
  const examined = ids.slice(0, PREVIEW_CAP);
  const outcomes: Array<{ item: string; outcome: PairOutcome }> = [];
  for (const id of examined) {
    const issue = await jira.getIssue(id);
    if (!issue) continue;
    try {
      const p = await previewIssue(draft, issue, { knownToMatch: true });
      outcomes.push({
        item: issue.key,
        outcome:
          p.kind === 'skipped'
            ? {
                kind: 'skipped',
                reason: p.reason.startsWith('synced through another connection')
                  ? 'synced through another connection'
                  : p.reason,
              }
            : pairOutcome(p),
      });
    } catch (e) {
      const message = cannotRead(e);
      if (message === undefined) throw e;
      outcomes.push({ item: issue.key, outcome: { kind: 'fail', reasons: [message] } });
    }
  }
  // Remote items the draft's conditions would make Jira issues of: among those changed lately, not linked or made by Crosswalk.
  let remoteExamined = 0;
  let remoteNote = ' No remote item creates a Jira issue under these settings (no conditions).';
  if (draft.config.remoteFilter.length) {
    const since = Date.now() - REMOTE_LOOK_BACK_DAYS * 86_400_000;
    try {
      const changed = (await draft.connector.listChanged(since)).items.slice(0, REMOTE_PREVIEW_CAP * 3);
      for (const { id } of changed) {
        if (remoteExamined >= REMOTE_PREVIEW_CAP) break;
        const item = await draft.connector.getItem(id);
        if (
          !item ||
          item.correlationId?.startsWith('crosswalk:') ||
          (draft.saved && (await issueForRemote(draft.config.id, item.id)))
        )
          continue;
        remoteExamined++;
        const p = await previewRemoteItem(draft, item);
        // Items the conditions leave out are not "matching items": they are not counted.
        if (p.kind === 'skipped') continue;
        outcomes.push({ item: item.displayKey, outcome: pairOutcome(p) });
      }
      remoteNote = ` Remote items: ${remoteExamined} not yet linked, among those changed in the last ${REMOTE_LOOK_BACK_DAYS} days (oldest first, at most ${REMOTE_PREVIEW_CAP}), checked against the conditions.`;
    } catch (e) {
      const message = cannotRead(e);
      if (message === undefined) throw e;
      remoteNote = ` Remote items could not be listed: ${message}.`;
    }
  }
  const { counts, reasons } = summarize(outcomes);
  const total = ids.length;
  const capped = total >= COUNT_CAP;
  const note =
    examined.length < total
      ? `Examined the first ${examined.length} of ${capped ? `more than ${COUNT_CAP}` : total} matching issues (oldest first); the rest are not previewed.`
      : `Examined all ${total} matching issue${total === 1 ? '' : 's'}.`;
  return ok({
    examined: examined.length,
    remoteExamined,
    total,
    totalCapped: capped,
    cap: PREVIEW_CAP,
    counts,
    reasons,
    items: outcomes.map((o) => ({ key: o.item, kind: o.outcome.kind })),
    note: `${note}${remoteNote}`,
    paused: !draft.config.enabled,
  });
}

/** What the preview says of a resolution crossing that is not a field row. */
function resolutionNotices(run: ResolutionRun | undefined, remoteLabel: string): string[] {
  if (!run) return [];
  if (run.remoteNote) return [`${remoteLabel} keeps no resolution text: a note there says “${run.remoteNote}”`];
  const toJira = run.plan.toJira;
  if (!toJira) return [];
  return [
    `${remoteLabel}'s resolution${toJira.code ? ` (${toJira.code})` : ''} comes to Jira: the issue is resolved as ` +
      `“${toJira.jiraName}” when it reaches a done status, and an internal comment says who resolved it and why.`,
  ];
}
