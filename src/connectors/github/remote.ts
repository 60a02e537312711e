/**
 * A GitHub connection's `remote` settings: the repository a person types (its
 * web address), and how Crosswalk signs in: as a GitHub App installation (the
 * private key is the secret) or with a fine-grained token. Who Crosswalk acts
 * as on GitHub is part of the settings, as ServiceNow's and Zendesk's
 * integration user is: notifications name a login, and a change signed by our
 * own login is our own write coming back.
 */
import * as z from 'zod';

/** GitHub's logins: letters, digits and single hyphens, at most 39 (an App's bot adds `[bot]`). */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** An App's slug, as its public page `github.com/apps/<slug>` names it. */
const APP_SLUG = /^[a-z0-9][a-z0-9-]{0,33}$/;
/**
 * `https://github.com/<owner>/<repo>`: what the repository's page shows in the address bar. github.com only: the
 * API Crosswalk reaches is api.github.com (GitHub Enterprise Server, on a host of its own, is not offered).
 */
const REPOSITORY_URL = /^https:\/\/github\.com\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})\/?$/i;

const appAuth = z
  .object({
    kind: z.literal('app'),
    appId: z
      .string()
      .regex(/^\d{1,12}$/, 'must be the App ID GitHub shows on the App’s settings page')
      .meta({
        title: 'App ID',
        description: 'The number under “App ID” on your GitHub App’s settings page (General → About).',
        examples: ['123456'],
      }),
    installationId: z
      .string()
      .regex(/^\d{1,16}$/, 'must be the installation’s number')
      .meta({
        title: 'Installation ID',
        description:
          'The number at the end of the address of the App’s installation on the repository’s owner (Settings → GitHub Apps → Configure).',
        examples: ['98765432'],
      }),
    appSlug: z
      .string()
      .regex(APP_SLUG, 'must be the App’s name as its address shows it (github.com/apps/<name>)')
      .meta({
        title: 'App name in its address',
        description:
          'The last part of github.com/apps/<name>: GitHub shows the App’s changes as made by “<name>[bot]”, which tells Crosswalk its own changes apart.',
        examples: ['crosswalk-sync'],
      }),
  })
  .meta({
    title: 'GitHub App',
    description:
      'Recommended. Its private key is the secret; it needs Issues (read and write) and Webhooks (read and write).',
  });

const tokenAuth = z
  .object({
    kind: z.literal('token'),
    login: z
      .string()
      .regex(LOGIN, 'must be a GitHub login')
      .meta({
        title: 'Login of the token’s account',
        description:
          'The GitHub account the token belongs to: its changes are Crosswalk’s own, so use an account kept for Crosswalk.',
        examples: ['acme-crosswalk'],
      }),
  })
  .meta({
    title: 'Fine-grained personal access token',
    description: 'A token with Issues (read and write) and Webhooks (read and write) on the repository.',
  });

export const gitHubRemoteSchema = z.object({
  type: z.literal('github'),
  baseUrl: z
    .url()
    .regex(REPOSITORY_URL, 'must be the repository’s address, https://github.com/<owner>/<repository>')
    .meta({
      title: 'Repository',
      description: 'The address of the repository whose issues pair with Jira issues, as your browser shows it.',
      examples: ['https://github.com/acme/website'],
    }),
  auth: z.discriminatedUnion('kind', [appAuth, tokenAuth]).meta({ title: 'Sign in with' }),
});
export type GitHubRemote = z.infer<typeof gitHubRemoteSchema>;
export type GitHubAuthSettings = GitHubRemote['auth'];

export interface RepositoryRef {
  /** The web origin people open issues on (https://github.com); inline images live there too. */
  webOrigin: string;
  owner: string;
  repo: string;
}

/** The owner and repository a repository URL names; throws on anything else (the schema refused it already). */
export function repositoryOf(baseUrl: string): RepositoryRef {
  const match = REPOSITORY_URL.exec(baseUrl);
  if (!match) throw new Error(`Not a GitHub repository address: ${baseUrl}`);
  return { webOrigin: new URL(baseUrl).origin, owner: match[1]!, repo: match[2]! };
}

/** The login GitHub names Crosswalk's own changes by (an App acts as `<slug>[bot]`). */
export function ownLoginOf(auth: GitHubAuthSettings): string {
  return auth.kind === 'app' ? `${auth.appSlug}[bot]` : auth.login;
}
