/**
 * A connection pairs one Jira project with one remote scope. The settings are
 * data a project admin edits; the server adds the connection's id and project
 * (never taken from the browser), and the credential lives apart, in Forge
 * secret storage under a key derived from the id. What is particular to a
 * system (its `remote` part) is checked by that system's registry entry.
 */
import * as z from 'zod';
import { isAllowedRemoteUrl } from '../connectors/remote-hosts';
import { implementedSystems, systemFor } from '../connectors/registry';
import { fieldPairProblems } from './field-pairs';
import { valueMapProblems } from './value-map';
import { templateParts, templateSchema } from './template';
import { ruleProblems, ruleSchema } from './rules';
import { FIELD_KINDS } from './field-kinds';
import { fieldsOfType, typeMapProblems } from './item-types';
import { REMOTE_BODY_FORMATS } from '../content/body-format';

const direction = z.enum(['both', 'to-jira', 'to-remote', 'none']);
const conflictPolicy = z.enum(['jira-wins', 'remote-wins', 'newest-wins']);
const remoteFieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be a field name');

/** Where the remote computes a field from others (derived-fields.ts): per value, the inputs written for it. */
const derivedMatrixSchema = z.object({
  inputs: z.array(remoteFieldName).min(1).max(5),
  write: z
    .array(z.object({ value: z.string().min(1).max(200), set: z.record(remoteFieldName, z.string().max(200)) }))
    .max(100),
});

const valueMapEntry = z.object({
  jira: z.string().min(1),
  remote: z.string().min(1),
  /** Where several Jira values map to this remote value: the one it maps back to (value-map.ts). */
  reverse: z.boolean().optional(),
});

