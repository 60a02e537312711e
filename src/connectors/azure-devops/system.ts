/**
 * Azure DevOps' registry entry: the connection's settings (organization or
 * collection URL, project, work item type, a PAT), hosts, capabilities, and
 * change push through service hooks that Crosswalk creates itself when the
 * connection is saved.
 */
import * as z from 'zod';
import type { Credential } from '../../vocabulary/credential';
import { SyncError } from '../errors';
import type { Connector } from '../ports';
import type { InboundNotification, NotificationRef, SystemDefinition } from '../registry';
import { AZURE_DEVOPS_CAPABILITIES, AzureDevOpsConnector, itemFieldsOf } from './client';
import { basicAuthMatches, hookRef, isFresh, parseEnvelope } from './hooks';
import { parentIn } from './patch';

export const azureDevOpsRemoteSchema = z
  .object({
    type: z.literal('azure-devops'),
    /** The organization URL (https://dev.azure.com/acme, https://acme.visualstudio.com). */
    baseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
    /** Project name as Azure DevOps shows it (names cannot hold these characters). */
    project: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^\\/:*?"<>|;#$*{},+=[\]]+$/, 'must be an Azure DevOps project name')
      .meta({ title: 'Project', description: 'The Azure DevOps project, by its name.' }),
    /** The work item type Jira issues become (Bug, User Story, Issue, a custom type). */
    workItemType: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .meta({
        title: 'Work item type',
        description: 'What Jira issues become: Bug, User Story, Issue, or a type of your own.',
        examples: ['Bug'],
      }),
    auth: z
      .object({
        kind: z.literal('pat'),
        /** The unique name (sign-in address) the PAT belongs to: how Crosswalk knows its own comments and files. Read from the organization when absent. */
        user: z
          .string()
          .trim()
          .min(1)
          .max(256)
          .optional()
          .meta({
            title: "The token owner's sign-in address",
            description:
              'How Crosswalk knows its own comments and files. Optional: read from the organization when empty.',
            examples: ['crosswalk@acme.example'],
          }),
      })
      .meta({ title: 'Personal access token' }),
  })
  .superRefine((r, ctx) => {
    // On dev.azure.com the organization is the first path segment, and nothing else may follow it.
    let url: URL;
    try {
      url = new URL(r.baseUrl);
    } catch {
      return;
    }
    const segments = url.pathname.split('/').filter(Boolean);
    if (url.hostname === 'dev.azure.com' && segments.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'must be the organization URL, e.g. https://dev.azure.com/acme',
      });
    if (url.hostname.endsWith('.visualstudio.com') && segments.length !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'must be the organization URL, e.g. https://acme.visualstudio.com',
      });
    if (url.search || url.hash)
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'must not have a query or fragment' });
  });
export type AzureDevOpsRemote = z.infer<typeof azureDevOpsRemoteSchema>;

function connectorOf(connector: Connector): AzureDevOpsConnector {
  if (!(connector instanceof AzureDevOpsConnector))
    throw new SyncError({ system: 'azure-devops', kind: 'validation', message: 'Not an Azure DevOps connection' });
  return connector;
}

/** An update's hook carries the whole revision it made: the work item as that revision left it (sync/evidence.ts). */
function shownBy(envelope: NonNullable<ReturnType<typeof parseEnvelope>>): Pick<NotificationRef, 'shows'> {
  const revision = envelope.eventType === 'workitem.updated' ? envelope.resource.revision : undefined;
  const changedAt = revision?.fields?.['System.ChangedDate'];
  if (
    !revision?.fields ||
    revision.rev === undefined ||
    typeof changedAt !== 'string' ||
    !Number.isFinite(Date.parse(changedAt))
  )
    return {};
  return {
    shows: {
      version: String(revision.rev),
      updatedAt: Date.parse(changedAt),
      fields: itemFieldsOf(revision.fields).fields,
      complete: true,
      // The revision's relations, where the delivery carries them, say its parent (none when no Parent link).
      ...(Array.isArray(revision.relations) ? { parent: parentIn(revision.relations) ?? null } : {}),
    },
  };
}

