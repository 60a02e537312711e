import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Validates responses against an OpenAPI 3 document's response schemas
 * (`$ref`s into components, `nullable`, additional properties as the spec allows).
 */
export interface OpenApiValidator {
  /** Validates `body` as the `status` response of `method path` (a spec path template). */
  validate(method: string, specPath: string, status: number, body: unknown): { valid: boolean; errors: string[] };
  /** Finds the spec path template for a concrete path, e.g. /rest/api/3/issue/DEMO-1 → /rest/api/3/issue/{issueIdOrKey}. */
  match(method: string, concretePath: string): string | undefined;
}

export function loadOpenApi(file: string): OpenApiValidator {
  const spec = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as {
    paths: Record<
      string,
      Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
    >;
    components: object;
  };
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'oas', components: relaxCompositeSchemas(spec.components) });
  const cache = new Map<string, ValidateFunction>();
  const templates = Object.keys(spec.paths).map((p) => ({
    p,
    re: new RegExp('^' + p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+') + '$'),
  }));
  const rewriteRefs = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"oas#/'));
  return {
    match(method, concretePath) {
      const candidates = templates.filter((t) => t.re.test(concretePath) && spec.paths[t.p]?.[method.toLowerCase()]);
      // Prefer the most literal template: fewest parameters.
      return candidates.sort((a, b) => (a.p.match(/\{/g)?.length ?? 0) - (b.p.match(/\{/g)?.length ?? 0))[0]?.p;
    },
    validate(method, specPath, status, body) {
      const op = spec.paths[specPath]?.[method.toLowerCase()];
      if (!op) return { valid: false, errors: [`No operation ${method} ${specPath} in the spec`] };
      const response = op.responses?.[String(status)] ?? op.responses?.default;
      if (!response) return { valid: false, errors: [`Status ${status} is not documented for ${method} ${specPath}`] };
      const schema = response.content?.['application/json']?.schema;
      // The spec documents the status but no body (Jira's error bodies are not described): nothing more to check.
      if (!schema) return { valid: true, errors: [] };
      const key = `${method} ${specPath} ${status}`;
      let v = cache.get(key);
      if (!v) {
        v = ajv.compile(rewriteRefs(schema) as object);
        cache.set(key, v);
      }
      const valid = v(body) === true;
      return {
        valid,
        errors: valid
          ? []
          : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
      };
    },
  };
}

/**
 * Some generated schemas put `additionalProperties: false` next to `anyOf` with
 * no `properties` of their own (Jira's JqlQueryClause). Read literally that
 * forbids every property; OpenAPI tooling reads it as "one of these shapes",
 * and so do we.
 */
function relaxCompositeSchemas<T>(node: T): T {
  if (Array.isArray(node)) return node.map(relaxCompositeSchemas) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = relaxCompositeSchemas(v);
  if (out.additionalProperties === false && !out.properties && (out.anyOf || out.oneOf || out.allOf))
    delete out.additionalProperties;
  return out as T;
}

export const JIRA_SPEC = path.resolve(__dirname, '../../../shared/specs/jira/swagger-v3.v3.json');
