/**
 * Freshservice API v2 answers, checked with zod where they enter Crosswalk.
 * Unknown keys are kept (`.loose()`): only what the connector reads is checked,
 * so a field Freshservice adds tomorrow breaks nothing. Blank fields come back
 * as null, never omitted (vendor-apis-more.md §2.2), hence `nullish` throughout.
 */
import * as z from 'zod';

const id = z.number().int().nonnegative();

export const ticketSchema = z
  .object({
    id: id,
    subject: z.string().nullish(),
    /** HTML; `description_text` is its plain form, not read. */
    description: z.string().nullish(),
    status: id,
    priority: id.nullish(),
    urgency: id.nullish(),
    impact: id.nullish(),
    type: z.string().nullish(),
    category: z.string().nullish(),
    group_id: id.nullish(),
    responder_id: id.nullish(),
    requester_id: id.nullish(),
    workspace_id: id.nullish(),
    tags: z.array(z.string()).nullish(),
    custom_fields: z.record(z.string(), z.unknown()).nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string(),
  })
  .loose();
export type FreshserviceTicket = z.infer<typeof ticketSchema>;

export const oneTicket = z.object({ ticket: ticketSchema }).loose();
export const manyTickets = z.object({ tickets: z.array(ticketSchema) }).loose();

export const attachmentSchema = z
  .object({
    id: id,
    name: z.string(),
    content_type: z.string().nullish(),
    size: z.number().nonnegative(),
    attachment_url: z.string().nullish(),
    created_at: z.string().nullish(),
  })
  .loose();
export type FreshserviceAttachment = z.infer<typeof attachmentSchema>;

export const conversationSchema = z
  .object({
    id: id,
    body: z.string().nullish(),
    /** A private note; a reply and a public note are both false. */
    private: z.boolean(),
    /** 0 reply, 2 note (Freshservice's `source`); absent: judged by `private` alone. */
    source: z.number().int().nullish(),
    incoming: z.boolean().nullish(),
    user_id: id.nullish(),
    created_at: z.string(),
    updated_at: z.string().nullish(),
    attachments: z.array(attachmentSchema).nullish(),
  })
  .loose();
export type FreshserviceConversation = z.infer<typeof conversationSchema>;

export const conversationList = z.object({ conversations: z.array(conversationSchema) }).loose();
export const oneConversation = z.object({ conversation: conversationSchema }).loose();

export const agentSchema = z
  .object({
    id: id,
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
    primary_email: z.string().nullish(),
    active: z.boolean().nullish(),
  })
  .loose();
export type FreshserviceAgent = z.infer<typeof agentSchema>;
export const agentList = z.object({ agents: z.array(agentSchema) }).loose();
export const oneAgent = z.object({ agent: agentSchema }).loose();
export const requesterList = z.object({ requesters: z.array(agentSchema) }).loose();
export const oneRequester = z.object({ requester: agentSchema }).loose();

/** One choice of a form field; nested choices (dependent fields) are not read. */
const choiceSchema = z.object({ id: z.number().nullish(), value: z.string() }).loose();
export const formFieldSchema = z
  .object({
    name: z.string(),
    label: z.string().nullish(),
    field_type: z.string(),
    default_field: z.boolean().nullish(),
    choices: z.array(choiceSchema).nullish(),
  })
  .loose();
export type FreshserviceFormField = z.infer<typeof formFieldSchema>;
export const formFieldList = z.object({ ticket_fields: z.array(formFieldSchema) }).loose();

/** `{description, errors: [{field, message, code}]}` (the envelope is assumed as Freshdesk's, §2.8). */
export const errorBody = z
  .object({
    description: z.string().nullish(),
    errors: z
      .array(z.object({ field: z.string().nullish(), message: z.string(), code: z.string().nullish() }).loose())
      .nullish(),
  })
  .loose();

export const personName = (p: FreshserviceAgent): string =>
  [p.first_name, p.last_name].filter(Boolean).join(' ').trim() ||
  (p.email ?? p.primary_email ?? `Freshservice user ${p.id}`);

export const parseFreshserviceTime = (value: string | null | undefined): number => {
  const at = value ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? at : 0;
};
