/**
 * Loads Zendesk's Support OAS (YAML) for the shared OpenAPI validator
 * (test/support/openapi.ts reads JSON, so the YAML is converted to a temp
 * file), with the few relaxations listed in RELAXATIONS: places where the
 * published schema says "integer"/"string" but Zendesk answers null (its own
 * examples and real responses carry those nulls).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadOpenApi, type OpenApiValidator } from '../../../test/support/openapi';

export const ZENDESK_SPEC = path.resolve(__dirname, '../../../../shared/specs/zendesk/ticketing-oas.yaml');

type Schema = {
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  [k: string]: unknown;
};

/** schema name → properties Zendesk answers as null although the schema does not say nullable; and why. */
export const RELAXATIONS: Array<{ schema: string; nullable: string[]; reason: string }> = [
  {
    schema: 'TicketObject',
    nullable: [
      'assignee_id',
      'group_id',
      'organization_id',
      'priority',
      'type',
      'external_id',
      'problem_id',
      'forum_topic_id',
      'recipient',
    ],
    reason:
      'an unassigned ticket with no priority, type, organization or external id answers null for them (the spec examples show "due_at": null the same way, and real responses show "recipient": null, "problem_id": null, "forum_topic_id": null)',
  },
  {
    schema: 'UserForAdmin',
    nullable: ['alias', 'last_login_at', 'signature', 'default_group_id'],
    reason: 'a user who never logged in, with no alias, signature or default group, answers null for them',
  },
];

function relax(spec: { components: { schemas: Record<string, Schema> } }): void {
  const schemas = spec.components.schemas;
  for (const r of RELAXATIONS) {
    const props = schemas[r.schema]?.properties;
    if (!props) throw new Error(`No schema ${r.schema} in the Zendesk OAS`);
    for (const name of r.nullable) {
      const p = props[name];
      if (!p) throw new Error(`No property ${r.schema}.${name} in the Zendesk OAS`);
      props[name] = { ...p, nullable: true, ...(p.enum ? { enum: [...p.enum, null] } : {}) };
    }
  }
  // Custom field values are strings, numbers, booleans, arrays (multiselect) or null — the schema says string.
  const custom = schemas.TicketObject?.properties?.custom_fields?.items?.properties;
  if (custom?.value) custom.value = { description: 'string | number | boolean | string[] | null' };
  // Audit event values are whatever the field holds: tags arrays, nulls, booleans — the schema says string | integer.
  const events = schemas.AuditObject?.properties?.events?.items?.properties;
  if (events?.value) events.value = { description: 'any field value' };
}

let cached: OpenApiValidator | undefined;

export function loadZendeskSpec(): OpenApiValidator {
  if (cached) return cached;
  const spec = YAML.parse(readFileSync(ZENDESK_SPEC, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  relax(spec);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'zendesk-oas-')), 'ticketing-oas.json');
  writeFileSync(file, JSON.stringify(spec));
  cached = loadOpenApi(file);
  return cached;
}
