/**
 * The shape a connection is stored in, by version. A stored connection carries the version it was written in
 * (`schemaVersion`), and every read brings an older one forward before the settings schema reads it, so a shape saved
 * by an earlier release keeps doing what its project lead set up, and is never dropped as unreadable or read with a
 * setting silently gone. The version is the store's concern: what the rest of the app sees is the current settings.
 *
 * To change the stored shape: add the step from the current version to the next to `steps`, and test it over the
 * shapes the current version saves (connection-versions.test.ts).
 */

/** The version every connection is written in now. */
export const CONNECTION_SCHEMA_VERSION = 2;

type Stored = Record<string, unknown>;

const isRecord = (v: unknown): v is Stored => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmptyList = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);

/**
 * Version 1, the shapes saved before versions existed, to 2. What moved out of ServiceNow's `remote` when the
 * settings became the same for every system is moved where it lives now, so it is not dropped as an unknown key:
 * its `filter` (the records that create Jira issues) to `remoteFilter`, and its `resolution` (the fields a resolving
 * state needs) to `requiredOnEnter`. What no release reads any more goes: the secret's key in `remote.auth` (the
 * secret is found by the connection's id) and the comment field names (each connector knows its own).
 */
function fromVersion1(stored: Stored): Stored {
  const next: Stored = { ...stored };
  if (isRecord(stored.remote)) {
    const { filter, resolution, ...remote } = stored.remote;
    if (isRecord(remote.auth)) {
      const { secretRef: _ref, ...auth } = remote.auth;
      remote.auth = auth;
    }
    next.remote = remote;
    if (Array.isArray(filter) && filter.length && isEmptyList(stored.remoteFilter)) next.remoteFilter = filter;
    if (remote.type === 'servicenow' && isRecord(resolution) && isEmptyList(stored.requiredOnEnter)) {
      const { states, fields } = resolution;
      if (Array.isArray(states) && states.length && isRecord(fields) && Object.keys(fields).length)
        next.requiredOnEnter = [{ field: 'state', values: states, set: fields }];
    }
  }
  if (isRecord(stored.comments)) {
    const { publicField: _public, internalField: _internal, ...comments } = stored.comments;
    next.comments = comments;
  }
  return next;
}

/** `steps[v]` brings a connection stored in version v to version v + 1. */
const steps: Readonly<Record<number, (stored: Stored) => Stored>> = { 1: fromVersion1 };

/** The version a stored connection was written in: 1 for those written before versions existed. */
export function storedVersion(stored: Stored): number {
  const v = stored.schemaVersion;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

/**
 * A stored connection brought forward to the current version; anything that is not a stored connection (the marker
 * a deleted one leaves, nothing at all) is answered as it is. A version newer than this release knows (read by an
 * older release during a deploy's rollback) is left as it is: the settings schema reads what it knows of it.
 */
export function migrateStoredConnection(value: unknown): unknown {
  if (!isRecord(value) || value.deleted === true) return value;
  let stored = value;
  for (let v = storedVersion(stored); v < CONNECTION_SCHEMA_VERSION; v++) {
    const step = steps[v];
    if (!step) throw new Error(`No step from connection version ${v} to ${v + 1}`);
    stored = { ...step(stored), schemaVersion: v + 1 };
  }
  return stored;
}

/** A connection as it is written: its settings and the version they are written in. */
export function storedForm<T extends object>(config: T): T & { schemaVersion: number } {
  return { ...config, schemaVersion: CONNECTION_SCHEMA_VERSION };
}
