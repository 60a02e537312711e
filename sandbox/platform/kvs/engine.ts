import * as z from 'zod';
import type { KvsMeterEvent, KvsWireResponse } from '../contracts';
import { createFileBackend, createMemoryBackend, type KvsBackend, type StoredEntry } from './backend';
import {
  FILTER_CONDITIONS,
  RANGE_CONDITIONS,
  compareScalars,
  matches,
  matchesFilter,
  type FilterGroup,
} from './conditions';

export { createFileBackend, createMemoryBackend };
export type { KvsBackend };

/**
 * The Forge KVS service as the SDK sees it on the wire (`POST /api/v1/...`),
 * with the documented limits and error codes (forge-platform.md §3). Where
 * Forge documents no code (FAIL_IF_EXISTS conflicts, failed transaction
 * conditions) the code is ours and marked so.
 */
export interface EntityDeclaration {
  name: string;
  attributes: Record<string, { type: 'string' | 'integer' | 'float' | 'boolean' | 'any' }>;
  indexes?: Array<string | { name: string; range: string[]; partition?: string[] }>;
}

export interface KvsEngineOptions {
  entities?: EntityDeclaration[];
  backend?: KvsBackend;
  now?: () => number;
  onMeter?: (e: KvsMeterEvent) => void;
  rateLimits?: false | { requestsPerSecond?: number; readUnitsPerMinute?: number; writeUnitsPerMinute?: number };
}

export const KVS_LIMITS = {
  keyLength: 500,
  valueBytes: 240 * 1024,
  secretBytes: 128 * 1024,
  depth: 32,
  queryLimit: 100,
  batchItems: 25,
  transactionOps: 25,
  transactionBytes: 4 * 1024 * 1024,
  maxTtlMs: 365 * 86_400_000,
  unitBytes: 10 * 1024,
} as const;

const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const TTL_UNIT_MS = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

class KvsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string): never => {
  throw new KvsFailure(status, code, message);
};

