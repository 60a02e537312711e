/** Zendesk's error bodies (vendor-apis.md §3.8). */

export type ErrorBody = Record<string, unknown>;

export class ZdError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.description === 'string' ? body.description : String(body.error ?? status));
  }
}

export interface FieldError {
  description: string;
  error?: string | null;
  [k: string]: unknown;
}

/** 422 `RecordInvalid` with per-field (or `base`) details. */
export const recordInvalid = (details: Record<string, FieldError[]>): ZdError =>
  new ZdError(422, { error: 'RecordInvalid', description: 'Record validation errors', details });

export const notFound = (): ZdError => new ZdError(404, { error: 'RecordNotFound', description: 'Not found' });

export const invalidEndpoint = (): ZdError => new ZdError(404, { error: 'InvalidEndpoint', description: 'Not found' });

export const forbidden = (): ZdError =>
  new ZdError(403, {
    error: 'Forbidden',
    description:
      'You do not have access to this page. Please contact the account owner of this help desk for further help.',
  });

export const unauthenticated = (): ZdError => new ZdError(401, { error: "Couldn't authenticate you" });

/** A bad OAuth bearer token (the OAuth layer's own shape). */
export const invalidToken = (): ZdError =>
  new ZdError(401, {
    error: 'invalid_token',
    error_description: 'The access token provided is expired, revoked, malformed or invalid for other reasons.',
  });

export const CLOSED_TICKET_DETAIL: FieldError = { description: 'Status: closed prevents ticket update' };

export const updateConflict = (): ZdError =>
  new ZdError(409, {
    error: 'UpdateConflict',
    description:
      'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.',
    details: {},
  });

export const badRequest = (error: string, description: string): ZdError => new ZdError(400, { error, description });

/** The JSON:API-like shape the newer endpoints (webhooks) use. */
export const jsonApiError = (status: number, code: string, title: string, detail?: string): ZdError =>
  new ZdError(status, { errors: [{ code, title, ...(detail ? { detail } : {}) }] });
