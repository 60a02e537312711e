/**
 * GitHub's OpenAPI subset (../shared/specs/github/issues-subset.json) for the
 * shared response validator (test/support/openapi.ts), with the operations'
 * `$ref` responses (`#/components/responses/not_found`…) inlined, since that
 * validator reads a response's schema in place; and a validator for webhook
 * payloads against the spec's `x-webhooks` request bodies.
 */
import Ajv from 'ajv';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOpenApi, type OpenApiValidator } from '../../../test/support/openapi';

export const GITHUB_SPEC = path.resolve(__dirname, '../../../../shared/specs/github/issues-subset.json');

type Json = Record<string, unknown>;

interface Spec {
  paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
  components: { responses: Record<string, Json> };
  'x-webhooks': Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: Json }> } } }>;
}

/**
 * GitHub's description says `nullable: true` beside a `$ref` or a composition without a `type`, which Ajv refuses,
 * and beside an `enum` without null; read as OpenAPI tools do, it means "that, or null".
 */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = nullableWithoutType(v);
  // `nullable` admits null even where an `enum` lists the other values only (`state_reason`).
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _nullable, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

const readSpec = (): Spec => nullableWithoutType(JSON.parse(readFileSync(GITHUB_SPEC, 'utf8'))) as Spec;

export function loadGitHubSpec(): OpenApiValidator {
  const spec = readSpec();
  for (const ops of Object.values(spec.paths))
    for (const op of Object.values(ops)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const ref =
          typeof response.$ref === 'string' ? /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1] : undefined;
        if (ref && op.responses) op.responses[status] = spec.components.responses[ref] ?? response;
      }
    }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'github-oas-')), 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  return loadOpenApi(file);
}

/** Validates a delivery's payload as the spec's `x-webhooks` entry (`issues-opened`, `issue-comment-created`, `ping`…). */
export function webhookValidator(): (name: string, payload: unknown) => string[] {
  const spec = readSpec();
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'oas', components: spec.components });
  const rewrite = (schema: unknown): Json =>
    JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"oas#/')) as Json;
  return (name, payload) => {
    const schema = spec['x-webhooks'][name]?.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema) return [`No webhook ${name} in the spec`];
    const validate = ajv.compile(rewrite(schema));
    return validate(payload)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}
