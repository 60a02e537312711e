/** The JSON Zendesk answers for each resource; `origin` is the host the request came in on. */
import type {
  Attachment,
  Audit,
  Comment,
  CustomFieldValue,
  Status,
  Ticket,
  TicketField,
  Trigger,
  Webhook,
  ZdGroup,
  ZdUser,
  ZendeskStore,
} from './store';

export interface AttachmentJson {
  id: number;
  url: string;
  file_name: string;
  content_url: string;
  mapped_content_url: string;
  content_type: string;
  size: number;
  inline: boolean;
  deleted: boolean;
  malware_access_override: boolean;
  malware_scan_result: string;
  thumbnails: AttachmentJson[];
}

export interface TicketJson {
  id: number;
  url: string;
  external_id: string | null;
  via: { channel: string; source: Record<string, unknown> };
  created_at: string;
  updated_at: string;
  generated_timestamp: number;
  type: string | null;
  subject: string;
  raw_subject: string;
  description: string;
  priority: string | null;
  status: string;
  recipient: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  forum_topic_id: number | null;
  problem_id: number | null;
  has_incidents: boolean;
  is_public: boolean;
  due_at: string | null;
  tags: string[];
  custom_fields: Array<{ id: number; value: CustomFieldValue }>;
  fields: Array<{ id: number; value: CustomFieldValue }>;
  satisfaction_rating: { score: string };
  custom_status_id: number;
  brand_id: number;
  ticket_form_id: number;
  encoded_id: string;
  sharing_agreement_ids: number[];
  followup_ids: number[];
  via_followup_source_id?: number;
  allow_channelback: boolean;
  allow_attachments: boolean;
  from_messaging_channel: boolean;
}

export interface CommentJson {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: AttachmentJson[];
  audit_id: number;
  via: { channel: string; source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null } };
  created_at: string;
  metadata: { system: Record<string, unknown>; custom: Record<string, unknown> };
}

/** The account's default custom status for each status category. */
export const CUSTOM_STATUS_IDS: Record<Status, number> = {
  new: 360000400001,
  open: 360000400002,
  pending: 360000400003,
  hold: 360000400004,
  solved: 360000400005,
  closed: 360000400005,
};
export const BRAND_ID = 360000500001;
export const TICKET_FORM_ID = 360000600001;
const encodedId = (id: number): string => {
  const s = (id * 7919 + 104729).toString(36).toUpperCase().padStart(11, '0');
  return `${s.slice(0, 6)}-${s.slice(6)}`;
};

const API_VIA = { channel: 'api', source: { from: {}, to: {}, rel: null } };

export function attachmentJson(a: Attachment, origin: string): AttachmentJson {
  const content = `${origin}/attachments/token/${a.token}/?name=${encodeURIComponent(a.file_name)}`;
  return {
    id: a.id,
    url: `${origin}/api/v2/attachments/${a.id}.json`,
    file_name: a.file_name,
    content_url: content,
    mapped_content_url: content,
    content_type: a.content_type,
    size: a.size,
    inline: false,
    deleted: false,
    malware_access_override: false,
    malware_scan_result: 'malware_not_found',
    thumbnails: [],
  };
}

