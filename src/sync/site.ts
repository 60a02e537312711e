import { createHash } from 'node:crypto';
import { getAppContext } from '@forge/api';

/**
 * A short, stable tag of this installation (a Jira site). Correlation markers
 * carry it, because two Jira sites may pair with the same remote instance and
 * their issue ids and connection names can be the same: one site must never
 * take another's remote item for its own.
 */
export function siteTag(): string {
  return createHash('sha256').update(String(getAppContext().installationAri)).digest('hex').slice(0, 8);
}
