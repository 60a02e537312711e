/**
 * A problem's place in the page's words: every path the server can answer is
 * named as the page labels it (the settings' titles from the registry, the
 * mapping row as "Jira field 4 (Priority)"), never as the path itself.
 */
import { implementedSystems, type SecretField } from '../../../src/connectors/registry';
import { describeSystem } from '../../../src/resolvers/systems';
import { placeOf, stepOf, type PlaceContext } from './problem-words';
import type { JsonSchema } from './types';

const zendesk = describeSystem(implementedSystems().find((s) => s.kind === 'zendesk')!);
const servicenow = describeSystem(implementedSystems().find((s) => s.kind === 'servicenow')!);

const context = (system: typeof zendesk, remote: Record<string, unknown>): PlaceContext => ({
  schema: system.settingsSchema as JsonSchema,
  remote,
  secretLabel: (f) => system.secretLabels[f as SecretField]?.label ?? f,
  systemLabel: system.label,
  fields: [
    { jira: 'summary', remote: 'subject' },
    { jira: 'description', remote: 'description' },
    { jira: 'status', remote: 'status' },
    { jira: 'priority', remote: 'priority' },
  ],
  jiraFieldName: (id) => ({ summary: 'Summary', priority: 'Priority', status: 'Status' })[id],
});

describe('where a problem lies, in the page’s words', () => {
  const zd = context(zendesk, { type: 'zendesk', auth: { kind: 'api-token' } });
  const sn = context(servicenow, { type: 'servicenow', auth: { kind: 'oauth' } });

  it.each([
    ['remote.auth', 'Sign-in', zd],
    ['remote.auth.email', 'Email of the integration user', zd],
    ['remote.closedTickets', 'Closed tickets', zd],
    ['remote.baseUrl', 'Instance URL', zd],
    ['credential.token', 'API token', zd],
    ['remote.auth.clientId', 'OAuth client ID', sn],
    ['remote.table', 'Table', sn],
    ['fields.3.valueMap', 'Jira field 4 (Priority), value map', zd],
    ['fields.3.valueMap.1.remote', 'Jira field 4 (Priority), value map row 2', zd],
    ['fields.0.remote', 'Jira field 1 (Summary), Zendesk field', zd],
    ['fields.2.transform', 'Jira field 3 (Status), values', zd],
    ['fields.1', 'Jira field 2 (description)', zd],
    ['remoteFilter.0.value', 'Condition 1 for Zendesk items', zd],
    ['remoteFilter.0.values', 'Condition 1 for Zendesk items', zd],
    ['remoteFilter.1.anyOf', 'OR group 2 for Zendesk items', zd],
    ['remoteFilter.1.anyOf.0.values', 'Condition 1 of OR group 2 for Zendesk items', zd],
    ['linkFilter.2', 'Link condition 3 for Zendesk items', zd],
    ['linkFilter.0.anyOf.1.field', 'Link condition 2 of link OR group 1 for Zendesk items', zd],
    ['users.table.2', 'Person pair 3', zd],
    ['attachments.allowedTypes.0', 'File types that cross', zd],
    ['remote.filter.0.field', 'Filter 1 › Field', sn],
    ['fields.3.rules.0.when.1.values', 'Jira field 4 (Priority), rule 1, condition 2', zd],
    ['fields.3.rules.1.then', 'Jira field 4 (Priority), rule 2, value', zd],
    ['fields.3.fallback', 'Jira field 4 (Priority), rules, otherwise', zd],
  ] as const)('%s is "%s"', (path, place, ctx) => {
    expect(placeOf(path, ctx)).toBe(place);
  });

  it('goes back no further than the step that shows the setting', () => {
    expect(['name', 'remote.auth', 'credential.token', 'fields.3.valueMap', 'item.issueKey'].map(stepOf)).toEqual([
      0, 1, 1, 2, 3,
    ]);
  });
});
