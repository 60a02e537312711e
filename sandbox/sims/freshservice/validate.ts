/**
 * What a ticket write may say, checked as Freshservice checks it: any
 * attribute it does not know is `invalid_field` (a 400, vendor-apis-more.md
 * §2.8), a value outside its codes is `invalid_value`, a wrong type is
 * `datatype_mismatch`. Each function answers the parsed input or throws the
 * FsError the API answers.
 */
import * as z from 'zod';
import {
  CUSTOM_FIELDS,
  customFieldNamed,
  IMPACTS,
  PRIORITIES,
  SOURCES,
  STATUSES,
  TICKET_TYPES,
  URGENCIES,
} from './codes';
import { FsError, invalidField, validation, type FsErrorEntry } from './errors';
import type { CustomValue } from './store';

const codeOf = (codes: Readonly<Record<number, string>>) =>
  z
    .number()
    .int()
    .refine((n) => codes[n] !== undefined, {
      message: `It should be one of these values: '${Object.keys(codes).join(',')}'`,
    });

const ticketFields = {
  subject: z.string().trim().min(1).max(255),
  description: z.string(),
  type: z.enum(TICKET_TYPES),
  status: codeOf(STATUSES),
  priority: codeOf(PRIORITIES),
  source: codeOf(SOURCES),
  urgency: codeOf(URGENCIES),
  impact: codeOf(IMPACTS),
  requester_id: z.number().int().positive(),
  responder_id: z.number().int().positive().nullable(),
  group_id: z.number().int().positive().nullable(),
  category: z.string().nullable(),
  due_by: z.string().nullable(),
  tags: z.array(z.string().trim().min(1).max(255)),
  cc_emails: z.array(z.string().email()),
  custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
};

const createSchema = z
  .object({
    ...ticketFields,
    description: ticketFields.description.optional(),
    // A requester identity: an id, or an email (a new contact is made for an unknown one), or a phone with a name.
    email: z.string().email().optional(),
    phone: z.string().min(3).optional(),
    name: z.string().min(1).optional(),
    // One workspace in the demo account; its id is accepted on create only.
    workspace_id: z.number().int().positive().optional(),
  })
  .partial({
    type: true,
    status: true,
    priority: true,
    source: true,
    urgency: true,
    impact: true,
    requester_id: true,
    responder_id: true,
    group_id: true,
    category: true,
    due_by: true,
    tags: true,
    cc_emails: true,
    custom_fields: true,
  });

const updateSchema = z.object(ticketFields).partial();

export type TicketCreateInput = z.infer<typeof createSchema>;
export type TicketUpdateInput = z.infer<typeof updateSchema>;

const CREATE_KEYS = new Set(Object.keys(createSchema.shape));
const UPDATE_KEYS = new Set(Object.keys(updateSchema.shape));

/** Unknown attributes first, as the API names them before anything else. */
function refuseUnknown(body: Record<string, unknown>, known: ReadonlySet<string>): void {
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (!unknown.length) return;
  throw new FsError(
    400,
    'Validation failed',
    unknown.map((field) => ({ field, message: 'Unexpected/invalid field in request', code: 'invalid_field' as const })),
  );
}

function zodToFsError(error: z.ZodError): FsError {
  const entries: FsErrorEntry[] = error.issues.map((issue) => ({
    field: issue.path.join('.') || 'ticket',
    message: issue.message,
    code: issue.code === 'invalid_type' ? 'datatype_mismatch' : 'invalid_value',
  }));
  return new FsError(400, 'Validation failed', entries);
}

/** Custom fields are named without a prefix; each must exist and a dropdown's value be one of its choices. */
export function checkCustomFields(values: Record<string, CustomValue> | undefined): void {
  if (!values) return;
  for (const [name, value] of Object.entries(values)) {
    const def = customFieldNamed(name);
    if (!def) throw invalidField(`custom_fields.${name}`);
    if (value === null) continue;
    const wrongType =
      (def.type === 'custom_number' && typeof value !== 'number') ||
      (def.type === 'custom_checkbox' && typeof value !== 'boolean') ||
      ((def.type === 'custom_text' || def.type === 'custom_dropdown') && typeof value !== 'string');
    if (wrongType)
      throw validation({
        field: `custom_fields.${name}`,
        message: `Value must be of type ${def.type}`,
        code: 'datatype_mismatch',
      });
    if (def.choices && !def.choices.includes(String(value)))
      throw validation({
        field: `custom_fields.${name}`,
        message: `It should be one of these values: '${def.choices.join(',')}'`,
        code: 'invalid_value',
      });
  }
}

export function parseCreate(body: Record<string, unknown>): TicketCreateInput {
  refuseUnknown(body, CREATE_KEYS);
  const parsed = createSchema.safeParse(body);
  if (!parsed.success) throw zodToFsError(parsed.error);
  checkCustomFields(parsed.data.custom_fields);
  return parsed.data;
}

export function parseUpdate(body: Record<string, unknown>): TicketUpdateInput {
  if ('workspace_id' in body)
    throw validation({
      field: 'workspace_id',
      message: 'A ticket moves to another workspace only through PUT /api/v2/tickets/{id}/move_workspace',
      code: 'invalid_field',
    });
  refuseUnknown(body, UPDATE_KEYS);
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) throw zodToFsError(parsed.error);
  checkCustomFields(parsed.data.custom_fields);
  return parsed.data;
}

const replySchema = z.object({
  body: z.string().min(1),
  from_email: z.string().email().optional(),
  cc_emails: z.array(z.string().email()).optional(),
  bcc_emails: z.array(z.string().email()).optional(),
});
const noteSchema = z.object({
  body: z.string().min(1),
  private: z.boolean().optional(),
  incoming: z.boolean().optional(),
  notify_emails: z.array(z.string().email()).optional(),
  user_id: z.number().int().positive().optional(),
});
const conversationUpdateSchema = z.object({ body: z.string().min(1) });

export type ReplyInput = z.infer<typeof replySchema>;
export type NoteInput = z.infer<typeof noteSchema>;

function strictParse<T extends z.ZodObject>(schema: T, body: Record<string, unknown>): z.infer<T> {
  refuseUnknown(body, new Set(Object.keys(schema.shape)));
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw zodToFsError(parsed.error);
  return parsed.data;
}

export const parseReply = (body: Record<string, unknown>): ReplyInput => strictParse(replySchema, body);
export const parseNote = (body: Record<string, unknown>): NoteInput => strictParse(noteSchema, body);
export const parseConversationUpdate = (body: Record<string, unknown>): { body: string } =>
  strictParse(conversationUpdateSchema, body);

/** Field names that arrive as text in a multipart body but are numbers in JSON. */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'priority',
  'source',
  'urgency',
  'impact',
  'requester_id',
  'responder_id',
  'group_id',
  'workspace_id',
  'user_id',
]);
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set(['private', 'incoming']);
export const CUSTOM_FIELD_TYPES: ReadonlyMap<string, string> = new Map(CUSTOM_FIELDS.map((f) => [f.name, f.type]));