export const fieldMappingSchema = z
  .object({
    /** Jira field id: summary, description, priority, status, labels, customfield_10010, … */
    jira: z.string().regex(/^([a-z]+|customfield_\d+)$/, 'must be a Jira field id'),
    remote: remoteFieldName,
    direction: direction.default('both'),
    /** `user`: people, matched by email where visible, else by the connection's user table. `list`: a set of words (labels ↔ Azure DevOps tags), kept by the remote as one string joined by `separator`. */
    transform: z.enum(['none', 'text', 'rich-text', 'value-map', 'user', 'list']).default('none'),
    valueMap: z.array(valueMapEntry).optional(),
    separator: z.string().min(1).max(3).optional(),
    /** When both sides changed this field since the last sync: absent = the connection's `conflictPolicy`. */
    conflictPolicy: conflictPolicy.optional(),
    /**
     * What each side's field holds, from live metadata when the connection was saved (field-kinds.ts); the server
     * sets it, whatever the page sends. Absent: values cross as text, as before kinds were known.
     */
    kinds: z
      .object({
        jira: z.enum(FIELD_KINDS),
        remote: z.enum(FIELD_KINDS),
        /** Decimal places the remote keeps of a number (0: whole numbers). */
        precision: z.number().int().min(0).max(12).optional(),
      })
      .optional(),
    /**
     * A rich text pair's remote body format, where its field keeps another than the item's description
     * (`RemoteField.format`: a ServiceNow HTML column); from live metadata when saved, like `kinds`. Absent: the
     * connector's `descriptionFormat`.
     */
    format: z.enum(REMOTE_BODY_FORMATS).optional(),
    /** How one side's value is written around the other's, and read back (template.ts); plain text pairs only. */
    template: templateSchema.optional(),
    /**
     * Where the remote field is one the remote computes (its registry entry's `derivedFields`): the inputs written
     * for each of its values (derived-fields.ts). The server keeps it only for such a field, the system's own
     * matrix where the page sends none.
     */
    derived: derivedMatrixSchema.optional(),
    /**
     * Conditional rules (rules.ts): the first whose conditions all hold gives the value of the side the direction
     * points to, else `fallback`, else that side keeps what it holds. One-way: the direction must be one-way.
     */
    rules: z
      .array(ruleSchema)
      .refine((rules) => rules.length <= 30, 'a pair can have at most 30 rules')
      .optional(),
    fallback: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((m, ctx) => {
    for (const p of ruleProblems(m)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    if (m.template) {
      const read = templateParts(m.template.text, m.jira);
      if (!read.ok) ctx.addIssue({ code: 'custom', path: ['template', 'text'], message: read.reason });
      if (m.transform !== 'none' && m.transform !== 'text')
        ctx.addIssue({ code: 'custom', path: ['template'], message: 'only a plain text pair takes a template' });
      const toward = m.template.side === 'remote' ? 'to-remote' : 'to-jira';
      if (m.template.reverse === 'one-way' && m.direction !== toward)
        ctx.addIssue({
          code: 'custom',
          path: ['template', 'reverse'],
          message: `a one-way template only writes ${m.template.side === 'remote' ? 'the remote' : 'Jira'}: set the direction to ${m.template.side === 'remote' ? 'Jira → remote' : 'remote → Jira'}, or strip it on the way back`,
        });
    }
    if (m.transform === 'value-map' && !m.valueMap?.length)
      ctx.addIssue({ code: 'custom', path: ['valueMap'], message: 'a value-map transform needs at least one entry' });
    for (const problem of valueMapProblems(m.valueMap ?? [], m.remote))
      ctx.addIssue({ code: 'custom', path: ['valueMap'], message: problem });
  });

/** The `remote` part as the core sees it: the system's own entry checks the rest. */
export const remoteConfigSchema = z.object({ type: z.string().min(1), baseUrl: z.string().min(1) }).loose();
export type RemoteConfig = z.infer<typeof remoteConfigSchema>;

/** A condition on one remote field: compared with one value, or with a list of values (`IN`, `NOT IN`). */
/**
 * Crosswalk evaluates filters itself, in its own words: `starts-with` and `contains` (ignoring case). Connections saved
 * before these words kept ServiceNow's (`STARTSWITH`, `LIKE`), read as the same.
 */
const LEGACY_OPERATORS: Readonly<Record<string, string>> = { STARTSWITH: 'starts-with', LIKE: 'contains' };
const withOwnOperator = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { op?: unknown }).op === 'string'
    ? { ...raw, op: LEGACY_OPERATORS[(raw as { op: string }).op] ?? (raw as { op: string }).op }
    : raw;

const remoteConditionShape = z.discriminatedUnion('op', [
  z.object({
    field: remoteFieldName,
    op: z.enum(['=', '!=', 'starts-with', 'contains']),
    value: z.string().max(500),
  }),
  z.object({
    field: remoteFieldName,
    op: z.enum(['IN', 'NOT IN']),
    values: z
      .array(z.string().max(500, 'a value can be at most 500 characters'))
      .min(1, 'pick at least one value')
      .refine((values) => values.length <= 50, 'pick at most 50 values'),
  }),
]);
export const remoteConditionSchema = z.preprocess(withOwnOperator, remoteConditionShape);

/** An OR group: holds when any of its conditions holds. */
export const remoteAnyOfSchema = z.object({
  anyOf: z
    .array(remoteConditionSchema)
    .min(2, 'an OR group needs at least two conditions')
    .refine((conditions) => conditions.length <= 10, 'an OR group can have at most 10 conditions'),
});

/**
 * One entry of a remote filter (every entry must hold): a condition, or an OR group of conditions. The upper bounds
 * of its lists are refinements, not `.max`: zod's `.max` stops the parse, and a union then cannot tell which shape was
 * meant, so the problem would lose its place ("pick at most 50 values" at the list).
 */
export const remoteFilterEntrySchema = z.union([remoteConditionSchema, remoteAnyOfSchema], {
  error: 'must be a condition (a field, how it compares and a value) or an OR group of conditions',
});

/** A value a new remote item starts with (`createDefaults`). */
const createDefaultSchema = z.object({ field: remoteFieldName, value: z.string().min(1).max(1000) });

/** One line of the type map (mapping/item-types.ts). */
export const itemTypeSchema = z.object({
  /** The Jira issue type, by name. */
  jira: z.string().trim().min(1).max(60),
  /** The remote's type as stored in its type field (a work item type, a ticket type, a category's value). */
  remote: z.string().trim().min(1).max(255),
  /** This type's own pairs: one of a Jira field the shared pairs map replaces that pair for this type (its status map). */
  fields: z.array(fieldMappingSchema).max(50).default([]),
  /** This type's own defaults on create, before the shared ones. */
  createDefaults: z.array(createDefaultSchema).max(20).default([]),
});
export type ItemType = z.infer<typeof itemTypeSchema>;

const settingsShape = {
  name: z.string().trim().min(1).max(100),
  remote: remoteConfigSchema,
  /** Extra JQL that narrows which of the project's issues sync; empty = all. Checked with Jira's parser when saved. */
  jql: z.string().max(2000).default(''),
  /** Remote items matching all of these (each a condition or an OR group) create a Jira issue of `jiraIssueType`; empty = none. */
  remoteFilter: z.array(remoteFilterEntrySchema).max(20).default([]),
  /**
   * Remote items matching all of these may also be linked to an issue by hand (the issue panel's Search and Link),
   * without creating issues from them; empty = only those `remoteFilter` takes. What a connection does not sync, a
   * person cannot reach through it: the integration account reads far more than any one project should.
   */
  linkFilter: z.array(remoteFilterEntrySchema).max(20).default([]),
  jiraIssueType: z.string().min(1).max(60).default('Task'),
  enabled: z.boolean().default(false),
  fields: z.array(fieldMappingSchema).min(1),
  /** Fields a remote requires on entering a state (ServiceNow's close code and notes on Resolved); `{issueKey}` is replaced. */
  requiredOnEnter: z
    .array(
      z.object({
        field: remoteFieldName,
        values: z.array(z.string().min(1)).min(1),
        set: z.record(remoteFieldName, z.string().max(4000)),
      }),
    )
    .max(20)
    .default([]),
  /**
   * Values a remote item Crosswalk creates starts with where no mapped field gives one (a ServiceNow assignment
   * group or caller, an Azure DevOps area path, a Zendesk group), in the remote's own values (`value`: as stored, a
   * reference by its id). Checked against the remote's metadata when saved (resolvers/field-typing.ts).
   */
  createDefaults: z.array(createDefaultSchema).max(20).default([]),
  /**
   * The type map (mapping/item-types.ts): Jira issue types ↔ the remote's types, each with pairs and defaults of its
   * own beside the shared ones. Empty: a single-type map of `jiraIssueType`, every issue the JQL takes crossing.
   */
  types: z.array(itemTypeSchema).max(20).default([]),
  /**
   * Parents both ways (sync/hierarchy.ts): Jira's parent (an epic's stories, a story's sub-tasks) ↔ the remote's own
   * relation, each crossing as the item paired with it. `none` (as before hierarchy crossed): each item alone.
   */
  hierarchy: z.object({ direction: direction.default('both') }).default({ direction: 'none' }),
  /**
   * Jira's "relates to" links ↔ the remote's links between peers where it has them (sync/related-links.ts), between
   * pairs of this connection only. `none` (as before): no link crosses.
   */
  relatedLinks: z.object({ direction: direction.default('both') }).default({ direction: 'none' }),
  /**
   * The remote's SLA copied one way into a Jira date or date-time field: when it breaches (sync/sla-field.ts). `name`
   * picks the SLA by its definition's name; absent, the first one still running. `kind` is the Jira field's, set by
   * the server from Jira's metadata when the connection is saved. Each sync of a pair then reads the item's SLAs once.
   */
  slaField: z
    .object({
      jira: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a Jira field id'),
      name: z.string().min(1).max(256).optional(),
      kind: z.enum(['date', 'date-time']).optional(),
    })
    .optional(),
  /**
   * Resolutions both ways (sync/resolution.ts): Jira's resolution ↔ the remote's reason for it (ServiceNow close code,
   * Azure DevOps resolved reason), with the resolution's text and who resolved it. `codes` pairs them; a Jira
   * resolution not named goes as the system's fallback, and a remote reason not named arrives as Jira's "Done".
   * Several Jira resolutions may share a reason: the first listed is the one that reason comes back as.
   */
  resolution: z
    .object({
      direction: direction.default('both'),
      codes: z
        .array(z.object({ jira: z.string().min(1).max(255), remote: z.string().min(1).max(255) }))
        .max(50)
        .default([]),
    })
    .default({ direction: 'both', codes: [] }),
  comments: z.object({ direction: direction.default('both') }).default({ direction: 'both' }),
  attachments: z
    .object({
      direction: direction.default('both'),
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(1024 * 1024 * 1024)
        .default(50 * 1024 * 1024),
      /** MIME types or prefixes (`image/`); empty = all. */
      allowedTypes: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+*-]*$/)).default([]),
    })
    .default({ direction: 'both', maxBytes: 50 * 1024 * 1024, allowedTypes: [] }),
  /** When both sides changed a field since the last sync; a field mapping may set its own. */
  conflictPolicy: conflictPolicy.default('newest-wins'),
  /** Where a date meets a date-time (field-convert.ts): the day a date-time falls on, and when a date's day starts. */
  timeZone: z.string().max(64).refine(isTimeZone, 'must be a time zone such as Europe/Berlin or UTC').default('UTC'),
  users: z
    .object({
      matchByEmail: z.boolean().default(true),
      table: z.array(z.object({ jiraAccountId: z.string().min(1), remoteUserId: z.string().min(1) })).default([]),
    })
    .default({ matchByEmail: true, table: [] }),
};

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

