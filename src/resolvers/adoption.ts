/**
 * Adopting what already exists (issue 24), for a connection's admin: the
 * preview of which issues would pair with which remote items under the rules
 * the admin ordered, with nothing written; then the adoption of those pairs,
 * each a link whose base is both sides as they are (adoption/baseline.ts), so
 * that nothing is written to either side until someone changes something.
 *
 * The browser's answer is trusted for nothing but the admin's choices: both
 * calls read both sides again and match them here, and a pair the admin
 * confirms (equal titles, an ambiguous issue resolved by hand, an item two
 * issues named given to one) must be among what the match offered. Each call
 * reads a bounded part of the remote (adoption/candidates.ts) and adopts at most
 * `ADOPT_PER_CALL` pairs; `remaining` says when calling again adopts more.
 */
import * as z from 'zod';
import { siteUrl } from '../alerts/check';
import { audit } from '../audit/record';
import { getIssue } from '../connectors/jira/client';
import { systemFor } from '../connectors/registry';
import { typeMismatch } from '../mapping/item-types';
import { clearUnlinked, createLink, LinkTaken } from '../store/links';
import { connectorFor } from '../sync/connector-for';
import { adoptedLink } from '../adoption/baseline';
import { readCandidates, type Candidates } from '../adoption/candidates';
import { matchExisting, type MatchResult, type MatchRule } from '../adoption/match';
import { connectionIdSchema, ok, requireOwnConnection } from './guards';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

/** At most this many of each list are answered; the counts are whole. */
export const ADOPTION_LIST_CAP = 200;
/** Pairs adopted in one call: each reads the item's comments and files, within the call's 100 remote requests. */
export const ADOPT_PER_CALL = 12;

const fieldName = z.string().trim().min(1).max(256);
const ruleSchema: z.ZodType<MatchRule> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('remote-field'), field: fieldName }).strict(),
  z.object({ kind: z.literal('jira-remote-link') }).strict(),
  z.object({ kind: z.literal('jira-field'), field: fieldName }).strict(),
  z.object({ kind: z.literal('title-window'), days: z.number().int().min(0).max(365) }).strict(),
]);
const rules = z.array(ruleSchema).min(1).max(8);
const previewRequest = z.object({ connectionId: connectionIdSchema, rules }).strict();
const idText = z.string().min(1).max(256);
const adoptRequest = z
  .object({
    connectionId: connectionIdSchema,
    rules,
    confirmed: z
      .array(z.object({ issueId: idText, remoteId: idText }).strict())
      .max(ADOPTION_LIST_CAP)
      .optional(),
  })
  .strict();

const cap = <T>(list: readonly T[]) => list.slice(0, ADOPTION_LIST_CAP);

/** The match's answer with the keys and titles people read, each list cut at ADOPTION_LIST_CAP. */
function describe(candidates: Candidates, match: MatchResult) {
  const keyOf = new Map(candidates.issues.map((i) => [i.id, i.key]));
  const item = new Map(candidates.items.map((i) => [i.id, i]));
  const issue = (id: string) => ({ issueId: id, issueKey: keyOf.get(id) ?? id });
  const remote = (id: string) => ({
    remoteId: id,
    remoteKey: item.get(id)?.displayKey ?? id,
    title: item.get(id)?.title ?? '',
    url: item.get(id)?.url ?? '',
  });
  return {
    counts: {
      pair: match.pair.filter((p) => !p.needsConfirmation).length,
      offered: match.pair.filter((p) => p.needsConfirmation).length,
      create: match.create.length,
      ambiguous: match.ambiguous.length,
      refused: match.refused.length,
      alreadyLinked: candidates.issues.filter((i) => i.linked).length,
      madeByCrosswalk: candidates.madeByCrosswalk,
      outside: candidates.outside,
    },
    pair: cap(match.pair).map((p) => ({
      ...issue(p.issueId),
      ...remote(p.remoteId),
      rule: p.rule,
      kind: p.kind,
      needsConfirmation: p.needsConfirmation,
    })),
    create: cap(match.create).map(issue),
    ambiguous: cap(match.ambiguous).map((a) => ({
      ...issue(a.issueId),
      rule: a.rule,
      kind: a.kind,
      candidates: a.candidates.map(remote),
    })),
    refused: cap(match.refused).map((r) => ({ ...remote(r.remoteId), issues: r.issueIds.map(issue) })),
    bounded: candidates.bounded,
  };
}

