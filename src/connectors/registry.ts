/**
 * The per-system registry: everything the engine, the handlers and the
 * settings resolvers need to know about a remote system, as one entry. Adding
 * a system is one folder under src/connectors/<system> exporting a
 * `SystemDefinition`, plus one line in `SYSTEMS` below; nothing in src/sync
 * names a system.
 */
import type * as z from 'zod';
import type { Credential } from '../vocabulary/credential';
import type { DerivedFieldDefinition, ItemTypeField } from '../vocabulary/system-terms';
import type { Capabilities, Connector, RemoteEvidence, RemoteSystemKind } from './ports';
import { azureDevOpsSystem } from './azure-devops/system';
import { freshserviceSystem } from './freshservice/system';
import { gitHubSystem } from './github/system';
import { serviceNowSystem } from './servicenow/system';
import { zendeskSystem } from './zendesk/system';

/** The secrets a person types for a connection (the webhook secret is Crosswalk's own). */
export type SecretField = Exclude<keyof Credential, 'webhookSecret'>;

/** A notification as the web trigger received it. */
export interface InboundNotification {
  headers: Readonly<Record<string, readonly string[] | undefined>>;
  body: string;
}

/** What a verified notification says: which remote items to look at, and who changed them. */
export interface NotificationRef {
  remoteId: string;
  event: string;
  /** Who made the change, in the remote's own terms (a user name). */
  changedBy?: string;
  /**
   * The item's version the notification speaks of, only where a version names
   * the item's whole state, comments and files included (Azure DevOps' rev):
   * two deliveries about the same version and parts are one signal.
   */
  version?: string;
  /** The item's newest comment as the notification names it: when the pair has already seen it, the change brought no comment. */
  newestComment?: string;
  /** What the notification proves the item became, where it carries that (sync/evidence.ts decides whether it suffices). */
  shows?: RemoteEvidence;
  /**
   * Which parts of the item the change touched, as the system's notification says in its own words (ServiceNow's
   * `insert` and `journal`, GitHub's `issue_comment`): the engine reads only these. Absent: any part may have changed.
   */
  touches?: NotificationTouches;
}

/** The parts of an item a notification says changed; `created`: the item is new (everything of it is read). */
export interface NotificationTouches {
  created?: boolean;
  fields?: boolean;
  comments?: boolean;
  files?: boolean;
}

export interface ResolutionDefinition {
  /** The status field's values that mean resolved (entering one resolves the item). */
  resolvedStates: readonly string[];
  /** Why it was resolved (ServiceNow's close code, Azure DevOps's resolved reason): the field, and the value Jira's "Done" stands for. */
  code?: { field: string; label: string; fallback: string };
  /**
   * The resolution's text (ServiceNow's close notes). Without one, a resolution made in Jira is told in a comment
   * the remote keeps internal where it can (a Zendesk internal note), never public.
   */
  notes?: { field: string; label: string; maxLength: number };
}

export interface SystemDefinition<
  Remote extends { type: string; baseUrl: string } = { type: string; baseUrl: string },
