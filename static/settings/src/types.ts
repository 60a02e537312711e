import type { Problem } from '../../shared/ui';

export interface ConnectionConfig {
  id: string;
  jiraProjectId: string;
  name: string;
  jql: string;
  enabled: boolean;
  conflictPolicy: string;
  remote: { type: string; baseUrl: string; [key: string]: unknown };
  fields: FieldMapping[];
  [key: string]: unknown;
}

export interface FieldMapping {
  jira: string;
  remote: string;
  direction?: string;
  transform?: string;
  /** `reverse`: where several Jira values map to one remote value, the one that remote value maps back to. */
  valueMap?: ValueMapEntry[];
  /** The field's own conflict policy; absent = the connection's. */
  conflictPolicy?: string;
  /** Where the remote computes the field from others: per value, the inputs written for it (src/mapping/derived-fields.ts). */
  derived?: DerivedMatrix;
  /** One side's value written inside a template (src/mapping/template.ts). */
  template?: FieldTemplate;
  /** In order, the first whose conditions all hold sets the side the direction points to (src/mapping/rules.ts). */
  rules?: Rule[] | undefined;
  /** What the rules set when none holds; absent = that side is left as it is. */
  fallback?: string | undefined;
}

export interface RuleCondition {
  side: 'jira' | 'remote';
  field: string;
  op: 'is' | 'is not' | 'in';
  values: string[];
}

export interface Rule {
  when: RuleCondition[];
  then: string;
}

export interface FieldTemplate {
  side: 'jira' | 'remote';
  text: string;
  reverse?: 'strip' | 'one-way';
}

export interface ValueMapEntry {
  jira: string;
  remote: string;
  reverse?: boolean;
}

export interface DerivedMatrix {
  inputs: string[];
  write: Array<{ value: string; set: Record<string, string> }>;
}

/** A remote field as the remoteFields resolver answers it (src/connectors/ports.ts RemoteField). */
export interface RemoteField {
  id: string;
  name: string;
  kind: 'text' | 'rich-text' | 'choice' | 'user' | 'list' | 'number' | 'date' | 'date-time' | 'path' | 'other';
  readOnly?: boolean;
  values?: Array<{ value: string; label: string }>;
}

/**
 * A condition of a remote filter as the page edits it (src/mapping/connection-config.ts remoteConditionSchema): a
 * field compared with one `value` (`=`, `!=`, `starts-with`, `contains`) or with several `values` (`IN`, `NOT IN`).
 */
export interface RemoteCondition {
  field: string;
  op: string;
  value?: string;
  values?: string[];
}

/** An OR group of a remote filter: holds when any of its conditions holds. */
export interface RemoteAnyOf {
  anyOf: RemoteCondition[];
}

/** An entry of `remoteFilter` or `linkFilter`; every entry must hold. */
export type RemoteFilterEntry = RemoteCondition | RemoteAnyOf;

export const isAnyOf = (entry: RemoteFilterEntry): entry is RemoteAnyOf => 'anyOf' in entry;

export interface ConnectionView {
  config: ConnectionConfig;
  credentialFields: string[];
  health: { kind: string; message: string; at?: string } | null;
}

export interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: string[];
  format?: string;
  pattern?: string;
  /** What people call the setting or the option (the registry entry's zod `.meta()`). */
  title?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

export interface SystemDescription {
  kind: string;
  label: string;
  hostPatterns: string[];
  /** Present when a customer may run the system on its own host, which a Jira admin approves (egress-approval.tsx). */
  customerHosts?: { product: string };
  exampleUrls: string[];
  settingsSchema: JsonSchema;
  /** Secret fields each sign-in method needs, by its `kind` (`default` when the settings have no `auth`). */
  credentialFields: Record<string, string[]>;
  /** What the system calls each secret ("API token"), and where a person finds it. */
  secretLabels: Record<string, { label: string; help?: string } | undefined>;
  /** Settings whose change keeps the stored secret; any other change of the remote settings needs it typed again. */
  behaviourSettings: string[];
  /** A new connection's first field pairs. */
  starterFields: FieldMapping[];
  changePush: 'automatic' | 'manual';
  capabilities: {
    commentVisibilities: string[];
    commentEdit: boolean;
    commentDelete: boolean;
    attachments: boolean;
    userSearch?: boolean;
  };
  /** How the system resolves: what it calls its reason and its text; absent, no resolution crosses. */
  resolution?: { codeLabel?: string; notesLabel?: string };
  /** Whether its items have SLAs a connection may copy into a Jira field. */
  slas?: boolean;
}

/** A connection's figures on the list (listConnections): items in sync and failing ("at least" when capped), and the latest sync. */
export interface ConnectionUsage {
  itemsInSync: number;
  itemsCapped: boolean;
  lastSyncAt: string | null;
  itemsFailing: number;
  failingCapped: boolean;
  /** What the type map leaves alone, per side and type (store/other-types.ts). */
  otherTypes?: Array<{ side: 'jira' | 'remote'; type: string; count: number }>;
}

export interface ListAnswer {
  connections: Array<ConnectionView & { usage: ConnectionUsage }>;
  systems: SystemDescription[];
}

export type { Problem };

/** The connection's settings as the server takes them back: without what the server owns (its id, project and credential revision). */
export function settingsOf(config: ConnectionConfig): Record<string, unknown> {
  const { id: _id, jiraProjectId: _project, credentialRev: _rev, ...settings } = config;
  return settings;
}
