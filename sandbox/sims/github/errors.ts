/** GitHub's error bodies (vendor-apis-more.md §1.8): `basic-error` and the 422 `validation-error`. */

export const DOCS = 'https://docs.github.com/rest';

export type ErrorBody = Record<string, unknown>;

/** A refusal the routes throw; the server answers it with its status, body and headers. */
export class GhError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : String(status));
  }
}

/** GitHub's newer answers carry the status again, as a string, beside the message. */
export const basicError = (status: number, message: string, headers: Record<string, string> = {}): GhError =>
  new GhError(status, { message, documentation_url: DOCS, status: String(status) }, headers);

/** 404 is also GitHub's answer for a private repository the caller cannot see: by design it does not say which. */
export const notFound = (): GhError => basicError(404, 'Not Found');

export const badCredentials = (): GhError => basicError(401, 'Bad credentials');

export const requiresAuthentication = (): GhError => basicError(401, 'Requires authentication');

export interface FieldError {
  resource: string;
  field?: string;
  code: 'custom' | 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable';
  message?: string;
  value?: unknown;
}

export const validationFailed = (...errors: FieldError[]): GhError =>
  new GhError(422, { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' });

/** A 422 with no field errors, as GitHub answers a refused relation (a sub-issue cycle, a second parent). */
export const unprocessable = (message: string): GhError =>
  new GhError(422, { message, documentation_url: DOCS, status: '422' });
