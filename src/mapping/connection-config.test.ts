import { validateConnectionConfig } from './connection-config';

const valid = {
  id: 'demo-sn',
  name: 'DEMO ↔ ACME incidents',
  jiraProjectId: '10000',
  remote: { type: 'servicenow', baseUrl: 'https://acme.service-now.com', table: 'incident', auth: { kind: 'oauth', clientId: 'crosswalk', username: 'crosswalk.integration', secretRef: 'connection:demo-sn' } },
  fields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    { jira: 'status', remote: 'state', transform: 'value-map', valueMap: [{ jira: 'To Do', remote: '1' }, { jira: 'Done', remote: '6' }] },
  ],
};

describe('connection configuration', () => {
  it('accepts a complete configuration and fills in defaults', () => {
    const r = validateConnectionConfig(valid);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.config.conflictPolicy).toBe('newest-wins');
      expect(r.config.enabled).toBe(false);
      expect(r.config.fields[0]!.direction).toBe('both');
      expect(r.config.attachments.maxBytes).toBe(50 * 1024 * 1024);
    }
  });

  it('reports every problem with its path', () => {
    const r = validateConnectionConfig({
      ...valid,
      jiraProjectId: 'DEMO',
      remote: { ...valid.remote, baseUrl: 'http://acme.service-now.com', table: 'Incident; drop' },
      fields: [{ jira: 'summary', remote: 'short_description' }, { jira: 'summary', remote: 'x' }, { jira: 'status', remote: 'state' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.path).sort()).toEqual(['fields.1.jira', 'fields.2.transform', 'jiraProjectId', 'remote.baseUrl', 'remote.table'].sort());
  });

  it('refuses a base URL on a host the manifest does not declare', () => {
    const r = validateConnectionConfig({ ...valid, remote: { ...valid.remote, baseUrl: 'https://acme.example.com' } });
    expect(!r.ok && r.problems).toEqual([{ path: 'remote.baseUrl', message: 'must be an https address of servicenow that Crosswalk may reach' }]);
  });

  it('never holds a credential, only a reference to the secret', () => {
    const r = validateConnectionConfig({ ...valid, remote: { ...valid.remote, auth: { kind: 'basic', username: 'u', password: 'hunter2', secretRef: 'connection:demo-sn' } } });
    expect(r.ok && JSON.stringify(r.config)).not.toContain('hunter2');
  });

  it('needs a consistent value map', () => {
    const r = validateConnectionConfig({ ...valid, fields: [{ jira: 'priority', remote: 'urgency', transform: 'value-map', valueMap: [{ jira: 'High', remote: '1' }, { jira: 'Low', remote: '1' }] }] });
    expect(!r.ok && r.problems).toEqual([{ path: 'fields.0.valueMap', message: 'Remote value "1" maps to both "High" and "Low"' }]);
  });
});
