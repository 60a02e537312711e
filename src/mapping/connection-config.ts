/**
 * A connection pairs one Jira project with one remote scope. The config is
 * data a project admin edits; it holds a reference to the credential, never
 * the credential (that lives in Forge secret storage, written separately).
 */
import * as z from 'zod';
import { isKnownRemoteHost } from '../connectors/remote-hosts';
import { valueMapProblems } from './value-map';

const direction = z.enum(['both', 'to-jira', 'to-remote', 'none']);
const remoteFieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a field name');

const valueMapEntry = z.object({ jira: z.string().min(1), remote: z.string().min(1) });

export const fieldMappingSchema = z
  .object({
    /** Jira field id: summary, description, priority, status, labels, customfield_10010, … */
    jira: z.string().regex(/^([a-z]+|customfield_\d+)$/, 'must be a Jira field id'),
    remote: remoteFieldName,
    direction: direction.default('both'),
    /** `user`: people, matched by email where visible, else by the connection's user table. */
    transform: z.enum(['none', 'text', 'rich-text', 'value-map', 'user']).default('none'),
    valueMap: z.array(valueMapEntry).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.transform === 'value-map' && !m.valueMap?.length) ctx.addIssue({ code: 'custom', path: ['valueMap'], message: 'a value-map transform needs at least one entry' });
    for (const problem of valueMapProblems(m.valueMap ?? [])) ctx.addIssue({ code: 'custom', path: ['valueMap'], message: problem });
  });

const secretRef = z.string().regex(/^[a-zA-Z0-9:._-]+$/).max(200);

const servicenowRemote = z.object({
  type: z.literal('servicenow'),
  baseUrl: z.url(),
  /** The table the connection syncs with (incident, sc_task, a custom u_ table). */
  table: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a ServiceNow table name'),
  /** Only records matching all of these conditions create Jira issues. */
  filter: z.array(z.object({ field: remoteFieldName, op: z.enum(['=', '!=', 'STARTSWITH', 'LIKE']), value: z.string() })).default([]),
  /** Resolving or closing needs more fields (incident: close_code and close_notes); written along with those states. `{issueKey}` is replaced. */
  resolution: z
    .object({ states: z.array(z.string()).default(['6', '7']), fields: z.record(remoteFieldName, z.string()).default({ close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' }) })
    .default({ states: ['6', '7'], fields: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' } }),
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('basic'), username: z.string().min(1), secretRef }),
    z.object({ kind: z.literal('oauth'), clientId: z.string().min(1), username: z.string().min(1).optional(), secretRef }),
  ]),
});

const azureDevOpsRemote = z.object({
  type: z.literal('azure-devops'),
  baseUrl: z.url(),
  project: z.string().min(1),
  workItemType: z.string().min(1),
  auth: z.object({ kind: z.literal('pat'), secretRef }),
});

const zendeskRemote = z.object({
  type: z.literal('zendesk'),
  baseUrl: z.url(),
  groupId: z.string().regex(/^\d+$/).optional(),
  auth: z.object({ kind: z.literal('api-token'), email: z.email(), secretRef }),
});

export const connectionConfigSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{3,40}$/),
    name: z.string().trim().min(1).max(100),
    jiraProjectId: z.string().regex(/^\d+$/),
    remote: z.discriminatedUnion('type', [servicenowRemote, azureDevOpsRemote, zendeskRemote]),
    /** Extra JQL that narrows which of the project's issues sync; empty = all. */
    jql: z.string().max(2000).default(''),
    /** Issue type for Jira issues created from remote items (only when the remote filter is set). */
    jiraIssueType: z.string().min(1).max(60).default('Task'),
    enabled: z.boolean().default(false),
    fields: z.array(fieldMappingSchema).min(1),
    comments: z
      .object({
        direction: direction.default('both'),
        /** Where Jira public comments go and where the remote's public comments come from. */
        publicField: remoteFieldName.default('comments'),
        internalField: remoteFieldName.optional(),
      })
      .default({ direction: 'both', publicField: 'comments' }),
    attachments: z
      .object({
        direction: direction.default('both'),
        maxBytes: z.number().int().min(1).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
        /** MIME types or prefixes (`image/`); empty = all. */
        allowedTypes: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+*-]*$/)).default([]),
      })
      .default({ direction: 'both', maxBytes: 50 * 1024 * 1024, allowedTypes: [] }),
    conflictPolicy: z.enum(['jira-wins', 'remote-wins', 'newest-wins']).default('newest-wins'),
    users: z
      .object({
        matchByEmail: z.boolean().default(true),
        table: z.array(z.object({ jiraAccountId: z.string().min(1), remoteUserId: z.string().min(1) })).default([]),
      })
      .default({ matchByEmail: true, table: [] }),
  })
  .superRefine((c, ctx) => {
    if (!isKnownRemoteHost(c.remote.type, c.remote.baseUrl)) {
      ctx.addIssue({ code: 'custom', path: ['remote', 'baseUrl'], message: `must be an https address of ${c.remote.type} that Crosswalk may reach` });
    }
    const seen = { jira: new Set<string>(), remote: new Set<string>() };
    c.fields.forEach((f, i) => {
      if (seen.jira.has(f.jira)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'jira'], message: `Jira field ${f.jira} is mapped twice` });
      if (seen.remote.has(f.remote)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'remote'], message: `remote field ${f.remote} is mapped twice` });
      seen.jira.add(f.jira);
      seen.remote.add(f.remote);
      if (f.jira === 'status' && f.transform !== 'value-map') ctx.addIssue({ code: 'custom', path: ['fields', i, 'transform'], message: 'status needs a value map (Jira moves status only through transitions)' });
    });
  });

export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export interface ConfigProblem {
  path: string;
  message: string;
}

/** Every problem with its path, so the settings page can point at each one. */
export function validateConnectionConfig(input: unknown): { ok: true; config: ConnectionConfig } | { ok: false; problems: ConfigProblem[] } {
  const parsed = connectionConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}
