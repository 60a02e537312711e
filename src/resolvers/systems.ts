/**
 * What the settings page's wizard needs to know about each registered system,
 * as data: its connection settings' shape (the registry entry's zod schema as
 * JSON Schema), the secret fields each auth method needs, and whether Crosswalk
 * sets up the change push itself. A system a colleague adds to the registry
 * appears in the wizard without UI changes.
 */
import * as z from 'zod';
import type { SecretField, SystemDefinition } from '../connectors/registry';
import type { Credential } from '../store/credentials';

/** The secret fields a connection can hold, in the order the wizard asks for them (the webhook secret is Crosswalk's own). */
const SECRET_FIELDS = ['password', 'clientSecret', 'token'] as const satisfies ReadonlyArray<keyof Credential>;

export interface SystemDescription {
  kind: string;
  label: string;
  hostPatterns: readonly string[];
  /** Present when a customer may run the system on its own host, which a Jira admin approves (remote-hosts.ts). */
  customerHosts?: { product: string };
  exampleUrls: readonly string[];
  /** JSON Schema of the connection's `remote` part, as the admin enters it. */
  settingsSchema: unknown;
  /** Secret fields each auth method needs, by the method's `kind` (`default` when the settings have no `auth`). */
  credentialFields: Record<string, string[]>;
  /** What the system calls each secret field, and where a person finds it. */
  secretLabels: Partial<Record<SecretField, { label: string; help?: string }>>;
  /** Settings whose change keeps the stored secret (every other change of `remote` needs it typed again). */
  behaviourSettings: readonly string[];
  /** A new connection's first field pairs. */
  starterFields: SystemDefinition['starterFields'];
  /** `automatic`: Crosswalk creates the service hook or webhook when the connection is saved; `manual`: an admin pastes it. */
  changePush: 'automatic' | 'manual';
  capabilities: {
    commentVisibilities: readonly string[];
    commentEdit: boolean;
    commentDelete: boolean;
    attachments: boolean;
    userSearch: boolean;
  };
  /** How the system resolves (sync/resolution.ts), for the wizard's resolution pairs; absent: none crosses. */
  resolution?: { codeLabel?: string; notesLabel?: string };
  /** Whether its items have SLAs that can be copied into a Jira field (sync/sla-field.ts). */
  slas: boolean;
}

function authKinds(schema: unknown): string[] {
  type Variant = { properties?: { kind?: { const?: unknown } } };
  const auth = (schema as { properties?: { auth?: Variant & { oneOf?: Variant[]; anyOf?: Variant[] } } })?.properties
    ?.auth;
  if (!auth) return [];
  return (auth.oneOf ?? auth.anyOf ?? [auth])
    .map((v) => v.properties?.kind?.const)
    .filter((k): k is string => typeof k === 'string');
}

/** Which secret field makes a connection of this auth method complete, asked of the system's own check. */
function secretsFor(system: SystemDefinition, authKind: string | undefined): string[] {
  const remote = {
    type: system.kind,
    baseUrl: system.exampleUrls[0] ?? '',
    ...(authKind ? { auth: { kind: authKind } } : {}),
  };
  const missing = (credential: Credential) => {
    try {
      return system.missingCredential(remote as never, credential);
    } catch {
      return 'unknown';
    }
  };
  if (!missing({})) return [];
  const single = SECRET_FIELDS.filter((f) => !missing({ [f]: 'x' }));
  if (single.length) return [single[0]!];
  return !missing(Object.fromEntries(SECRET_FIELDS.map((f) => [f, 'x']))) ? [...SECRET_FIELDS] : ['password'];
}

export function describeSystem(system: SystemDefinition): SystemDescription {
  let settingsSchema: unknown = {};
  try {
    settingsSchema = z.toJSONSchema(system.remoteSchema, { io: 'input', unrepresentable: 'any' });
  } catch {
    settingsSchema = {};
  }
  const kinds = authKinds(settingsSchema);
  const credentialFields = kinds.length
    ? Object.fromEntries(kinds.map((k) => [k, secretsFor(system, k)]))
    : { default: secretsFor(system, undefined) };
  return {
    kind: system.kind,
    label: system.label,
    hostPatterns: system.hostPatterns,
    ...(system.customerHosts ? { customerHosts: system.customerHosts } : {}),
    exampleUrls: system.exampleUrls,
    settingsSchema,
    credentialFields,
    secretLabels: system.texts.secrets ?? {},
    behaviourSettings: system.behaviourSettings ?? [],
    starterFields: system.starterFields,
    changePush: system.notifications.provision ? 'automatic' : 'manual',
    capabilities: {
      commentVisibilities: system.capabilities.commentVisibilities,
      commentEdit: system.capabilities.commentEdit,
      commentDelete: system.capabilities.commentDelete,
      attachments: system.capabilities.attachments.upload,
      userSearch: Boolean(system.capabilities.userSearch),
    },
    ...(system.resolution
      ? {
          resolution: {
            ...(system.resolution.code ? { codeLabel: system.resolution.code.label } : {}),
            ...(system.resolution.notes ? { notesLabel: system.resolution.notes.label } : {}),
          },
        }
      : {}),
    slas: Boolean(system.capabilities.slas),
  };
}

/** The secret fields a connection with these settings needs, in the order the wizard asks for them. */
export function secretsNeeded(system: SystemDefinition, remote: Readonly<Record<string, unknown>>): string[] {
  const kind = (remote.auth as { kind?: unknown } | undefined)?.kind;
  return secretsFor(system, typeof kind === 'string' ? kind : undefined);
}

/** What people call a secret field of this system ("API token"). */
export function secretLabel(system: SystemDefinition, field: string): string {
  const generic: Record<string, string> = { password: 'Password', clientSecret: 'OAuth client secret', token: 'Token' };
  return system.texts.secrets?.[field as SecretField]?.label ?? generic[field] ?? field;
}
