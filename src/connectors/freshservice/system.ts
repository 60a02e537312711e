/**
 * Freshservice's registry entry: connection settings, hosts, capabilities, how
 * a connector is built from the API key, and its change push, which an admin
 * sets up by hand (Freshservice has no API for it): a Workflow Automator rule
 * whose webhook carries the connection's secret in a header.
 */
import * as z from 'zod';
import type { Credential } from '../../store/credentials';
import type { SystemDefinition } from '../registry';
import { FRESHSERVICE_CAPABILITIES, FreshserviceConnector } from './client';
import { REPLY_EDIT_REFUSED } from './conversations';
import { madeBy, manualSetupSteps, parseNotification, replayKeyOf, ticketIdsOf, verifySecret } from './notifications';

/**
 * Only the account's own freshservice.com name: the API is not served on a
 * custom CNAME (§2.1), so a portal's vanity domain would fail every call.
 */
export const FRESHSERVICE_URL = /^https:\/\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.freshservice\.com\/?$/;

export const freshserviceRemoteSchema = z.object({
  type: z.literal('freshservice'),
  baseUrl: z
    .string()
    .regex(FRESHSERVICE_URL, 'must be https://<your domain>.freshservice.com (a custom domain does not serve the API)')
    .meta({
      title: 'Freshservice URL',
      description:
        'Your account’s own address, https://<domain>.freshservice.com; a custom domain of your portal does not serve the API.',
      examples: ['https://acme.freshservice.com'],
    }),
  workspaceId: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({
      title: 'Workspace ID',
      description:
        'Only tickets of this workspace pair with Jira issues (accounts with several workspaces); empty: the account’s tickets.',
      examples: [2],
    }),
  requesterEmail: z.email().meta({
    title: 'Requester of tickets made from Jira',
    description:
      'Who tickets Crosswalk makes from Jira issues are requested for: an existing requester or agent. Freshservice needs one for every ticket.',
    examples: ['it-requests@acme.example'],
  }),
  correlationField: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be the name of a custom text field')
    .default('crosswalk_id')
    .meta({
      title: 'Custom field for the Jira link',
      description:
        'The name of a custom text field on the ticket form where Crosswalk writes which Jira issue a ticket pairs with (Admin → Field Manager → Ticket Fields).',
      examples: ['crosswalk_id'],
    }),
  auth: z
    .object({
      kind: z.literal('api-key'),
      agentEmail: z.email().meta({
        title: 'Email of the integration agent',
        description:
          'The agent whose API key Crosswalk uses; changes this agent makes are known as Crosswalk’s own and are not sent back to Jira.',
        examples: ['crosswalk@acme.example'],
      }),
    })
    .meta({ title: 'API key' }),
});
export type FreshserviceRemote = z.infer<typeof freshserviceRemoteSchema>;

export const freshserviceSystem: SystemDefinition<FreshserviceRemote> = {
  kind: 'freshservice',
  label: 'Freshservice',
  remoteSchema: freshserviceRemoteSchema,
  // Who Jira's tickets are requested for and where the link is written change what Crosswalk does there, not where
  // it signs in or what it may reach (a workspace does): the stored key stays.
  behaviourSettings: ['requesterEmail', 'correlationField'],
  starterFields: [
    { jira: 'summary', remote: 'subject' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
  ],
  hostPatterns: ['*.freshservice.com'],
  exampleUrls: ['https://acme.freshservice.com'],
  capabilities: FRESHSERVICE_CAPABILITIES,
  itemTypes: { field: 'type', label: 'Ticket type' },
  // Resolved and Closed. Freshservice has no reason field of its own: a resolution made in Jira is told in a private note.
  resolution: { resolvedStates: ['4', '5'] },
  missingCredential(_remote, credential) {
    return credential?.token
      ? undefined
      : 'The connection has no Freshservice API key; an admin must enter it on the settings page';
  },
  create(remote, credential: Credential) {
    return new FreshserviceConnector({
      baseUrl: remote.baseUrl,
      apiKey: credential.token ?? '',
      agentEmail: remote.auth.agentEmail,
      requesterEmail: remote.requesterEmail,
      workspaceId: remote.workspaceId,
      correlationField: remote.correlationField,
    });
  },
  notifications: {
    // The secret header is all there is: Freshservice signs nothing and stamps nothing the sender could not change.
    verify: (request, credential) => verifySecret(request, credential.webhookSecret),
    replayKey: replayKeyOf,
    parse: (body) => parseNotification(body),
    itemIds: ticketIdsOf,
    isOwnChange: (ref, remote) => madeBy(ref, remote.auth.agentEmail),
    manualSetup: (url: string, _remote: FreshserviceRemote, secret: string | undefined) =>
      manualSetupSteps(url, secret),
  } as SystemDefinition<FreshserviceRemote>['notifications'] & {
    manualSetup(url: string, remote: FreshserviceRemote, secret: string | undefined): string;
  },
  texts: {
    changePush:
      'Freshservice tells Crosswalk about ticket changes through a Workflow Automator rule a Freshservice admin adds by hand (Freshservice offers no way to set one up for them): on a ticket raised or updated, a note added or a reply sent, it triggers a webhook to this connection’s address with the connection’s secret in a header. Until the rule exists, changes still arrive through the sweep every few minutes.',
    commentEditRefused: REPLY_EDIT_REFUSED,
    commentDeleteRefused: 'Freshservice refused to delete the conversation',
    fileDeleteRefused: 'Freshservice refused to delete the attachment',
    secrets: {
      token: {
        label: 'API key',
        help: 'The integration agent’s API key: in Freshservice, its profile settings → API key.',
      },
    },
  },
};