type SettingsInput = z.infer<z.ZodObject<typeof settingsShape>>;

/**
 * Zod's own words are for developers ("Invalid input: expected object, received undefined"); a project lead
 * reads these. Messages a schema gives itself ("must be a ServiceNow table name") are kept as written.
 */
const plainWords: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'is required';
  if (issue.code === 'invalid_format' && issue.format === 'url') return 'must be a web address (https://…)';
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'must be an email address';
  if (issue.code === 'invalid_value' && issue.values.length)
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  return undefined;
};

/**
 * The checks of a connection's settings. A customer's own host (remote-hosts.ts) must be approved when settings are
 * entered; a stored connection was checked when it was saved, and an approval withdrawn since stops its requests at
 * the platform (they fail, and its items say why), not the connection itself.
 */
const checkSettings = (customerHost: 'approved' | 'as saved') => (c: SettingsInput, ctx: z.RefinementCtx) =>
  checkSettingsOf(c, ctx, customerHost);

function checkSettingsOf(c: SettingsInput, ctx: z.RefinementCtx, customerHost: 'approved' | 'as saved'): void {
  const system = systemFor(c.remote.type);
  if (!system) {
    ctx.addIssue({
      code: 'custom',
      path: ['remote', 'type'],
      message: `${c.remote.type} connections are not available yet`,
    });
  } else {
    const remote = system.remoteSchema.safeParse(c.remote, { error: plainWords });
    if (!remote.success)
      for (const i of remote.error.issues)
        ctx.addIssue({
          code: 'custom',
          path: ['remote', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
          message: i.message,
        });
    if (
      !isAllowedRemoteUrl(system, c.remote.baseUrl, {
        sharedHosts: implementedSystems().flatMap((s) => s.hostPatterns),
        ...(customerHost === 'as saved' ? { approved: () => true } : {}),
      })
    )
      ctx.addIssue({
        code: 'custom',
        path: ['remote', 'baseUrl'],
        // A customer's own host is allowed once a Jira admin approved it (remote-hosts.ts); the wizard asks for that.
        message: `must be an https address of ${system.label} that Crosswalk may reach (${system.hostPatterns.join(', ')})`,
      });
  }
  for (const p of fieldPairProblems(c.fields))
    ctx.addIssue({ code: 'custom', path: ['fields', p.index, p.side], message: p.message });
  for (const p of typeMapProblems(c.types)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  c.types.forEach((t, i) => {
    // A type's own pairs are checked as they stand with the shared ones (a remote field mapped twice, a status without a value map).
    const own = fieldsOfType(c.fields, t);
    for (const p of fieldPairProblems(own)) {
      const at = t.fields.indexOf(own[p.index]!);
      if (at >= 0) ctx.addIssue({ code: 'custom', path: ['types', i, 'fields', at, p.side], message: p.message });
    }
  });
  c.createDefaults.forEach((d, i) => {
    if (c.createDefaults.findIndex((e) => e.field === d.field) !== i)
      ctx.addIssue({
        code: 'custom',
        path: ['createDefaults', i, 'field'],
        message: `${d.field} has a default already`,
      });
  });
}

/** With the system's defaults filled in (its schema's output replaces the loose input). */
function withSystemRemote<T extends { remote: RemoteConfig }>(c: T): T {
  const parsed = systemFor(c.remote.type)?.remoteSchema.safeParse(c.remote);
  return parsed?.success ? { ...c, remote: parsed.data as RemoteConfig } : c;
}

/** What the settings page sends: no id, no project, no secret. */
export const connectionSettingsSchema = z
  .strictObject(settingsShape)
  .superRefine(checkSettings('approved'))
  .transform(withSystemRemote);
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

/** What is stored: the settings plus what the server decided. */
export const connectionConfigSchema = z
  .object({
    ...settingsShape,
    id: z.string().regex(/^[a-z0-9-]{3,60}$/),
    jiraProjectId: z.string().regex(/^\d+$/),
    /** Changes whenever the credential is replaced (a random token, nothing of the secret): a warm instance keeps the credential it read for this revision only. */
    credentialRev: z.string().max(64).optional(),
  })
  .superRefine(checkSettings('as saved'))
  .transform(withSystemRemote);
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export interface ConfigProblem {
  path: string;
  message: string;
}

const problemsOf = (error: z.ZodError): ConfigProblem[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** Every problem with its path, so the settings page can point at each one. */
export function validateConnectionSettings(
  input: unknown,
): { ok: true; settings: ConnectionSettings } | { ok: false; problems: ConfigProblem[] } {
  const parsed = connectionSettingsSchema.safeParse(input, { error: plainWords });
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, problems: problemsOf(parsed.error) };
}