export function ticketJson(store: ZendeskStore, t: Ticket, origin: string): TicketJson {
  const custom = store.fields.map((f) => ({ id: f.id, value: t.custom_fields.get(f.id) ?? null }));
  const source = store.tickets.get(t.via_followup_source_id ?? -1);
  return {
    id: t.id,
    url: `${origin}/api/v2/tickets/${t.id}.json`,
    external_id: t.external_id,
    via: source
      ? {
          channel: 'api',
          source: { from: { ticket_id: source.id, subject: source.subject, channel: 'api' }, to: {}, rel: 'follow_up' },
        }
      : API_VIA,
    created_at: t.created_at,
    updated_at: t.updated_at,
    generated_timestamp: t.generated_timestamp,
    type: t.type,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.description ?? '',
    priority: t.priority,
    status: t.deleted ? 'deleted' : t.status,
    recipient: null,
    requester_id: t.requester_id,
    submitter_id: t.submitter_id,
    assignee_id: t.assignee_id,
    organization_id: null,
    group_id: t.group_id,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: t.problem_id,
    // A problem with at least one incident linked to it (deleted incidents left out).
    has_incidents: t.type === 'problem' && [...store.tickets.values()].some((x) => x.problem_id === t.id && !x.deleted),
    is_public: t.is_public,
    due_at: t.due_at,
    tags: [...t.tags],
    custom_fields: custom,
    fields: custom,
    satisfaction_rating: { score: 'unoffered' },
    custom_status_id: CUSTOM_STATUS_IDS[t.status],
    brand_id: BRAND_ID,
    ticket_form_id: TICKET_FORM_ID,
    encoded_id: encodedId(t.id),
    sharing_agreement_ids: [],
    followup_ids: [...t.followup_ids],
    ...(t.via_followup_source_id ? { via_followup_source_id: t.via_followup_source_id } : {}),
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

export function commentJson(store: ZendeskStore, c: Comment, origin: string): CommentJson {
  return {
    id: c.id,
    type: 'Comment',
    author_id: c.author_id,
    body: c.body,
    html_body: c.html_body,
    plain_body: c.plain_body,
    public: c.public,
    attachments: c.attachmentIds
      .map((id) => store.attachments.get(id))
      .filter((a): a is Attachment => Boolean(a))
      .map((a) => attachmentJson(a, origin)),
    audit_id: c.audit_id,
    via: API_VIA,
    created_at: c.created_at,
    metadata: {
      system: { client: 'Crosswalk sandbox', ip_address: '127.0.0.1', location: 'Loopback', latitude: 0, longitude: 0 },
      custom: {},
    },
  };
}

export function auditJson(store: ZendeskStore, a: Audit, origin: string) {
  return {
    id: a.id,
    ticket_id: a.ticket_id,
    created_at: a.created_at,
    author_id: a.author_id,
    metadata: { system: { client: 'Crosswalk sandbox', ip_address: '127.0.0.1' }, custom: {} },
    via: API_VIA,
    events: a.events.map((e) => {
      if (e.type !== 'Comment')
        return {
          id: e.id,
          type: e.type,
          field_name: e.field_name,
          value: e.value,
          ...(e.type === 'Change' ? { previous_value: e.previous_value } : {}),
        };
      return {
        id: e.id,
        type: 'Comment',
        author_id: e.author_id,
        body: e.body,
        html_body: e.html_body,
        plain_body: e.body,
        public: e.public,
        audit_id: a.id,
        attachments: (e.attachments ?? [])
          .map((id) => store.attachments.get(id))
          .filter((x): x is Attachment => Boolean(x))
          .map((x) => attachmentJson(x, origin)),
      };
    }),
  };
}

export function userJson(u: ZdUser, origin: string) {
  return {
    id: u.id,
    url: `${origin}/api/v2/users/${u.id}.json`,
    name: u.name,
    email: u.email,
    created_at: u.created_at,
    updated_at: u.updated_at,
    time_zone: 'UTC',
    iana_time_zone: 'Etc/UTC',
    phone: null,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: null,
    role: u.role,
    verified: true,
    external_id: null,
    tags: [],
    alias: null,
    active: u.active,
    shared: false,
    shared_agent: false,
    last_login_at: null,
    two_factor_auth_enabled: false,
    signature: null,
    details: '',
    notes: '',
    role_type: null,
    custom_role_id: null,
    moderator: u.role !== 'end-user',
    ticket_restriction: u.role === 'end-user' ? 'requested' : null,
    only_private_comments: false,
    restricted_agent: false,
    suspended: false,
    default_group_id: u.default_group_id,
    report_csv: u.role === 'admin',
    user_fields: {},
  };
}

export function groupJson(g: ZdGroup, origin: string) {
  return {
    id: g.id,
    url: `${origin}/api/v2/groups/${g.id}.json`,
    name: g.name,
    description: '',
    default: true,
    deleted: false,
    is_public: true,
    created_at: g.created_at,
    updated_at: g.updated_at,
  };
}

export function fieldJson(f: TicketField, position: number, origin: string) {
  return {
    id: f.id,
    url: `${origin}/api/v2/ticket_fields/${f.id}.json`,
    type: f.type,
    title: f.title,
    raw_title: f.title,
    description: '',
    raw_description: '',
    position,
    active: true,
    required: false,
    collapsed_for_agents: false,
    regexp_for_validation: null,
    title_in_portal: f.title,
    raw_title_in_portal: f.title,
    visible_in_portal: false,
    editable_in_portal: false,
    required_in_portal: false,
    tag: null,
    created_at: f.created_at,
    updated_at: f.created_at,
    removable: true,
    key: null,
    agent_description: '',
    ...(f.options
      ? {
          custom_field_options: f.options.map((o, i) => ({
            id: f.id * 10 + i,
            name: o.name,
            raw_name: o.name,
            value: o.value,
            default: false,
          })),
        }
      : {}),
  };
}

/**
 * The system ticket fields every account has, listed before the custom ones
 * (ids are fixed here; an account's are its own): subject, description,
 * status (with On-hold, sub type 1, as this simulator has the hold status),
 * type, priority, group and assignee, with the options the Tickets API takes.
 */
export const SYSTEM_TICKET_FIELDS: ReadonlyArray<{
  id: number;
  type: string;
  title: string;
  options?: Array<{ name: string; value: string }>;
  subTypeId?: number;
}> = [
  { id: 360_000_199_001, type: 'subject', title: 'Subject' },
  { id: 360_000_199_002, type: 'description', title: 'Description' },
  {
    id: 360_000_199_003,
    type: 'status',
    title: 'Status',
    subTypeId: 1,
    options: [
      { name: 'New', value: 'new' },
      { name: 'Open', value: 'open' },
      { name: 'Pending', value: 'pending' },
      { name: 'On-hold', value: 'hold' },
      { name: 'Solved', value: 'solved' },
      { name: 'Closed', value: 'closed' },
    ],
  },
  {
    id: 360_000_199_004,
    type: 'tickettype',
    title: 'Type',
    options: [
      { name: 'Question', value: 'question' },
      { name: 'Incident', value: 'incident' },
      { name: 'Problem', value: 'problem' },
      { name: 'Task', value: 'task' },
    ],
  },
  {
    id: 360_000_199_005,
    type: 'priority',
    title: 'Priority',
    subTypeId: 0,
    options: [
      { name: 'Low', value: 'low' },
      { name: 'Normal', value: 'normal' },
      { name: 'High', value: 'high' },
      { name: 'Urgent', value: 'urgent' },
    ],
  },
  { id: 360_000_199_006, type: 'group', title: 'Group' },
  { id: 360_000_199_007, type: 'assignee', title: 'Assignee' },
];

/** When the account (and so its system fields) was made. */
const ACCOUNT_CREATED_AT = '2020-01-01T00:00:00Z';

export function systemFieldJson(f: (typeof SYSTEM_TICKET_FIELDS)[number], position: number, origin: string) {
  return {
    ...fieldJson({ id: f.id, type: 'text', title: f.title, created_at: ACCOUNT_CREATED_AT }, position, origin),
    type: f.type,
    required: f.type === 'subject' || f.type === 'description',
    removable: false,
    agent_can_edit: true,
    ...(f.subTypeId !== undefined ? { sub_type_id: f.subTypeId } : {}),
    ...(f.options ? { system_field_options: f.options.map((o) => ({ name: o.name, value: o.value })) } : {}),
  };
}

export function triggerJson(t: Trigger, origin: string) {
  return {
    url: `${origin}/api/v2/triggers/${t.id}.json`,
    id: t.id,
    title: t.title,
    raw_title: t.title,
    active: t.active,
    position: t.position,
    default: false,
    conditions: t.conditions,
    actions: t.actions,
    description: t.description ?? '',
    category_id: '10026',
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

/** The signing secret is never part of the webhook; it has its own endpoint. */
export function webhookJson(w: Webhook) {
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    subscriptions: w.subscriptions,
    created_at: w.created_at,
    created_by: String(w.created_by),
    updated_at: w.updated_at,
    updated_by: String(w.updated_by),
    endpoint: w.endpoint,
    http_method: w.http_method,
    request_format: w.request_format,
  };
}