const metadataFields = z.array(z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'])).optional();
const ttlSchema = z.object({ value: z.number().positive(), unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']) });
const setOptions = z
  .object({
    ttl: ttlSchema.optional(),
    keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
    returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
    returnMetadataFields: metadataFields,
  })
  .optional();
const conditionSchema = z.object({
  property: z.string().optional(),
  condition: z.string(),
  values: z.array(z.unknown()),
});
const filterSchema = z.union([z.object({ and: z.array(conditionSchema) }), z.object({ or: z.array(conditionSchema) })]);

const getBody = z.object({
  key: z.string(),
  entityName: z.string().optional(),
  options: z.object({ metadataFields }).optional(),
});
const setBody = z.object({
  key: z.string(),
  entityName: z.string().optional(),
  value: z.unknown(),
  options: setOptions,
});
const deleteBody = z.object({ key: z.string(), entityName: z.string().optional() });
const queryBody = z.object({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z
    .array(
      z.object({
        property: z.literal('key'),
        condition: z.literal('BEGINS_WITH'),
        values: z.array(z.string()).length(1),
      }),
    )
    .max(1)
    .optional(),
  options: z.object({ metadataFields }).optional(),
});
const entityQueryBody = z.object({
  entityName: z.string(),
  indexName: z.string(),
  partition: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  range: conditionSchema.optional(),
  filters: filterSchema.optional(),
  sort: z.enum(['ASC', 'DESC']).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().optional(),
  options: z.object({ metadataFields }).optional(),
});
const batchItem = z.object({
  key: z.string(),
  entityName: z.string().optional(),
  value: z.unknown().optional(),
  options: z.object({ ttl: ttlSchema.optional(), metadataFields }).loose().optional(),
});
const batchBody = z.array(batchItem);
const txBody = z.object({
  set: z
    .array(
      z.object({
        key: z.string(),
        value: z.unknown(),
        entityName: z.string().optional(),
        conditions: filterSchema.optional(),
        options: z.object({ ttl: ttlSchema.optional() }).loose().optional(),
      }),
    )
    .optional(),
  delete: z
    .array(z.object({ key: z.string(), entityName: z.string().optional(), conditions: filterSchema.optional() }))
    .optional(),
  check: z.array(z.object({ key: z.string(), entityName: z.string(), conditions: filterSchema })).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    return fail(400, 'INVALID_REQUEST', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value as Record<string, unknown>);
  return 1 + children.reduce<number>((max, c) => Math.max(max, depthOf(c)), 0);
}

interface IndexDef {
  name: string;
  range: string[];
  partition: string[];
}

export interface KvsEngine {
  handle(path: string, body: unknown): Promise<KvsWireResponse>;
  /** Every live entry of a namespace (`kvs`, `secret`, `entity:<name>`), for tests and debugging. */
  dump(ns?: string): Array<{ ns: string; key: string; value: unknown }>;
  clear(): void;
  close?(): void;
}

export function createKvsEngine(opts: KvsEngineOptions = {}): KvsEngine {
  const backend = opts.backend ?? createMemoryBackend();
  const now = opts.now ?? Date.now;
  const data = backend.load();
  const entities = new Map((opts.entities ?? []).map((e) => [e.name, e]));
  const limits =
    opts.rateLimits === false
      ? undefined
      : { requestsPerSecond: 1000, readUnitsPerMinute: 4000, writeUnitsPerMinute: 4000, ...(opts.rateLimits ?? {}) };
  const requests: number[] = [];
  const units: Array<{ at: number; kind: 'read' | 'write'; units: number }> = [];

  const space = (ns: string) => {
    let s = data.get(ns);
    if (!s) data.set(ns, (s = new Map()));
    return s;
  };
  const live = (entry: StoredEntry | undefined): StoredEntry | undefined =>
    entry && (entry.expireAt === undefined || entry.expireAt > now()) ? entry : undefined;

  function nsFor(entityName: string | undefined, secret = false): string {
    if (secret) return 'secret';
    if (entityName === undefined) return 'kvs';
    if (!entities.has(entityName)) {
      if (entityName.length < 3) fail(400, 'ENTITY_TYPE_TOO_SHORT', 'Entity name must be at least 3 characters');
      if (entityName.length > 60) fail(400, 'ENTITY_TYPE_TOO_LARGE', 'Entity name must be at most 60 characters');
      fail(400, 'INVALID_ENTITY_TYPE', `Entity '${entityName}' is not declared in the manifest`);
    }
    return `entity:${entityName}`;
  }

  function checkKey(key: string): void {
    if (key.length === 0) fail(400, 'EMPTY_KEY', 'Key cannot be empty');
    if (key.length > KVS_LIMITS.keyLength)
      fail(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.keyLength} characters`);
    if (!KEY_PATTERN.test(key))
      fail(400, 'INVALID_KEY', 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  }

  function checkValue(value: unknown, ns: string): void {
    if (value === null || value === undefined) fail(400, 'INVALID_VALUE', 'Value cannot be null or undefined');
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    const max = ns === 'secret' ? KVS_LIMITS.secretBytes : KVS_LIMITS.valueBytes;
    if (bytes > max) fail(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${max} bytes)`);
    if (depthOf(value) > KVS_LIMITS.depth)
      fail(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${KVS_LIMITS.depth}) limit`);
    if (ns.startsWith('entity:')) checkEntityValue(ns.slice(7), value);
  }

  function checkEntityValue(name: string, value: unknown): void {
    const decl = entities.get(name)!;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(400, 'INVALID_VALUE', `Entity '${name}' values must be objects`);
    for (const [attr, v] of Object.entries(value as Record<string, unknown>)) {
      const type = decl.attributes[attr]?.type;
      if (!type) fail(400, 'INVALID_ATTRIBUTE', `Attribute '${attr}' is not declared on entity '${name}'`);
      const ok =
        type === 'any' ||
        (type === 'string' && typeof v === 'string') ||
        (type === 'boolean' && typeof v === 'boolean') ||
        (type === 'float' && typeof v === 'number') ||
        (type === 'integer' && Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31);
      if (!ok) fail(400, 'INVALID_ATTRIBUTE', `Attribute '${attr}' of entity '${name}' must be ${type}`);
    }
  }

  function expiry(ttl: z.infer<typeof ttlSchema> | undefined): number | undefined {
    if (!ttl) return undefined;
    const ms = ttl.value * TTL_UNIT_MS[ttl.unit];
    if (ms > KVS_LIMITS.maxTtlMs) fail(400, 'INVALID_TTL', 'TTL cannot exceed one year');
    return now() + ms;
  }

  function present(key: string, entry: StoredEntry, fields?: string[]): Record<string, unknown> {
    return {
      key,
      value: entry.value,
      ...(fields?.includes('CREATED_AT') ? { createdAt: entry.createdAt } : {}),
      ...(fields?.includes('UPDATED_AT') ? { updatedAt: entry.updatedAt } : {}),
      ...(fields?.includes('EXPIRE_TIME') && entry.expireAt !== undefined
        ? { expireTime: new Date(entry.expireAt).toISOString() }
        : {}),
    };
  }

  type Change = { ns: string; key: string; entry?: StoredEntry };
  function put(ns: string, key: string, value: unknown, expireAt: number | undefined, changes: Change[]): StoredEntry {
    const previous = live(space(ns).get(key));
    const t = now();
    const entry: StoredEntry = {
      value: JSON.parse(JSON.stringify(value)) as unknown,
      createdAt: previous?.createdAt ?? t,
      updatedAt: t,
      ...(expireAt !== undefined ? { expireAt } : {}),
    };
    space(ns).set(key, entry);
    changes.push({ ns, key, entry });
    return entry;
  }
  function remove(ns: string, key: string, changes: Change[]): void {
    if (space(ns).delete(key)) changes.push({ ns, key });
  }

  function indexesOf(name: string): IndexDef[] {
    const decl = entities.get(name)!;
    return [
      { name: 'by-key', range: [], partition: [] },
      ...(decl.indexes ?? []).map((i) =>
        typeof i === 'string'
          ? { name: i, range: [i], partition: [] }
          : { name: i.name, range: i.range, partition: i.partition ?? [] },
      ),
    ];
  }

  function page<T>(
    items: T[],
    cursor: string | undefined,
    limit: number | undefined,
    defaultLimit = 10,
  ): { items: T[]; cursor?: string } {
    const size = limit ?? defaultLimit;
    if (size < 1 || size > KVS_LIMITS.queryLimit)
      fail(400, 'LIST_QUERY_LIMIT_EXCEEDED', `Query limit must be between 1 and ${KVS_LIMITS.queryLimit}`);
    let start = 0;
    if (cursor) {
      const decoded = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
      if (!Number.isInteger(decoded) || decoded < 0) fail(400, 'INVALID_CURSOR', 'Cursor is not valid');
      start = decoded;
    }
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? Buffer.from(`o:${start + size}`).toString('base64url') : undefined;
    return { items: slice, ...(next ? { cursor: next } : {}) };
  }

  function rateLimit(path: string, bytes: number): void {
    if (!limits) return;
    const t = now();
    while (requests.length && requests[0]! <= t - 1000) requests.shift();
    while (units.length && units[0]!.at <= t - 60_000) units.shift();
    const isTx = path === '/api/v1/transaction';
    const tooMany = () => fail(429, isTx ? 'TOO_MANY_REQUESTS' : 'RATE_LIMIT_EXCEEDED', 'Storage rate limit exceeded');
    if (requests.length >= limits.requestsPerSecond) tooMany();
    const kind: 'read' | 'write' = isRead(path) ? 'read' : 'write';
    const cost = Math.max(1, Math.ceil(bytes / KVS_LIMITS.unitBytes));
    const used = units.filter((u) => u.kind === kind).reduce((n, u) => n + u.units, 0);
    if (used + cost > (kind === 'read' ? limits.readUnitsPerMinute : limits.writeUnitsPerMinute)) tooMany();
    requests.push(t);
    units.push({ at: t, kind, units: cost });
  }

  const isRead = (path: string) => /\/(get|query)$/.test(path);

  function route(path: string, body: unknown, changes: Change[]): unknown {
    const secretPath = path.startsWith('/api/v1/secret/');
    const entityPath = path.startsWith('/api/v1/entity/');
    const op = path.split('/').pop();
    if (path === '/api/v1/get' || (secretPath && op === 'get') || (entityPath && op === 'get')) {
      const b = parse(getBody, body);
      checkKey(b.key);
      const ns = nsFor(
        entityPath ? (b.entityName ?? fail(400, 'INVALID_REQUEST', 'entityName is required')) : undefined,
        secretPath,
      );
      const entry = live(space(ns).get(b.key));
      if (!entry) return fail(404, 'KEY_NOT_FOUND', 'The specified key does not exist');
      return present(b.key, entry, b.options?.metadataFields);
    }
    if (path === '/api/v1/set' || (secretPath && op === 'set') || (entityPath && op === 'set')) {
      const b = parse(setBody, body);
      checkKey(b.key);
      const ns = nsFor(
        entityPath ? (b.entityName ?? fail(400, 'INVALID_REQUEST', 'entityName is required')) : undefined,
        secretPath,
      );
      checkValue(b.value, ns);
      const o = b.options;
      if ((o?.returnValue || o?.returnMetadataFields) && o.keyPolicy === 'FAIL_IF_EXISTS')
        fail(400, 'INVALID_REQUEST', 'returnValue and returnMetadataFields require keyPolicy OVERRIDE');
      const previous = live(space(ns).get(b.key));
      // Forge does not document this conflict's code.
      if (o?.keyPolicy === 'FAIL_IF_EXISTS' && previous)
        fail(409, 'KEY_ALREADY_EXISTS', `Key '${b.key}' already exists`);
      const entry = put(ns, b.key, b.value, expiry(o?.ttl), changes);
      if (o?.returnValue === 'PREVIOUS') return previous ? present(b.key, previous, o.returnMetadataFields) : undefined;
      if (o?.returnValue === 'LATEST') return present(b.key, entry, o.returnMetadataFields);
      return undefined;
    }
    if (path === '/api/v1/delete' || (secretPath && op === 'delete') || (entityPath && op === 'delete')) {
      const b = parse(deleteBody, body);
      checkKey(b.key);
      const ns = nsFor(
        entityPath ? (b.entityName ?? fail(400, 'INVALID_REQUEST', 'entityName is required')) : undefined,
        secretPath,
      );
      if (!live(space(ns).get(b.key))) return fail(404, 'KEY_NOT_FOUND', 'The specified key does not exist');
      remove(ns, b.key, changes);
      return undefined;
    }
    if (path === '/api/v1/query') {
      const b = parse(queryBody, body);
      const prefix = b.where?.[0]?.values[0] ?? '';
      const keys = [...space('kvs').entries()]
        .filter(([k, e]) => k.startsWith(prefix) && live(e))
        .sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0));
      const p = page(keys, b.after, b.limit);
      return {
        data: p.items.map(([k, e]) => present(k, e, b.options?.metadataFields)),
        ...(p.cursor ? { cursor: p.cursor } : {}),
      };
    }
    if (path === '/api/v1/entity/query') return entityQuery(parse(entityQueryBody, body));
    if (path === '/api/v1/batch/set' || path === '/api/v1/batch/get' || path === '/api/v1/batch/delete')
      return batch(op!, parse(batchBody, body), changes);
    if (path === '/api/v1/transaction') return transaction(parse(txBody, body), changes);
    return fail(404, 'NOT_FOUND', `No storage endpoint ${path}`);
  }

  function entityQuery(b: z.infer<typeof entityQueryBody>): unknown {
    const ns = nsFor(b.entityName);
    const index = indexesOf(b.entityName).find((i) => i.name === b.indexName);
    if (!index) return fail(400, 'INVALID_INDEX', `Index '${b.indexName}' is not declared on entity '${b.entityName}'`);
    if ((b.partition?.length ?? 0) !== index.partition.length)
      fail(400, 'INVALID_PARTITION', `Index '${index.name}' needs ${index.partition.length} partition value(s)`);
    if (b.range && !RANGE_CONDITIONS.has(b.range.condition))
      fail(400, 'INVALID_CONDITION', `${b.range.condition} is not a range condition`);
    const filters = b.filters ? ('and' in b.filters ? b.filters.and : b.filters.or) : [];
    if (filters.length > 100) fail(400, 'TOO_MANY_CONDITIONS', 'At most 100 conditions per query');
    for (const f of filters)
      if (!FILTER_CONDITIONS.has(f.condition)) fail(400, 'INVALID_CONDITION', `Unknown condition ${f.condition}`);
    const rangeOf = (key: string, v: Record<string, unknown>) => (index.range.length ? v[index.range[0]!] : key);
    const rows = [...space(ns).entries()]
      .filter(([, e]) => live(e))
      .map(([key, e]) => ({ key, e, v: e.value as Record<string, unknown> }))
      .filter(({ v }) => index.partition.every((attr, i) => v[attr] === b.partition![i]))
      // An index only holds items that have its range attribute.
      .filter(({ key, v }) => rangeOf(key, v) !== undefined)
      .filter(({ key, v }) => !b.range || matches(rangeOf(key, v), b.range))
      .filter(({ v }) => !b.filters || matchesFilter(v, b.filters as FilterGroup))
      .sort((x, y) => compareScalars(rangeOf(x.key, x.v), rangeOf(y.key, y.v)) || compareScalars(x.key, y.key));
    if (b.sort === 'DESC') rows.reverse();
    const p = page(rows, b.cursor, b.limit);
    return {
      data: p.items.map(({ key, e }) => present(key, e, b.options?.metadataFields)),
      ...(p.cursor ? { cursor: p.cursor } : {}),
    };
  }

  function batch(op: string, items: z.infer<typeof batchBody>, changes: Change[]): unknown {
    if (items.length === 0) fail(400, 'INVALID_REQUEST', 'Batch must contain at least one item');
    if (items.length > KVS_LIMITS.batchItems)
      fail(400, 'BATCH_SIZE_EXCEEDED', `A batch holds at most ${KVS_LIMITS.batchItems} items`);
    const ids = items.map((i) => `${i.entityName ?? ''}\u0000${i.key}`);
    if (new Set(ids).size !== ids.length) fail(400, 'DUPLICATE_KEYS', 'A batch cannot use the same key twice');
    if (op === 'set' && Buffer.byteLength(JSON.stringify(items)) > KVS_LIMITS.transactionBytes)
      fail(400, 'MAX_SIZE', 'Batch payload exceeds 4 MB');
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const id = { key: item.key, ...(item.entityName ? { entityName: item.entityName } : {}) };
      try {
        checkKey(item.key);
        const ns = nsFor(item.entityName);
        if (op === 'set') {
          checkValue(item.value, ns);
          put(ns, item.key, item.value, expiry(item.options?.ttl), changes);
          successfulKeys.push(id);
        } else if (op === 'get') {
          const entry = live(space(ns).get(item.key));
          if (!entry) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'The specified key does not exist');
          successfulKeys.push({
            ...id,
            ...present(item.key, entry, item.options?.metadataFields as string[] | undefined),
          });
        } else {
          remove(ns, item.key, changes);
          successfulKeys.push(id);
        }
      } catch (e) {
        if (!(e instanceof KvsFailure)) throw e;
        failedKeys.push({ ...id, error: { code: e.code, message: e.message } });
      }
    }
    return { successfulKeys, failedKeys };
  }

  function transaction(tx: z.infer<typeof txBody>, changes: Change[]): unknown {
    const ops = [
      ...(tx.set ?? []).map((s) => ({ ...s, kind: 'set' as const })),
      ...(tx.delete ?? []).map((d) => ({ ...d, kind: 'delete' as const })),
      ...(tx.check ?? []).map((c) => ({ ...c, kind: 'check' as const })),
    ];
    if (ops.length === 0) fail(400, 'INVALID_REQUEST', 'A transaction needs at least one operation');
    if (ops.length > KVS_LIMITS.transactionOps)
      fail(400, 'TRANSACTION_SIZE_EXCEEDED', `A transaction holds at most ${KVS_LIMITS.transactionOps} operations`);
    if (Buffer.byteLength(JSON.stringify(tx)) > KVS_LIMITS.transactionBytes)
      fail(400, 'MAX_SIZE', 'Transaction payload exceeds 4 MB');
    const ids = ops.map((o) => `${o.entityName ?? ''}\u0000${o.key}`);
    if (new Set(ids).size !== ids.length) fail(400, 'DUPLICATE_KEYS', 'Each key may appear once in a transaction');
    // Validate everything and evaluate every condition before writing anything: all or nothing.
    for (const o of ops) {
      checkKey(o.key);
      const ns = nsFor(o.entityName);
      if (o.conditions && !o.entityName)
        fail(400, 'INVALID_REQUEST', 'Conditions are only supported on custom entities');
      if (o.kind === 'set') checkValue(o.value, ns);
      if (o.conditions) {
        const current = live(space(ns).get(o.key))?.value as Record<string, unknown> | undefined;
        // Forge does not document this failure's code.
        if (!matchesFilter(current, o.conditions as FilterGroup))
          fail(409, 'CONDITION_FAILED', `Condition failed for key '${o.key}'`);
      }
    }
    for (const o of ops) {
      const ns = nsFor(o.entityName);
      if (o.kind === 'set') put(ns, o.key, o.value, expiry(o.options?.ttl), changes);
      if (o.kind === 'delete') remove(ns, o.key, changes);
    }
    return undefined;
  }

  return {
    async handle(path, body) {
      const requestBytes = Buffer.byteLength(JSON.stringify(body ?? null));
      const changes: Change[] = [];
      try {
        rateLimit(path, requestBytes);
        const result = route(path, body, changes);
        if (changes.length) backend.write(changes);
        const responseBytes = result === undefined ? 0 : Buffer.byteLength(JSON.stringify(result));
        opts.onMeter?.(
          isRead(path)
            ? { kind: 'read', bytes: Math.max(1024, responseBytes) }
            : { kind: 'write', bytes: requestBytes },
        );
        return { status: 200, body: result };
      } catch (e) {
        if (e instanceof KvsFailure) {
          // A read of a missing key is still a billed read (an empty read counts as 1 KB).
          if (e.code === 'KEY_NOT_FOUND' && isRead(path)) opts.onMeter?.({ kind: 'read', bytes: 1024 });
          return { status: e.status, body: { code: e.code, message: e.message } };
        }
        throw e;
      }
    },
    dump(ns) {
      const out: Array<{ ns: string; key: string; value: unknown }> = [];
      for (const [name, s] of data)
        if (!ns || ns === name) for (const [key, e] of s) if (live(e)) out.push({ ns: name, key, value: e.value });
      return out;
    },
    clear() {
      const changes: Change[] = [];
      for (const [ns, s] of data) for (const key of s.keys()) changes.push({ ns, key });
      data.clear();
      if (changes.length) backend.write(changes);
    },
    close: backend.close?.bind(backend),
  };
}
