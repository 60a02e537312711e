import Ajv from 'ajv-draft-04';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The published ADF JSON schema (draft-04) from ../shared/specs, compiled once. */
let validator: (((doc: unknown) => boolean) & { errors?: unknown }) | undefined;

export function validateAdf(doc: unknown): { valid: boolean; errors: unknown } {
  if (!validator) {
    const schema = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../sandbox/sims/jira/adf-schema.json'), 'utf8'),
    ) as object;
    validator = new Ajv({ allErrors: false, strict: false }).compile(schema);
  }
  const valid = validator(doc);
  return { valid, errors: validator.errors };
}
