import { azureDevOpsSystem, type AzureDevOpsRemote } from './system';
import { basicAuthMatches, hookRef, parseEnvelope } from './hooks';

const remote: AzureDevOpsRemote = {
  type: 'azure-devops',
  baseUrl: 'https://dev.azure.com/acme',
  project: 'Operations',
  workItemType: 'Bug',
  auth: { kind: 'pat', user: 'crosswalk@acme.example' },
};
const SECRET = 'a-webhook-secret-of-enough-length';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const NOW = Date.parse('2026-03-01T12:00:00Z');

const updated = (over: Record<string, unknown> = {}) => ({
  subscriptionId: 's',
  notificationId: 3,
  eventType: 'workitem.updated',
  publisherId: 'tfs',
  createdDate: '2026-03-01T11:59:58.123Z',
  resource: {
    id: 5,
    workItemId: 42,
    rev: 5,
    revisedBy: { displayName: 'Dana Agent', uniqueName: 'dana@acme.example' },
    fields: {
      'System.Title': { oldValue: 'a', newValue: 'b' },
      'System.ChangedBy': {
        oldValue: 'Crosswalk Integration <crosswalk@acme.example>',
        newValue: 'Dana Agent <dana@acme.example>',
      },
    },
    revision: {
      id: 42,
      rev: 5,
      fields: { 'System.TeamProject': 'Operations', 'System.ChangedBy': 'Dana Agent <dana@acme.example>' },
    },
  },
  ...over,
});

describe('service hook deliveries', () => {
  const verify = (authorization: string | undefined, body: unknown, now = NOW) =>
    azureDevOpsSystem.notifications.verify(
      { headers: { authorization: authorization ? [authorization] : undefined }, body: JSON.stringify(body) },
      { token: 'pat', webhookSecret: SECRET },
      now,
    );

  it('are accepted only with our Basic user and secret, and only while fresh', () => {
    expect(verify(basic('crosswalk', SECRET), updated())).toBe(true);
    expect(verify(basic('crosswalk', `${SECRET}x`), updated())).toBe(false);
    expect(verify(basic('someone', SECRET), updated())).toBe(false);
    expect(verify(undefined, updated())).toBe(false);
    expect(verify(`Bearer ${SECRET}`, updated())).toBe(false);
    // A replay of an old delivery, or one dated in the future, is refused.
    expect(verify(basic('crosswalk', SECRET), updated(), NOW + 11 * 60_000)).toBe(false);
    expect(verify(basic('crosswalk', SECRET), updated({ createdDate: '2026-03-01T12:10:00Z' }))).toBe(false);
    expect(verify(basic('crosswalk', SECRET), { not: 'a delivery' })).toBe(false);
    expect(basicAuthMatches('Basic !!!', SECRET)).toBe(false);
  });

  it('name the work item (for updates workItemId, not the update number), who changed it and its revision', () => {
    expect(azureDevOpsSystem.notifications.parse(JSON.stringify(updated()), remote)).toEqual([
      {
        remoteId: '42',
        event: 'azure-devops:workitem.updated',
        touches: { created: false, fields: true, comments: false, files: false },
        changedBy: 'dana@acme.example',
        version: '5',
      },
    ]);
    const created = {
      eventType: 'workitem.created',
      createdDate: '2026-03-01T11:59:58Z',
      resource: {
        id: 43,
        rev: 1,
        fields: { 'System.TeamProject': 'Operations', 'System.ChangedBy': 'Dana Agent <dana@acme.example>' },
      },
    };
    expect(azureDevOpsSystem.notifications.parse(JSON.stringify(created), remote)).toEqual([
      {
        remoteId: '43',
        event: 'azure-devops:workitem.created',
        touches: { created: true, fields: true, comments: false, files: false },
        changedBy: 'dana@acme.example',
        version: '1',
      },
    ]);
    expect(azureDevOpsSystem.notifications.itemIds(JSON.stringify(updated()))).toEqual(['42']);
  });

  it('say when comments or files changed, so the reconcile looks at them', () => {
    const comment = updated({
      resource: {
        ...updated().resource,
        fields: { 'System.CommentCount': { oldValue: 0, newValue: 1 }, 'System.History': { newValue: '<p>hi</p>' } },
      },
    });
    expect(hookRef(parseEnvelope(JSON.stringify(comment))!)?.touches).toMatchObject({ comments: true, files: false });
    const file = updated({
      resource: { ...updated().resource, relations: { added: [{ rel: 'AttachedFile', url: 'x' }] } },
    });
    expect(hookRef(parseEnvelope(JSON.stringify(file))!)?.touches).toMatchObject({ comments: false, files: true });
    expect(
      hookRef(parseEnvelope(JSON.stringify({ eventType: 'workitem.commented', resource: { id: 42, fields: {} } }))!)
        ?.touches,
    ).toMatchObject({ comments: true });
  });

  it("of Crosswalk's own writes are recognised, and other projects' items are not ours", () => {
    const own = updated({ resource: { ...updated().resource, revisedBy: { uniqueName: 'Crosswalk@Acme.example' } } });
    const [ref] = azureDevOpsSystem.notifications.parse(JSON.stringify(own), remote)!;
    expect(azureDevOpsSystem.notifications.isOwnChange(ref!, remote)).toBe(true);
    const [theirs] = azureDevOpsSystem.notifications.parse(JSON.stringify(updated()), remote)!;
    expect(azureDevOpsSystem.notifications.isOwnChange(theirs!, remote)).toBe(false);
    const elsewhere = updated({
      resource: { ...updated().resource, revision: { fields: { 'System.TeamProject': 'Helpdesk' } } },
    });
    expect(azureDevOpsSystem.notifications.parse(JSON.stringify(elsewhere), remote)).toEqual([]);
    expect(azureDevOpsSystem.notifications.parse('<html>', remote)).toBeUndefined();
  });
});

describe('the connection settings', () => {
  const parse = (over: Record<string, unknown>) => azureDevOpsSystem.remoteSchema.safeParse({ ...remote, ...over });
  it('need the organization URL itself', () => {
    expect(parse({}).success).toBe(true);
    expect(parse({ baseUrl: 'https://acme.visualstudio.com/' }).success).toBe(true);
    expect(parse({ baseUrl: 'https://dev.azure.com' }).success).toBe(false);
    expect(parse({ baseUrl: 'https://dev.azure.com/acme/Operations' }).success).toBe(false);
  });
  it('take a project name Azure DevOps allows, and a PAT with an optional user', () => {
    expect(parse({ project: 'Ops/../x' }).success).toBe(false);
    expect(parse({ auth: { kind: 'pat' } }).success).toBe(true);
    expect(parse({ auth: { kind: 'basic', username: 'x' } }).success).toBe(false);
  });
});
