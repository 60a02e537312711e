/**
 * Validates responses against a Swagger 2.0 document (Azure DevOps publishes
 * its REST specs in that format; test/support/openapi.ts reads OpenAPI 3).
 *
 * Adapted to how Microsoft's generated specs are written:
 * - `$ref`s into `#/definitions/…`;
 * - `{"type":"object"}` with nothing else is .NET's `object` (field values,
 *   `oldValue`/`newValue`): any JSON value, not only objects;
 * - list operations are documented as arrays, but the service wraps every
 *   list in `{"count": n, "value": [...]}`: the `value` is checked against the
 *   array schema and `count` against its length;
 * - path parameters marked `x-ms-required: false` (project, team) may be left
 *   out of the URL, and `x-ms-paths` keys (`…/comments?format={format}`) are
 *   operations selected by the query parameters they name.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  'x-ms-required'?: boolean;
  $ref?: string;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  responses?: Record<string, { schema?: SchemaNode }>;
}
type SchemaNode = { [k: string]: unknown };
interface SwaggerDoc {
  paths: Record<string, Record<string, Operation>>;
  'x-ms-paths'?: Record<string, Record<string, Operation>>;
  definitions: Record<string, SchemaNode>;
}

export interface Swagger2Validator {
  /** The spec key (path, or x-ms-paths key with its query) of the operation serving a concrete request. */
  match(method: string, concretePath: string, query?: URLSearchParams): string | undefined;
  operationId(method: string, key: string): string | undefined;
  validate(method: string, key: string, status: number, body: unknown): { valid: boolean; errors: string[] };
}

interface Template {
  key: string;
  method: string;
  op: Operation;
  re: RegExp;
  pathParams: number;
  requiredQuery: string[];
}

function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (!node || typeof node !== 'object') return node;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) out[k] = relax(v);
  const keys = Object.keys(out).filter((k) => k !== 'description');
  if (out.type === 'object' && keys.length === 1) return {};
  return out;
}

export function loadSwagger2(file: string): Swagger2Validator {
  const doc = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as SwaggerDoc;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv, ['date-time', 'uuid']);
  for (const f of [
    'int32',
    'int64',
    'byte',
    'double',
    'decimal',
    'float',
    'Stream',
    'T',
    'array (int32)',
    'array (string)',
  ])
    ajv.addFormat(f, true);
  const id = `swagger:${path.basename(file)}`;
  ajv.addSchema({ $id: id, definitions: relax(doc.definitions) as object });
  const rewrite = (schema: unknown): object =>
    JSON.parse(JSON.stringify(relax(schema)).replace(/"\$ref":"#\//g, `"$ref":"${id}#/`)) as object;
  const cache = new Map<string, ValidateFunction>();

  const templates: Template[] = [];
  const add = (key: string, ops: Record<string, Operation>, fromXmsPaths: boolean) => {
    const [pathPart, queryPart] = key.split('?');
    const keyQuery =
      fromXmsPaths && queryPart ? [...queryPart.matchAll(/([^&=]+)=\{[^}]+\}/g)].map((m) => m[1]!.toLowerCase()) : [];
    for (const [method, op] of Object.entries(ops)) {
      if (method === 'parameters') continue;
      const params = op.parameters ?? [];
      const optional = new Set(
        params.filter((p) => p.in === 'path' && p['x-ms-required'] === false).map((p) => p.name),
      );
      const requiredQuery = [
        ...new Set([
          ...keyQuery,
          ...params
            .filter((p) => p.in === 'query' && p.required && p.name !== 'api-version')
            .map((p) => p.name.toLowerCase()),
        ]),
      ];
      const segs = pathPart!.split('/');
      const optionalIdx = segs
        .map((s, i) => (optional.has(s.replace(/^\{|\}$/g, '')) && /^\{.+\}$/.test(s) ? i : -1))
        .filter((i) => i >= 0);
      for (let mask = 0; mask < 1 << optionalIdx.length; mask++) {
        const drop = new Set(optionalIdx.filter((_, b) => mask & (1 << b)));
        const kept = segs.filter((_, i) => !drop.has(i));
        const source = kept.map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')).join('/');
        templates.push({
          key,
          method,
          op,
          re: new RegExp(`^${source}$`, 'i'),
          pathParams: kept.filter((s) => s.includes('{')).length,
          requiredQuery,
        });
      }
    }
  };
  for (const [key, ops] of Object.entries(doc.paths)) add(key, ops, false);
  for (const [key, ops] of Object.entries(doc['x-ms-paths'] ?? {})) add(key, ops, true);

  const opFor = (method: string, key: string) =>
    templates.find((t) => t.key === key && t.method === method.toLowerCase())?.op;

  return {
    match(method, concretePath, query = new URLSearchParams()) {
      const present = new Set([...query.keys()].map((k) => k.toLowerCase()));
      const hits = templates.filter(
        (t) =>
          t.method === method.toLowerCase() && t.re.test(concretePath) && t.requiredQuery.every((q) => present.has(q)),
      );
      hits.sort((a, b) => a.pathParams - b.pathParams || b.requiredQuery.length - a.requiredQuery.length);
      return hits[0]?.key;
    },
    operationId(method, key) {
      return opFor(method, key)?.operationId;
    },
    validate(method, key, status, body) {
      const op = opFor(method, key);
      if (!op) return { valid: false, errors: [`No operation ${method} ${key} in the spec`] };
      const response = op.responses?.[String(status)] ?? op.responses?.default;
      if (!response) return { valid: false, errors: [`Status ${status} is not documented for ${method} ${key}`] };
      const schema = response.schema;
      if (!schema) return { valid: true, errors: [] };
      let target = body;
      const errors: string[] = [];
      if (schema.type === 'array' && body && typeof body === 'object' && !Array.isArray(body)) {
        const wrapped = body as { count?: unknown; value?: unknown };
        if (!Array.isArray(wrapped.value))
          return { valid: false, errors: ['expected {count, value: [...]} for a list'] };
        if (wrapped.count !== wrapped.value.length)
          errors.push(`count ${String(wrapped.count)} does not match ${wrapped.value.length} values`);
        target = wrapped.value;
      }
      const cacheKey = `${method} ${key} ${status}`;
      let v = cache.get(cacheKey);
      if (!v) {
        v = ajv.compile(rewrite(schema));
        cache.set(cacheKey, v);
      }
      if (v(target) !== true)
        errors.push(...(v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
      return { valid: errors.length === 0, errors };
    },
  };
}

const SPECS = path.resolve(__dirname, '../../../../shared/specs/azure-devops');
export const ADO_WIT_SPEC = path.join(SPECS, 'wit/7.1/workItemTracking.json');
export const ADO_HOOKS_SPEC = path.join(SPECS, 'hooks/7.1/serviceHooks.json');
