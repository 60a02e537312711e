/**
 * GitHub Issues' registry entry: connection settings, hosts, capabilities, how
 * a connector is built from the App's private key or a fine-grained token,
 * and its change push: a repository webhook Crosswalk makes when the
 * connection is saved and removes when it is deleted.
 */
import type { Credential } from '../../store/credentials';
import { SyncError } from '../errors';
import type { Connector } from '../ports';
import type { SystemDefinition } from '../registry';
import { GITHUB_CAPABILITIES, GitHubConnector, type GitHubAuth } from './client';
import { gitHubRemoteSchema, ownLoginOf, type GitHubRemote } from './remote';
import {
  deliveryItemIds,
  gitHubReplayKey,
  gitHubSignatureMatches,
  headerOf,
  HOOK_EVENTS,
  parseDeliveryRefs,
  SIGNATURE_HEADER,
} from './webhooks';

export { gitHubRemoteSchema, type GitHubRemote } from './remote';

function gitHubConnector(connector: Connector): GitHubConnector {
  if (!(connector instanceof GitHubConnector))
    throw new SyncError({ system: 'github', kind: 'validation', message: 'Not a GitHub connection' });
  return connector;
}

function authOf(remote: GitHubRemote, credential: Credential): GitHubAuth {
  return remote.auth.kind === 'app'
    ? {
        kind: 'app',
        appId: remote.auth.appId,
        installationId: remote.auth.installationId,
        privateKey: credential.clientSecret ?? '',
      }
    : { kind: 'token', token: credential.token ?? '' };
}

export const gitHubSystem: SystemDefinition<GitHubRemote> = {
  kind: 'github',
  label: 'GitHub',
  remoteSchema: gitHubRemoteSchema,
  starterFields: [
    { jira: 'summary', remote: 'title' },
    { jira: 'description', remote: 'body', transform: 'rich-text' },
  ],
  // The repository is typed as its web address; every API call goes to api.github.com (images to github.com).
  hostPatterns: ['api.github.com', 'github.com'],
  exampleUrls: ['https://github.com/acme/website'],
  capabilities: GITHUB_CAPABILITIES,
  itemTypes: { field: 'type', label: 'Issue type' },
  missingCredential(remote, credential) {
    if (remote.auth.kind === 'app')
      return credential?.clientSecret
        ? undefined
        : 'The connection has no private key of the GitHub App; an admin must enter it on the settings page';
    return credential?.token
      ? undefined
      : 'The connection has no GitHub token; an admin must enter it on the settings page';
  },
  create(remote, credential) {
    return new GitHubConnector({
      baseUrl: remote.baseUrl,
      auth: authOf(remote, credential),
      ownLogin: ownLoginOf(remote.auth),
    });
  },
  notifications: {
    // GitHub signs no timestamp, so a delivery's age cannot be checked: a replay is refused by its body (replayKey).
    verify(request, credential) {
      const secret = credential.webhookSecret;
      return Boolean(
        secret && gitHubSignatureMatches(secret, request.body, headerOf(request.headers, SIGNATURE_HEADER)),
      );
    },
    replayKey: gitHubReplayKey,
    parse: (body, remote, headers) => parseDeliveryRefs(body, remote.baseUrl, headers),
    itemIds: deliveryItemIds,
    isOwnChange(ref, remote) {
      return Boolean(ref.changedBy && ref.changedBy.toLowerCase() === ownLoginOf(remote.auth).toLowerCase());
    },
    /** One webhook per connection URL, found again on a second save (and given the new secret) instead of made twice. */
    async provision(connector, target) {
      const gh = gitHubConnector(connector);
      const existing = (await gh.listHooks()).find((h) => h.config.url === target.url);
      await gh.saveHook({
        ...(existing ? { id: existing.id } : {}),
        url: target.url,
        secret: target.secret,
        events: HOOK_EVENTS,
      });
      const { owner, repo } = gh.repository;
      // Named as the repository's Settings → Webhooks lists it: by the address it calls.
      return {
        description: `GitHub now sends issue and comment changes of ${owner}/${repo} to Crosswalk: a webhook for “Issues” and “Issue comments” is set up in the repository’s Settings → Webhooks.`,
      };
    },
    async unprovision(connector, target) {
      const gh = gitHubConnector(connector);
      for (const hook of await gh.listHooks()) if (hook.config.url === target.url) await gh.deleteHook(hook.id);
    },
  },
  texts: {
    changePush:
      'GitHub tells Crosswalk about each issue and comment change through a repository webhook that Crosswalk sets up when the connection is saved, and removes when it is deleted.',
    commentEditRefused: 'This GitHub comment could not be changed',
    commentDeleteRefused: 'This GitHub comment could not be deleted',
    fileDeleteRefused: 'GitHub has no files on issues to delete: images in a description stay where GitHub keeps them',
    fileUploadRefused:
      'GitHub has no way to attach a file to an issue through its API, so Jira’s files and the images they show are not copied there',
    valueNotTaken(field) {
      if (field === 'state_reason')
        return 'GitHub changes why an issue was closed only when it is closed or reopened, not on an issue already closed';
      // GitHub accepts these writes and drops them when the account has no push access (GH-OAS `issues/update`).
      if (['labels', 'assignees', 'milestone', 'type'].includes(field))
        return `GitHub keeps the ${field === 'type' ? 'issue type' : field} as they were when Crosswalk’s account has no write (push) access to the repository, or the value is not one the repository has`;
      return undefined;
    },
    secrets: {
      clientSecret: {
        label: 'Private key of the GitHub App',
        help: 'The whole .pem file made under the App’s settings → General → Private keys.',
      },
      token: {
        label: 'Fine-grained personal access token',
        help: 'Made under your GitHub settings → Developer settings → Fine-grained tokens, for this repository.',
      },
    },
  },
};