> {
  kind: RemoteSystemKind;
  /** What people call it: "ServiceNow". */
  label: string;
  /**
   * The connection's `remote` part for this system (type, baseUrl, auth without secrets, scope). The settings
   * page draws its form from this schema alone: each setting's `title`, `description` and `examples` (zod
   * `.meta()`), and a choice's options as literals with their own title and description.
   */
  remoteSchema: z.ZodType<Remote>;
  /**
   * Settings of `remote` that change only what Crosswalk does there (Zendesk's closed-ticket handling), not
   * where it signs in, as whom, or what it may reach: changing one keeps the stored secret. Any other change
   * needs the secret typed again (src/mapping/secret-binding.ts).
   */
  behaviourSettings?: readonly string[];
  /** A new connection's first field pairs, which the admin then edits: the remote's title and description. */
  starterFields: ReadonlyArray<{ jira: string; remote: string; transform?: 'rich-text' | 'text' }>;
  /** Host patterns as Forge egress understands them (wildcard = subdomains only); manifest.yml declares each. */
  hostPatterns: readonly string[];
  /**
   * Whether a customer may run it on a host of their own (Azure DevOps Server, a ServiceNow instance on its own
   * domain), which no manifest can list: such a host is reached once a Jira admin approved it for the site (Forge's
   * customer-managed egress, `remote-hosts.ts`); `product` names what runs there, for the admin who approves it.
   */
  customerHosts?: { product: string };
  exampleUrls: readonly string[];
  capabilities: Capabilities;
  /**
   * Fields the remote computes from others for this connection's items and does not take a write to (ServiceNow's
   * incident priority from impact and urgency): a pair with one is written through its inputs
   * (mapping/derived-fields.ts). Absent: none.
   */
  derivedFields?(remote: Remote): readonly DerivedFieldDefinition[];
  /**
   * The remote field that tells an item's type, which a connection's type map pairs with Jira's issue types
   * (mapping/item-types.ts). Absent: the system's items have one type, and a connection pairs one issue type.
   */
  itemTypes?: ItemTypeField;
  /**
   * How the remote says an item is resolved and why (sync/resolution.ts): which status values mean resolved, the
   * field giving the reason and its values, and the field for the resolution's text. Absent: no resolution crosses.
   */
  resolution?: ResolutionDefinition;
  /** Which secret fields the connection needs; a missing one is an auth failure shown to the admin. */
  missingCredential(remote: Remote, credential: Credential | undefined): string | undefined;
  create(remote: Remote, credential: Credential): Connector;
  /** Inbound change notifications at `<web trigger URL>/<kind>/<connectionId>`. */
  notifications: {
    /** Authenticity and freshness, compared in constant time; false refuses the request. */
    verify(request: InboundNotification, credential: Credential, nowMs: number): boolean;
    /**
     * What `verify` vouches for (the signed bytes): a delivery is accepted once
     * by this. A header the signature does not cover can be added or changed by
     * anyone on the way, so it never makes a replay a new delivery.
     */
    replayKey(request: InboundNotification): string;
    /** The item references the body names; undefined when the body is not a notification. */
    parse(body: string, remote: Remote, headers?: InboundNotification['headers']): NotificationRef[] | undefined;
    /** The remote ids a body names, read before the connection is (so their links are read with it in one batch); a hint only, `parse` decides. */
    itemIds(body: string): string[];
    /** Whether the change was made by Crosswalk itself (dropped before any further work). */
    isOwnChange(ref: NotificationRef, remote: Remote): boolean;
    /**
     * Sets up the remote's change push to `url` (an Azure DevOps service hook,
     * a Zendesk webhook and trigger) when the connection is saved; absent where
     * an admin sets it up by hand (ServiceNow's business rule). Returns the
     * secret the remote signs with when the remote chose it, and what was made,
     * in words a project admin reads (named as the remote's own settings show
     * them, never by raw ids).
     */
    provision?(
      connector: Connector,
      target: { url: string; secret: string },
    ): Promise<{ secret?: string; description: string }>;
    /**
     * Where an admin sets the push up by hand (ServiceNow's business rules, a Freshservice automator rule): exactly
     * what to paste, with the notification URL and the signing secret (a placeholder when the secret is not shown).
     */
    manualSetup?(url: string, remote: Remote, secret: string): string;
    /** Removes what `provision` made, when the connection is deleted. */
    unprovision?(connector: Connector, target: { url: string }): Promise<void>;
  };
  /** Texts people read when a comment change cannot cross ("ServiceNow journal entries cannot be changed"). */
  texts: {
    /** How the remote tells Crosswalk about its changes, in words for the connection page (what is set up, by whom, and when). */
    changePush: string;
    /** What a person may type to find an item of it on the issue panel ("INC0010001 or words of the title"). */
    searchHint?: string;
    commentEditRefused: string;
    commentDeleteRefused: string;
    /** Where the remote cannot delete files (capabilities.attachments.delete false). */ fileDeleteRefused?: string;
    /** Where the remote takes no files (capabilities.attachments.upload false): why Jira's stay in Jira. */
    fileUploadRefused?: string;
    /**
     * Why the remote kept another value than the one written to a value-mapped field, where the system has a
     * rule for it (Zendesk never returns an assigned ticket to "new"); undefined: the engine says it generally.
     */
    valueNotTaken?(field: string, written: string, held: string): string | undefined;
    /** What this system calls each secret its sign-in needs ("API token"), and where a person finds it. */
    secrets?: Partial<Record<SecretField, { label: string; help?: string }>>;
  };
}

/** Only implemented systems are listed: a connection to anything else is refused when saved. */
// Each entry keeps its own Remote type; the registry erases it to the common shape.
export const SYSTEMS: Readonly<Record<string, SystemDefinition>> = {
  servicenow: serviceNowSystem as unknown as SystemDefinition,
  'azure-devops': azureDevOpsSystem as unknown as SystemDefinition,
  zendesk: zendeskSystem as unknown as SystemDefinition,
  github: gitHubSystem as unknown as SystemDefinition,
  freshservice: freshserviceSystem as unknown as SystemDefinition,
};

export function systemFor(kind: string): SystemDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(SYSTEMS, kind) ? SYSTEMS[kind] : undefined;
}

export function implementedSystems(): SystemDefinition[] {
  return Object.values(SYSTEMS);
}
