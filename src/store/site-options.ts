/**
 * Options a Jira admin sets for the whole site on Crosswalk's admin page. For
 * now: which remote hosts connections may use, narrower than what the
 * systems' host patterns (and the manifest's egress) allow. Enforced on the
 * server when a connection is saved (resolvers/address-guard.ts).
 */
import { kvs } from '@forge/kvs';
import { CLOSED_ACCOUNT, noteAccounts } from './personal-data';

export interface SiteOptions {
  /** Host names or `*.domain` patterns; absent = every host the systems allow. */
  allowedHosts?: string[];
  updatedBy?: string;
  updatedAt?: string;
}

const KEY = 'site-options';

export async function getSiteOptions(): Promise<SiteOptions> {
  return ((await kvs.get<SiteOptions>(KEY)) as SiteOptions | undefined) ?? {};
}

export async function saveSiteOptions(options: SiteOptions): Promise<void> {
  await noteAccounts([options.updatedBy]);
  await kvs.set(KEY, options);
}

/** The options stay; who saved them is no longer named once that account is closed. */
export async function anonymiseSiteOptionsBy(closed: ReadonlySet<string>): Promise<boolean> {
  const options = await getSiteOptions();
  if (!options.updatedBy || !closed.has(options.updatedBy)) return false;
  await kvs.set(KEY, { ...options, updatedBy: CLOSED_ACCOUNT });
  return true;
}
