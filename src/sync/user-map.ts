/**
 * People across the two systems. The canonical value of a user field is the
 * remote user's id; a Jira user maps to it by the connection's user table
 * first, else by email where Jira shows it. A person who cannot be matched is a
 * visible mapping problem, never a guess.
 */
import * as jira from '../connectors/jira/client';
import type { Connector } from '../connectors/ports';
import type { ConnectionConfig } from '../mapping/connection-config';
import type { Read } from '../mapping/field-values';

export class UserMap {
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    private readonly config: ConnectionConfig,
    private readonly connector: Connector,
  ) {}

  private async cached(key: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    if (!this.cache.has(key)) this.cache.set(key, await load());
    return this.cache.get(key);
  }

  /** A Jira user field's value → the remote user id (null when nobody). */
  async fromJira(raw: unknown): Promise<Read> {
    if (raw === null || raw === undefined) return { ok: true, value: null };
    const user = raw as { accountId?: string; emailAddress?: string; displayName?: string };
    const row = this.config.users.table.find((r) => r.jiraAccountId === user.accountId);
    if (row) return { ok: true, value: row.remoteUserId };
    if (this.config.users.matchByEmail && user.emailAddress && this.connector.users) {
      const id = await this.cached(`email:${user.emailAddress}`, () =>
        this.connector.users!.idForEmail(user.emailAddress!),
      );
      if (id) return { ok: true, value: id };
    }
    // The person is not named: the reason is kept on the link, and Crosswalk keeps no names of people (a name is
    // profile data that goes stale and must go when the account closes; the field shows who it is).
    return { ok: false, reason: `The Jira user in this field has no matching ${this.config.remote.type} user` };
  }

  /** A remote user id → the Jira accountId to write. */
  async toJira(remoteUserId: string): Promise<string | undefined> {
    const row = this.config.users.table.find((r) => r.remoteUserId === remoteUserId);
    if (row) return row.jiraAccountId;
    if (!this.config.users.matchByEmail || !this.connector.users) return undefined;
    const email = await this.cached(`remote-email:${remoteUserId}`, () =>
      this.connector.users!.emailForId(remoteUserId),
    );
    return email ? this.cached(`jira:${email}`, () => jira.accountIdForEmail(email)) : undefined;
  }
}
