/** The connection `npm start` pairs DEMO with: the ServiceNow simulator's incidents. */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

export const demoServiceNowConnection = {
  id: 'demo-servicenow',
  name: 'DEMO ↔ ACME incidents',
  jiraProjectId: '10000',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  remote: { type: 'servicenow', baseUrl: 'https://acme.service-now.com', table: 'incident', auth: { kind: 'basic', username: 'crosswalk.integration', secretRef: 'connection-demo-servicenow' } },
  fields: [
    { jira: 'summary', remote: 'short_description' },
    { jira: 'description', remote: 'description', transform: 'rich-text' },
    {
      jira: 'status',
      remote: 'state',
      transform: 'value-map',
      valueMap: [
        { jira: 'To Do', remote: '1' },
        { jira: 'In Progress', remote: '2' },
        { jira: 'Waiting for customer', remote: '3' },
        { jira: 'Done', remote: '6' },
        { jira: 'Done', remote: '7' },
      ],
    },
    { jira: 'priority', remote: 'urgency', transform: 'value-map', valueMap: [{ jira: 'High', remote: '1' }, { jira: 'Medium', remote: '2' }, { jira: 'Low', remote: '3' }] },
  ],
} as const;