/** What adopting under these rules would do, with nothing written. */
export async function adoptionPreviewResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, previewRequest);
  if (!own.ok) return own.answer;
  const connector = await connectorFor(own.config);
  const candidates = await readCandidates(own.config, connector, own.request.rules, await siteUrl());
  return ok(describe(candidates, matchExisting(own.request.rules, candidates.issues, candidates.items)));
}

/**
 * The pairs to adopt: every pair the rules found that needs no confirmation, and each confirmed pair the match
 * offered (equal titles, one candidate of an ambiguous issue, one of the issues that named a refused item); an issue
 * or item is adopted once, the first time it comes.
 */
export function pairsToAdopt(
  match: MatchResult,
  confirmed: ReadonlyArray<{ issueId: string; remoteId: string }>,
): Array<{ issueId: string; remoteId: string; confirmed: boolean }> {
  const offered = (c: { issueId: string; remoteId: string }) =>
    match.pair.some((p) => p.needsConfirmation && p.issueId === c.issueId && p.remoteId === c.remoteId) ||
    match.ambiguous.some((a) => a.issueId === c.issueId && a.candidates.includes(c.remoteId)) ||
    match.refused.some((r) => r.remoteId === c.remoteId && r.issueIds.includes(c.issueId));
  const out: Array<{ issueId: string; remoteId: string; confirmed: boolean }> = [];
  const issues = new Set<string>();
  const items = new Set<string>();
  const take = (p: { issueId: string; remoteId: string }, isConfirmed: boolean) => {
    if (issues.has(p.issueId) || items.has(p.remoteId)) return;
    issues.add(p.issueId);
    items.add(p.remoteId);
    out.push({ issueId: p.issueId, remoteId: p.remoteId, confirmed: isConfirmed });
  };
  for (const p of match.pair) if (!p.needsConfirmation) take(p, false);
  for (const c of confirmed) if (offered(c)) take(c, true);
  return out;
}

/** Adopts the pairs: links with both sides as they are for their base; nothing is written to either side. */
export async function adoptPairsResolver({ payload, context }: Call) {
  const own = await requireOwnConnection(context, payload, adoptRequest);
  if (!own.ok) return own.answer;
  const { config, admin } = own;
  const connector = await connectorFor(config);
  const candidates = await readCandidates(config, connector, own.request.rules, await siteUrl());
  const match = matchExisting(own.request.rules, candidates.issues, candidates.items);
  const wanted = pairsToAdopt(match, own.request.confirmed ?? []);
  const adopted: Array<{ issueKey: string; remoteKey: string }> = [];
  const skipped: Array<{ issueId: string; remoteId: string; reason: string }> = [];
  for (const p of wanted.slice(0, ADOPT_PER_CALL)) {
    const remote = candidates.read.get(p.remoteId);
    const issue = await getIssue(p.issueId);
    if (!remote || !issue) {
      skipped.push({ ...p, reason: 'It no longer exists' });
      continue;
    }
    const mismatch = typeMismatch(config, issue.fields, remote.fields, systemFor(config.remote.type)?.itemTypes);
    if (mismatch) {
      skipped.push({ ...p, reason: mismatch });
      continue;
    }
    try {
      await createLink(await adoptedLink(config, connector, issue, remote));
    } catch (e) {
      if (!(e instanceof LinkTaken)) throw e;
      skipped.push({ ...p, reason: `${issue.key} or ${remote.displayKey} was linked meanwhile` });
      continue;
    }
    await clearUnlinked(issue.id);
    await audit(admin, 'issue-adopted', {
      connectionId: config.id,
      issueKey: issue.key,
      remoteKey: remote.displayKey,
    });
    adopted.push({ issueKey: issue.key, remoteKey: remote.displayKey });
  }
  return ok({
    adopted,
    skipped,
    remaining: Math.max(0, wanted.length - ADOPT_PER_CALL),
    bounded: candidates.bounded,
  });
}
