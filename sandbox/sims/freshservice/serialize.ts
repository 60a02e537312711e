/**
 * Records as the API answers them: UTC `YYYY-MM-DDTHH:MM:SSZ`, blank fields
 * as null (never left out), HTML bodies with their plain-text twin, and every
 * custom field by its unprefixed name.
 */
import { htmlToPlain } from '../zendesk/html';
import { CUSTOM_FIELDS } from './codes';
import type { Attachment, Conversation, FreshserviceStore, Ticket } from './store';

/** The demo account has one workspace (the IT one every account starts with). */
export const WORKSPACE_ID = 2;

export const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function attachmentJson(a: Attachment, origin: string): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    content_type: a.content_type,
    size: a.size,
    created_at: iso(a.created_at),
    updated_at: iso(a.created_at),
    attachment_url: `${origin}/api/v2/attachments/${a.id}`,
  };
}

export function conversationJson(store: FreshserviceStore, c: Conversation, origin: string): Record<string, unknown> {
  return {
    id: c.id,
    user_id: c.user_id,
    to_emails: c.to_emails,
    from_email: c.kind === 'reply' ? (store.personById(c.user_id)?.email ?? null) : null,
    cc_emails: c.cc_emails,
    bcc_emails: c.bcc_emails,
    body: c.body,
    body_text: htmlToPlain(c.body),
    ticket_id: c.ticket_id,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    incoming: c.incoming,
    private: c.private,
    source: c.kind === 'reply' ? 0 : 2,
    support_email: c.support_email,
    attachments: c.attachment_ids.flatMap((id) => {
      const a = store.attachments.get(id);
      return a ? [attachmentJson(a, origin)] : [];
    }),
  };
}

/** Every custom field the account defines, each null when blank. */
export function customFieldsJson(t: Ticket): Record<string, unknown> {
  return Object.fromEntries(CUSTOM_FIELDS.map((f) => [f.name, t.custom_fields[f.name] ?? null]));
}

export type TicketInclude = 'conversations' | 'requester' | 'stats';

export function ticketJson(
  store: FreshserviceStore,
  t: Ticket,
  origin: string,
  include: ReadonlySet<TicketInclude> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id,
    workspace_id: WORKSPACE_ID,
    subject: t.subject,
    description: t.description,
    description_text: htmlToPlain(t.description),
    type: t.type,
    status: t.status,
    priority: t.priority,
    source: t.source,
    urgency: t.urgency,
    impact: t.impact,
    requester_id: t.requester_id,
    requested_for_id: t.requester_id,
    responder_id: t.responder_id,
    group_id: t.group_id,
    department_id: null,
    category: t.category,
    sub_category: null,
    item_category: null,
    due_by: isoOrNull(t.due_by),
    fr_due_by: iso(t.created_at + 24 * 3600_000),
    is_escalated: false,
    fr_escalated: false,
    spam: false,
    deleted: t.deleted,
    email_config_id: null,
    cc_emails: t.cc_emails,
    fwd_emails: [],
    reply_cc_emails: t.cc_emails,
    to_emails: null,
    tags: t.tags,
    custom_fields: customFieldsJson(t),
    attachments: t.attachment_ids.flatMap((id) => {
      const a = store.attachments.get(id);
      return a ? [attachmentJson(a, origin)] : [];
    }),
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  };
  if (include.has('conversations'))
    out.conversations = store.conversationsOf(t.id).map((c) => conversationJson(store, c, origin));
  if (include.has('requester')) {
    const r = store.personById(t.requester_id);
    out.requester = r ? { id: r.id, name: r.name, email: r.email, mobile: null, phone: null } : null;
  }
  if (include.has('stats'))
    out.stats = {
      created_at: iso(t.created_at),
      updated_at: iso(t.updated_at),
      resolved_at: isoOrNull(t.resolved_at),
      closed_at: isoOrNull(t.closed_at),
      first_responded_at: isoOrNull(t.first_responded_at),
      opened_at: iso(t.created_at),
      status_updated_at: iso(t.updated_at),
    };
  return out;
}
