/**
 * Freshservice's error answers (vendor-apis-more.md §2.8): every refusal is
 * `{description, errors: [{field, message, code}]}`, `field` only on a 400.
 * The envelope is assumed to match Freshdesk's (the fact sheet marks it
 * unconfirmed), so it lives here alone should it need to change.
 */
export type FsErrorCode =
  | 'missing_field'
  | 'invalid_value'
  | 'duplicate_value'
  | 'datatype_mismatch'
  | 'invalid_field'
  | 'invalid_json'
  | 'invalid_credentials'
  | 'access_denied'
  | 'require_feature'
  | 'readonly_field'
  | 'inaccessible_field'
  | 'incompatible_field'
  | 'unsupported_authentication_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal_error';

export interface FsErrorEntry {
  field?: string;
  message: string;
  code: FsErrorCode;
}

export class FsError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly errors: FsErrorEntry[],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${description}`);
  }

  get body(): { description: string; errors: FsErrorEntry[] } {
    return { description: this.description, errors: this.errors };
  }
}

/** A 400 naming each field that failed validation. */
export const validation = (...errors: Array<Required<Pick<FsErrorEntry, 'field'>> & FsErrorEntry>): FsError =>
  new FsError(400, 'Validation failed', errors);

export const invalidField = (field: string): FsError =>
  validation({ field, message: 'Unexpected/invalid field in request', code: 'invalid_field' });

export const invalidValue = (field: string, message: string): FsError =>
  validation({ field, message, code: 'invalid_value' });

export const missingField = (field: string, message = 'It should not be blank as this is a mandatory field'): FsError =>
  validation({ field, message, code: 'missing_field' });

export const notFound = (): FsError =>
  new FsError(404, 'Record not found', [{ message: 'The requested resource does not exist', code: 'not_found' }]);

export const invalidCredentials = (): FsError =>
  new FsError(401, 'Authentication failure', [
    { message: 'You have to be logged in to perform this action.', code: 'invalid_credentials' },
  ]);

/** Username/password Basic auth was removed in 2023; the API says so rather than "wrong password". */
export const unsupportedAuthentication = (): FsError =>
  new FsError(401, 'Authentication failure', [
    {
      message: 'Basic authentication with username and password is no longer supported. Use your API key.',
      code: 'unsupported_authentication_type',
    },
  ]);

export const accessDenied = (): FsError =>
  new FsError(403, 'Access denied', [
    { message: 'You are not authorized to perform this action.', code: 'access_denied' },
  ]);
