import type { ConnectionConfig } from '../mapping/connection-config';
import type { Connector } from '../connectors/ports';
import { UserMap } from './user-map';

const config = {
  remote: { type: 'servicenow' },
  users: { matchByEmail: false, table: [{ jiraAccountId: 'acc-paired', remoteUserId: 'sn-beth' }] },
} as unknown as ConnectionConfig;
const users = new UserMap(config, {} as Connector);

it('maps a Jira user by the connection’s user table', async () => {
  expect(await users.fromJira({ accountId: 'acc-paired', displayName: 'Lee Lead' })).toEqual({
    ok: true,
    value: 'sn-beth',
  });
});

it('says a Jira user has no match without naming the person: the reason is stored, and Crosswalk keeps no profile data', async () => {
  const read = await users.fromJira({ accountId: 'acc-unpaired', displayName: 'Mia Member', emailAddress: 'mia@x' });
  expect(read).toEqual({ ok: false, reason: 'The Jira user in this field has no matching servicenow user' });
  expect(JSON.stringify(read)).not.toMatch(/Mia|acc-unpaired|mia@x/);
});
