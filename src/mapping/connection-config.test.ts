import { remoteConditionSchema, validateConnectionSettings as validateConnectionConfig } from './connection-config';

const valid = {
  name: 'DEMO ↔ ACME incidents',
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'oauth', clientId: 'crosswalk', username: 'crosswalk.integration' },
  },
  fields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'state',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: '1' },
        { jira: 'Done', remote: '6' },
      ],
    },
  ],
};

describe('connection configuration', () => {
  it('accepts a complete configuration and fills in defaults', () => {
    const r = validateConnectionConfig(valid);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.settings.conflictPolicy).toBe('newest-wins');
      expect(r.settings.enabled).toBe(false);
      expect(r.settings.fields[0]!.direction).toBe('both');
      expect(r.settings.attachments.maxBytes).toBe(50 * 1024 * 1024);
    }
  });

  it('reports every problem with its path', () => {
    const r = validateConnectionConfig({
      ...valid,
      remote: { ...valid.remote, baseUrl: 'http://acme.service-now.com', table: 'Incident; drop' },
      fields: [
        { jira: 'summary', remote: 'short_description' },
        { jira: 'summary', remote: 'x' },
        { jira: 'status', remote: 'state' },
      ],
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path).sort()).toEqual(
        ['fields.1.jira', 'fields.2.transform', 'remote.baseUrl', 'remote.table'].sort(),
      );
  });

  it('refuses a base URL on a host the manifest does not declare', () => {
    const r = validateConnectionConfig({ ...valid, remote: { ...valid.remote, baseUrl: 'https://acme.example.com' } });
    expect(!r.ok && r.problems).toEqual([
      {
        path: 'remote.baseUrl',
        message: 'must be an https address of ServiceNow that Crosswalk may reach (*.service-now.com)',
      },
    ]);
  });

  it("takes no id, project or secret reference from the browser: those are the server's (cross-project takeover)", () => {
    for (const extra of [{ id: 'other-project-connection' }, { jiraProjectId: '10001' }]) {
      const r = validateConnectionConfig({ ...valid, ...extra });
      expect(r.ok).toBe(false);
    }
    const r = validateConnectionConfig({
      ...valid,
      remote: {
        ...valid.remote,
        auth: { kind: 'basic', username: 'u', password: 'hunter2', secretRef: 'credential:other' },
      },
    });
    expect(r.ok && JSON.stringify(r.settings)).not.toContain('hunter2');
    expect(r.ok && JSON.stringify(r.settings)).not.toContain('secretRef');
  });

  it('refuses systems that are not implemented yet instead of saving a connection that fails invisibly', () => {
    // (Zendesk was the example until it was implemented; Freshdesk is only planned.)
    const r = validateConnectionConfig({
      ...valid,
      remote: { type: 'freshdesk', baseUrl: 'https://acme.freshdesk.com', auth: { kind: 'api-token', email: 'a@b.c' } },
    });
    expect(!r.ok && r.problems).toEqual([
      { path: 'remote.type', message: 'freshdesk connections are not available yet' },
    ]);
  });

  it('refuses lookalike hosts', () => {
    for (const baseUrl of [
      'https://service-now.com.evil.example',
      'https://evilservice-now.com',
      'https://user:pw@acme.service-now.com',
      'https://acme.service-now.com:8443',
    ]) {
      expect(validateConnectionConfig({ ...valid, remote: { ...valid.remote, baseUrl } }).ok).toBe(false);
    }
  });

  it('needs a consistent value map', () => {
    const r = validateConnectionConfig({
      ...valid,
      fields: [
        {
          jira: 'priority',
          remote: 'urgency',
          transform: 'value-map',
          valueMap: [
            { jira: 'High', remote: '1' },
            { jira: 'Low', remote: '1' },
          ],
        },
      ],
    });
    expect(!r.ok && r.problems).toEqual([
      { path: 'fields.0.valueMap', message: 'urgency 1 is mapped from High and Low: choose which one it maps back to' },
    ]);
  });

  it('takes a many-to-one value map that says which Jira value the remote value maps back to', () => {
    const r = validateConnectionConfig({
      ...valid,
      fields: [
        {
          jira: 'priority',
          remote: 'urgency',
          transform: 'value-map',
          valueMap: [
            { jira: 'Highest', remote: '1' },
            { jira: 'High', remote: '1', reverse: true },
          ],
        },
      ],
    });
    expect(r.ok).toBe(true);
  });
});

describe('remote filter operators', () => {
  it("are Crosswalk's own words; a connection saved with ServiceNow's (STARTSWITH, LIKE) reads as the same", () => {
    expect(remoteConditionSchema.parse({ field: 'System.Tags', op: 'LIKE', value: 'jira' })).toEqual({
      field: 'System.Tags',
      op: 'contains',
      value: 'jira',
    });
    expect(remoteConditionSchema.parse({ field: 'title', op: 'STARTSWITH', value: 'Outage' })).toMatchObject({
      op: 'starts-with',
    });
    expect(remoteConditionSchema.safeParse({ field: 'title', op: 'ENDSWITH', value: 'x' }).success).toBe(false);
  });
});
