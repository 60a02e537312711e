/**
 * Freshservice's numeric codes (vendor-apis-more.md §2.2) and the demo
 * account's custom fields. The API speaks numbers only; names are for the
 * form-fields answer, the web view and the automator's placeholders.
 */
export const STATUSES: Readonly<Record<number, string>> = {
  2: 'Open',
  3: 'Pending',
  4: 'Resolved',
  5: 'Closed',
  // A custom status an admin added: the demo account has one, as most do.
  6: 'Waiting on Customer',
};
/** Statuses that resolve or close a ticket: the ones "mandatory on close" fields guard. */
export const CLOSING_STATUSES: ReadonlySet<number> = new Set([4, 5]);

export const PRIORITIES: Readonly<Record<number, string>> = { 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Urgent' };
export const URGENCIES: Readonly<Record<number, string>> = { 1: 'Low', 2: 'Medium', 3: 'High' };
export const IMPACTS: Readonly<Record<number, string>> = { 1: 'Low', 2: 'Medium', 3: 'High' };
export const SOURCES: Readonly<Record<number, string>> = {
  1: 'Email',
  2: 'Portal',
  3: 'Phone',
  4: 'Chat',
  5: 'Feedback widget',
  6: 'Yammer',
  7: 'AWS Cloudwatch',
  8: 'Pagerduty',
  9: 'Walkup',
  10: 'Slack',
  11: 'Chatbot',
  12: 'Workplace',
  13: 'Employee Onboarding',
  14: 'Alerts',
  15: 'MS Teams',
  18: 'Employee Offboarding',
};
export const TICKET_TYPES = ['Incident', 'Service Request'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const CATEGORIES = ['Hardware', 'Software', 'Network', 'Access'] as const;

/** A conversation's `source`: Freshdesk's numbering, which Freshservice shares (0 reply, 2 note). */
export const CONVERSATION_SOURCE = { reply: 0, note: 2 } as const;

export interface CustomFieldDefinition {
  name: string;
  label: string;
  type: 'custom_text' | 'custom_dropdown' | 'custom_number' | 'custom_checkbox';
  choices?: readonly string[];
  /** Required when the ticket enters Resolved or Closed (the admin's "required when closing" box). */
  requiredForClosure: boolean;
}

/**
 * The demo account's custom fields. `crosswalk_id` is where Crosswalk keeps
 * its correlation marker (the filter endpoint searches custom fields too), and
 * `resolution_category` is the one an admin made mandatory on close.
 */
export const CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  { name: 'crosswalk_id', label: 'Crosswalk ID', type: 'custom_text', requiredForClosure: false },
  {
    name: 'resolution_category',
    label: 'Resolution category',
    type: 'custom_dropdown',
    choices: ['Fixed', 'Workaround', 'Duplicate', 'Not reproducible'],
    requiredForClosure: true,
  },
  { name: 'affected_users', label: 'Affected users', type: 'custom_number', requiredForClosure: false },
  { name: 'vip', label: 'VIP requester', type: 'custom_checkbox', requiredForClosure: false },
];

export const customFieldNamed = (name: string): CustomFieldDefinition | undefined =>
  CUSTOM_FIELDS.find((f) => f.name === name);
