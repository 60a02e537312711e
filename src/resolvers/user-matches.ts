/**
 * User mapping, for the mapping editor: the people the draft's sync would
 * meet (in its mapped people fields, on the issues its filter selects, most
 * recently updated first), each matched as the engine matches them
 * (sync/user-map.ts: the connection's own pairs first, then by email where
 * Jira shows it), and the unmatched listed with why. Emails are never
 * answered (Jira may show the app an address it hides from the admin).
 */
import api, { route } from '@forge/api';
import * as z from 'zod';
import { isSyncError } from '../connectors/errors';
import { credentialSchema } from '../store/credentials';
import { badRequest, fail, forbiddenAdmin, ok, requireProjectAdmin } from './guards';
import { prepareDraft } from './preview';

type Call = { payload?: unknown; context: { accountId?: string } & Record<string, unknown> };

const MAX_ISSUES = 100;
const MAX_PEOPLE = 50;

const request = z
  .object({
    connectionId: z
      .string()
      .regex(/^[a-z0-9-]{3,60}$/)
      .optional(),
    settings: z.unknown(),
    credential: credentialSchema.optional(),
  })
  .strict();
const person = z
  .object({
    accountId: z.string(),
    displayName: z.string().optional(),
    emailAddress: z.string().optional(),
    accountType: z.string().optional(),
  })
  .loose();

export type PersonMatch =
  | { accountId: string; displayName: string; fields: string[]; match: 'pair' | 'email'; remoteUserId: string }
  | { accountId: string; displayName: string; fields: string[]; match: 'none'; reason: string };

export async function userMatchesResolver({ payload, context }: Call) {
  const admin = await requireProjectAdmin(context);
  if (!admin) return forbiddenAdmin;
  const parsed = request.safeParse(payload);
  if (!parsed.success) return badRequest(parsed.error);
  const prepared = await prepareDraft(admin, parsed.data);
  if (!prepared.ok) return prepared.answer;
  const { config, connector, users, system } = prepared.draft;
  const mapped = config.fields.filter((f) => f.transform === 'user').map((f) => f.jira);
  const fields = mapped.length ? mapped : ['assignee', 'reporter'];
  const jql = config.jql.trim();
  // As the admin: only people on issues the admin may see.
  const res = await api.asUser(admin.accountId).requestJira(route`/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      jql: `project = ${admin.projectId}${jql ? ` AND (${jql})` : ''} ORDER BY updated DESC`,
      maxResults: MAX_ISSUES,
      fields,
    }),
  });
  if (!res.ok) return fail('BAD_REQUEST', `Jira could not list the issues (HTTP ${res.status})`);
  const page = z
    .object({ issues: z.array(z.object({ fields: z.record(z.string(), z.unknown()).optional() }).loose()) })
    .safeParse(await res.json());
  if (!page.success) return fail('BAD_REQUEST', 'Jira answered in an unexpected shape');
  const found = new Map<string, { user: z.infer<typeof person>; fields: Set<string> }>();
  for (const issue of page.data.issues) {
    for (const field of fields) {
      const raw = issue.fields?.[field];
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        const p = person.safeParse(value);
        if (!p.success || p.data.accountType === 'app') continue;
        const entry = found.get(p.data.accountId) ?? { user: p.data, fields: new Set<string>() };
        entry.fields.add(field);
        found.set(p.data.accountId, entry);
      }
    }
  }
  const people: PersonMatch[] = [];
  try {
    for (const { user, fields: where } of [...found.values()].slice(0, MAX_PEOPLE)) {
      const base = { accountId: user.accountId, displayName: user.displayName ?? user.accountId, fields: [...where] };
      const pair = config.users.table.find((r) => r.jiraAccountId === user.accountId);
      if (pair) {
        people.push({ ...base, match: 'pair', remoteUserId: pair.remoteUserId });
        continue;
      }
      const read = await users.fromJira(user);
      if (read.ok && read.value !== null) people.push({ ...base, match: 'email', remoteUserId: String(read.value) });
      else {
        const reason = !config.users.matchByEmail
          ? 'matching by email is off, and there is no pair for this person'
          : !connector.users
            ? `${system.label} people cannot be found by email`
            : !user.emailAddress
              ? "Jira does not show this person's email to Crosswalk"
              : `no active ${system.label} user has this person's email`;
        people.push({ ...base, match: 'none', reason });
      }
    }
  } catch (e) {
    if (!isSyncError(e)) throw e;
    return fail('BAD_REQUEST', `${system.label} could not be asked: ${e.message}`, [
      { path: 'users', message: e.message },
    ]);
  }
  people.sort(
    (a, b) => (a.match === 'none' ? 0 : 1) - (b.match === 'none' ? 0 : 1) || a.displayName.localeCompare(b.displayName),
  );
  return ok({
    fields,
    mappedFields: mapped.length > 0,
    people,
    unmatched: people.filter((p) => p.match === 'none').length,
    note: `People in ${fields.join(', ')} of the ${page.data.issues.length === MAX_ISSUES ? `${MAX_ISSUES} most recently updated` : page.data.issues.length} matching issue${page.data.issues.length === 1 ? '' : 's'}${found.size > MAX_PEOPLE ? `; the first ${MAX_PEOPLE} of ${found.size} people are checked` : ''}.${mapped.length ? '' : ' No field of this mapping carries people yet (Values: People); assignee and reporter are checked.'}`,
  });
}