export const azureDevOpsSystem: SystemDefinition<AzureDevOpsRemote> = {
  kind: 'azure-devops',
  label: 'Azure DevOps',
  remoteSchema: azureDevOpsRemoteSchema,
  starterFields: [
    { jira: 'summary', remote: 'System.Title' },
    { jira: 'description', remote: 'System.Description', transform: 'rich-text' },
  ],
  hostPatterns: ['dev.azure.com', '*.visualstudio.com'],
  // Azure DevOps Server runs on the customer's own host (https://host/DefaultCollection, or /tfs/DefaultCollection).
  customerHosts: { product: 'Azure DevOps Server' },
  exampleUrls: ['https://dev.azure.com/acme', 'https://acme.visualstudio.com'],
  capabilities: AZURE_DEVOPS_CAPABILITIES,
  itemTypes: { field: 'System.WorkItemType', label: 'Work item type' },
  // Agile's and Scrum's resolved and done states; the reason is Resolved Reason, which the process fills from the state's reason.
  resolution: {
    resolvedStates: ['Resolved', 'Closed', 'Done'],
    code: { field: 'Microsoft.VSTS.Common.ResolvedReason', label: 'Resolved Reason', fallback: 'Fixed' },
  },
  missingCredential(_remote, credential) {
    return credential?.token
      ? undefined
      : 'The connection has no personal access token; an admin must enter it on the settings page';
  },
  create(remote, credential: Credential) {
    return new AzureDevOpsConnector({
      baseUrl: remote.baseUrl,
      project: remote.project,
      workItemType: remote.workItemType,
      pat: credential.token ?? '',
      ...(remote.auth.user ? { user: remote.auth.user } : {}),
    });
  },
  notifications: {
    verify(request: InboundNotification, credential: Credential, nowMs: number): boolean {
      const secret = credential.webhookSecret;
      if (!secret || !basicAuthMatches(request.headers.authorization?.[0], secret)) return false;
      const envelope = parseEnvelope(request.body);
      // A replay of an old delivery is refused; the envelope's createdDate is all the freshness it offers.
      return Boolean(envelope && isFresh(envelope, nowMs));
    },
    // The Basic secret vouches for the request as a whole, and only the body tells deliveries apart (its notification id
    // and creation time); every other header is the subscription's, the same on each delivery, or added on the way.
    replayKey: (request) => request.body,
    parse(body, remote): NotificationRef[] | undefined {
      const envelope = parseEnvelope(body);
      if (!envelope) return undefined;
      const ref = hookRef(envelope);
      if (!ref) return [];
      if (ref.project && ref.project.toLowerCase() !== remote.project.toLowerCase()) return [];
      return [
        {
          remoteId: ref.workItemId,
          event: ref.event,
          touches: ref.touches,
          ...(ref.changedBy ? { changedBy: ref.changedBy } : {}),
          ...(ref.rev !== undefined ? { version: String(ref.rev) } : {}),
          ...shownBy(envelope),
        },
      ];
    },
    itemIds(body) {
      const envelope = parseEnvelope(body);
      const ref = envelope && hookRef(envelope);
      return ref ? [ref.workItemId] : [];
    },
    isOwnChange(ref, remote) {
      const own = remote.auth.user?.toLowerCase();
      return Boolean(own && ref.changedBy === own);
    },
    async provision(connector, target) {
      const made = await connectorOf(connector).provisionHooks(target.url, target.secret);
      return {
        description: `Azure DevOps now sends work item changes to Crosswalk: ${made} service hooks (work item created, updated, commented, deleted) are set up in the project's service hooks settings.`,
      };
    },
    async unprovision(connector, target) {
      await connectorOf(connector).removeHooks(target.url);
    },
  },
  texts: {
    changePush:
      'Azure DevOps tells Crosswalk about each work item change through service hooks that Crosswalk sets up in the project when the connection is saved, and removes when it is deleted.',
    commentEditRefused: 'Azure DevOps comment edits are not copied yet',
    commentDeleteRefused: 'Azure DevOps comment deletions are not copied yet',
    secrets: {
      token: {
        label: 'Personal access token',
        help: 'Made in Azure DevOps under User settings → Personal access tokens, by the account Crosswalk works as.',
      },
    },
  },
};
