/** The connection `npm start` pairs DEMO with: the ServiceNow simulator's incidents. */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

/** The id the server gives the first ServiceNow connection of project DEMO. */
export const DEMO_CONNECTION_ID = 'demo-servicenow';

/** The settings a project lead enters (the server adds the id, the project and the secret's key). */
export const demoServiceNowConnection = {
  name: 'DEMO ↔ ACME incidents',
  enabled: true,
  jql: '',
  conflictPolicy: 'newest-wins',
  // Software incidents may be linked to DEMO issues by hand (the issue panel's Link); no incident creates an issue.
  linkFilter: [{ field: 'category', op: '=', value: 'software' }],
  remote: {
    type: 'servicenow',
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth: { kind: 'basic', username: 'crosswalk.integration' },
  },
  // Resolving an incident needs a close code and notes, written along with the state.
  requiredOnEnter: [
    {
      field: 'state',
      values: ['6', '7'],
      set: { close_code: 'Solution provided', close_notes: 'Resolved in Jira ({issueKey})' },
    },
  ],
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
    {
      jira: 'priority',
      remote: 'urgency',
      transform: 'value-map',
      valueMap: [
        { jira: 'High', remote: '1' },
        { jira: 'Medium', remote: '2' },
        { jira: 'Low', remote: '3' },
      ],
    },
  ],
} as const;
