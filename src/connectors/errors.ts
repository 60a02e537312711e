/**
 * Every failure on the sync path has a kind, and the kind decides what happens
 * next (design brief §3): retry later, stop the connection, or stop the item.
 */
export type SyncErrorKind =
  /** Network trouble, 5xx, timeouts, a hibernating instance: retry with backoff. */
  | 'transient'
  /** 429 or a quota: retry after the remote's window. */
  | 'rate-limited'
  /** Bad or expired credentials, missing permission: stop the connection and tell the admin. */
  | 'auth'
  /** The remote refused the data (a required field, a bad value, an impossible transition): stop this item. */
  | 'validation'
  /** A concurrent change (stale revision, 409): re-read and reconcile again. */
  | 'conflict'
  /** The item is gone on one side. */
  | 'not-found'
  /**
   * The remote's answer went past a bound Crosswalk keeps on what it reads: more
   * pages than any item has, a page token given twice, a body or a file past its
   * size cap. Stop the item and say so; retrying unchanged cannot help.
   */
  | 'over-limit'
  /**
   * The remote has no way to do what was asked (GitHub has no file upload API): declared in its capabilities, so the
   * engine does not ask; where it is asked anyway, the item says so instead of retrying.
   */
  | 'unsupported';

export interface SyncErrorDetails {
  kind: SyncErrorKind;
  message: string;
  /** System the failure came from. */
  system: string;
  /** The field the remote complained about, when it says. */
  field?: string;
  /**
   * Each field the target refused, in the target's own words, where its answer
   * names them (Jira's `errors`, Azure DevOps's rule errors, Zendesk's
   * `details`): the rest of the write can then go through without them
   * (sync/write-isolation.ts).
   */
  refused?: Readonly<Record<string, string>>;
  /** The remote's own words, for the person fixing it. */
  remoteMessage?: string;
  /**
   * The connection the failing work was for, where the engine chose it for an item not linked yet (a create): the
   * failure is then that connection's to show and alert on.
   */
  connectionId?: string;
  httpStatus?: number;
  /** For rate limits and transient failures with a server-given delay. */
  retryAfterMs?: number;
  /**
   * The remote item is closed for good and refuses every change (a closed
   * Zendesk ticket). Retrying cannot help: the engine continues in a follow-up
   * item where the connector offers one (`Connector.followUp`), else reports it.
   */
  closed?: boolean;
}

export class SyncError extends Error {
  readonly details: SyncErrorDetails;
  constructor(details: SyncErrorDetails) {
    super(details.message);
    this.name = 'SyncError';
    this.details = details;
  }

  get kind(): SyncErrorKind {
    return this.details.kind;
  }

  /** Whether trying again later, unchanged, can succeed. */
  get retryable(): boolean {
    return (
      this.details.kind === 'transient' || this.details.kind === 'rate-limited' || this.details.kind === 'conflict'
    );
  }
}

export function isSyncError(e: unknown): e is SyncError {
  return e instanceof SyncError;
}
