/**
 * The KVS engine, driven through the real @forge/kvs SDK: the test plays the
 * Forge runtime boundary (`global.__forge_fetch__`) and hands every call to the engine.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kvs, WhereConditions, Filter, FilterConditions, Sort, MetadataField, type ForgeKvsAPIError } from '@forge/kvs';
import { createFileBackend, createKvsEngine, type KvsEngine, type KvsEngineOptions } from './engine';

let engine: KvsEngine;
let now = Date.UTC(2026, 0, 1);

function useEngine(opts: Partial<KvsEngineOptions> = {}): KvsEngine {
  engine = createKvsEngine({
    now: () => now,
    rateLimits: false,
    entities: [
      {
        name: 'link',
        attributes: {
          connection: { type: 'string' },
          state: { type: 'string' },
          updated: { type: 'integer' },
          score: { type: 'float' },
          tags: { type: 'any' },
        },
        indexes: ['state', { name: 'by-connection-updated', range: ['updated'], partition: ['connection'] }],
      },
    ],
    ...opts,
  });
  return engine;
}

beforeAll(() => {
  const g = globalThis as Record<string, unknown>;
  g.__forge_runtime__ = { proxy: { token: 't', url: 'http://x' }, tracing: { traceId: 'a', spanId: 'b' }, metrics: {} };
  g.__forge_fetch__ = async (_descriptor: unknown, p: string, init: { body: string }) => {
    const r = await engine.handle(p, JSON.parse(init.body));
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { 'content-type': 'application/json' },
    });
  };
});

beforeEach(() => {
  now = Date.UTC(2026, 0, 1);
  useEngine();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as ForgeKvsAPIError).code ?? String(e);
  }
}

describe('keys and values', () => {
  it('stores, reads and deletes JSON values', async () => {
    await kvs.set('link:1', { remote: 'INC1', n: [1, 2] });
    expect(await kvs.get('link:1')).toEqual({ remote: 'INC1', n: [1, 2] });
    await kvs.delete('link:1');
    expect(await kvs.get('link:1')).toBeUndefined();
  });

  it('deleting a missing key is not an error', async () => {
    await expect(kvs.delete('never-set')).resolves.toBeUndefined();
  });

  it.each([
    ['an empty key', '', 'x', 'EMPTY_KEY'],
    ['a key over 500 characters', 'k'.repeat(501), 'x', 'KEY_TOO_LONG'],
    ['a key outside the allowed pattern', 'a/b', 'x', 'INVALID_KEY'],
    ['a key of only spaces', '   ', 'x', 'INVALID_KEY'],
    ['a value over 240 KiB', 'big', 'x'.repeat(240 * 1024 + 1), 'MAX_SIZE'],
    [
      'a value nested deeper than 32 levels',
      'deep',
      JSON.parse('['.repeat(33) + ']'.repeat(33)) as unknown,
      'MAX_DEPTH',
    ],
  ])('rejects %s', async (_name, key, value, code) => {
    expect(await codeOf(kvs.set(key, value))).toBe(code);
  });

  it('accepts a key of exactly 500 characters and a value of exactly 240 KiB', async () => {
    await kvs.set('k'.repeat(500), 'x'.repeat(240 * 1024 - 2));
    expect(await kvs.get('k'.repeat(500))).toHaveLength(240 * 1024 - 2);
  });

  it('refuses to overwrite with keyPolicy FAIL_IF_EXISTS', async () => {
    await kvs.set('once', 1, { keyPolicy: 'FAIL_IF_EXISTS' });
    expect(await codeOf(kvs.set('once', 2, { keyPolicy: 'FAIL_IF_EXISTS' }))).toBe('KEY_ALREADY_EXISTS');
    expect(await kvs.get('once')).toBe(1);
  });

  it('returns the previous or latest value with metadata when asked', async () => {
    await kvs.set('v', 'a');
    now += 5000;
    const previous = await kvs.set('v', 'b', {
      keyPolicy: 'OVERRIDE',
      returnValue: 'PREVIOUS',
      returnMetadataFields: [MetadataField.CREATED_AT],
    });
    expect(previous).toEqual({ key: 'v', value: 'a', createdAt: Date.UTC(2026, 0, 1) });
    const latest = await kvs.set('v', 'c', {
      keyPolicy: 'OVERRIDE',
      returnValue: 'LATEST',
      returnMetadataFields: [MetadataField.UPDATED_AT],
    });
    expect(latest).toEqual({ key: 'v', value: 'c', updatedAt: now });
  });

  it('reads metadata fields on get', async () => {
    await kvs.set('m', 1, { ttl: { value: 1, unit: 'HOURS' } });
    now += 1000;
    await kvs.set('m', 2, { ttl: { value: 1, unit: 'HOURS' } });
    const got = await kvs.get('m', {
      metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME],
    });
    expect(got).toEqual({
      key: 'm',
      value: 2,
      createdAt: now - 1000,
      updatedAt: now,
      expireTime: new Date(now + 3600_000).toISOString(),
    });
  });

  it('forgets a value once its TTL has passed', async () => {
    await kvs.set('short', 'lived', { ttl: { value: 30, unit: 'SECONDS' } });
    now += 29_000;
    expect(await kvs.get('short')).toBe('lived');
    now += 2_000;
    expect(await kvs.get('short')).toBeUndefined();
  });

  it('refuses a TTL over one year', async () => {
    expect(await codeOf(kvs.set('t', 1, { ttl: { value: 366, unit: 'DAYS' } }))).toBe('INVALID_TTL');
  });
});

describe('prefix queries', () => {
  beforeEach(async () => {
    for (let i = 0; i < 25; i++) await kvs.set(`cursor:${String(i).padStart(2, '0')}`, i);
    await kvs.set('other', 0);
  });

  it('returns 10 keys by default, in key order, with a cursor to the rest', async () => {
    const first = await kvs.query().where('key', WhereConditions.beginsWith('cursor:')).getMany();
    expect(first.results.map((r) => r.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `cursor:${String(i).padStart(2, '0')}`),
    );
    const second = await kvs
      .query()
      .where('key', WhereConditions.beginsWith('cursor:'))
      .limit(100)
      .cursor(first.nextCursor!)
      .getMany();
    expect(second.results).toHaveLength(15);
    expect(second.nextCursor).toBeUndefined();
  });

  it('allows at most 100 results a page', async () => {
    expect(await codeOf(kvs.query().limit(101).getMany())).toBe('LIST_QUERY_LIMIT_EXCEEDED');
  });

  it('never lists secrets', async () => {
    await kvs.setSecret('cursor:secret', 'pw');
    const all = await kvs.query().where('key', WhereConditions.beginsWith('cursor:')).limit(100).getMany();
    expect(all.results.map((r) => r.key)).not.toContain('cursor:secret');
  });
});

describe('secrets', () => {
  it('live in their own namespace', async () => {
    await kvs.setSecret('api-token', 'abc');
    expect(await kvs.getSecret('api-token')).toBe('abc');
    expect(await kvs.get('api-token')).toBeUndefined();
    await kvs.deleteSecret('api-token');
    expect(await kvs.getSecret('api-token')).toBeUndefined();
  });

  it('hold at most 128 KiB', async () => {
    expect(await codeOf(kvs.setSecret('big', 'x'.repeat(128 * 1024 + 1)))).toBe('MAX_SIZE');
  });
});

describe('batches', () => {
  it('set, get and delete up to 25 keys with per-key results', async () => {
    const set = await kvs.batchSet([
      { key: 'b1', value: 1 },
      { key: 'bad/key', value: 2 },
    ]);
    expect(set.successfulKeys).toEqual([{ key: 'b1' }]);
    expect(set.failedKeys).toEqual([{ key: 'bad/key', error: { code: 'INVALID_KEY', message: expect.any(String) } }]);
    const got = await kvs.batchGet([{ key: 'b1' }, { key: 'missing' }]);
    expect(got.successfulKeys).toEqual([{ key: 'b1', value: 1 }]);
    expect(got.failedKeys).toEqual([{ key: 'missing', error: { code: 'KEY_NOT_FOUND', message: expect.any(String) } }]);
    await kvs.batchDelete([{ key: 'b1' }]);
    expect(await kvs.get('b1')).toBeUndefined();
  });

  it('fail whole when empty, over 25 keys, or with a key twice', async () => {
    expect(await codeOf(kvs.batchSet([]))).toBe('INVALID_REQUEST');
    expect(await codeOf(kvs.batchSet(Array.from({ length: 26 }, (_, i) => ({ key: `k${i}`, value: i }))))).toBe(
      'BATCH_SIZE_EXCEEDED',
    );
    expect(
      await codeOf(
        kvs.batchSet([
          { key: 'd', value: 1 },
          { key: 'd', value: 2 },
        ]),
      ),
    ).toBe('DUPLICATE_KEYS');
  });
});

describe('custom entities', () => {
  const links = kvs.entity<{ connection: string; state: string; updated: number; score?: number; tags?: string[] }>(
    'link',
  );

  beforeEach(async () => {
    await links.set('l1', { connection: 'sn', state: 'ok', updated: 10, tags: ['a'] });
    await links.set('l2', { connection: 'sn', state: 'failed', updated: 30 });
    await links.set('l3', { connection: 'sn', state: 'ok', updated: 20 });
    await links.set('l4', { connection: 'ado', state: 'ok', updated: 15 });
  });

  it('get and delete by key', async () => {
    expect(await links.get('l1')).toEqual({ connection: 'sn', state: 'ok', updated: 10, tags: ['a'] });
    await links.delete('l1');
    expect(await links.get('l1')).toBeUndefined();
  });

  it('query an index by partition and range, sorted either way', async () => {
    const asc = await links
      .query()
      .index('by-connection-updated', { partition: ['sn'] })
      .where(WhereConditions.greaterThan(10))
      .getMany();
    expect(asc.results.map((r) => r.key)).toEqual(['l3', 'l2']);
    const desc = await links
      .query()
      .index('by-connection-updated', { partition: ['sn'] })
      .sort(Sort.DESC)
      .getMany();
    expect(desc.results.map((r) => r.key)).toEqual(['l2', 'l3', 'l1']);
    const between = await links
      .query()
      .index('by-connection-updated', { partition: ['sn'] })
      .where(WhereConditions.between(10, 20))
      .getMany();
    expect(between.results.map((r) => r.key)).toEqual(['l1', 'l3']);
  });

  it('filter with and/or conditions', async () => {
    const failedOrAdo = await links
      .query()
      .index('state')
      .filters(
        new Filter<{ state: string; connection: string }>()
          .or('state', FilterConditions.equalTo('failed'))
          .or('connection', FilterConditions.equalTo('ado')),
      )
      .getMany();
    expect(failedOrAdo.results.map((r) => r.key).sort()).toEqual(['l2', 'l4']);
    const tagged = await links
      .query()
      .index('state')
      .where(WhereConditions.equalTo('ok'))
      .filters(new Filter<{ tags: string[] }>().and('tags', FilterConditions.exists()))
      .getMany();
    expect(tagged.results.map((r) => r.key)).toEqual(['l1']);
  });

  it('page with limit and cursor', async () => {
    const first = await links.query().index('by-key').limit(3).getMany();
    expect(first.results.map((r) => r.key)).toEqual(['l1', 'l2', 'l3']);
    const rest = await links.query().index('by-key').cursor(first.nextCursor!).getMany();
    expect(rest.results.map((r) => r.key)).toEqual(['l4']);
  });

  it('reject undeclared entities, attributes, indexes and wrong types', async () => {
    expect(await codeOf(kvs.entity('nope').set('x', {}))).toBe('INVALID_ENTITY_TYPE');
    expect(await codeOf(links.set('x', { connection: 'sn', state: 'ok', updated: 1.5 }))).toBe('INVALID_ATTRIBUTE');
    expect(await codeOf(kvs.entity('link').set('x', { colour: 'red' }))).toBe('INVALID_ATTRIBUTE');
    expect(await codeOf(links.query().index('no-such-index').getMany())).toBe('INVALID_INDEX');
  });
});

describe('transactions', () => {
  it('write everything or nothing', async () => {
    await kvs.entity('link').set('guard', { connection: 'sn', state: 'ok', updated: 1 });
    await kvs
      .transact()
      .set('tx:a', 1)
      .set('tx:b', 2, undefined, { ttl: { value: 1, unit: 'MINUTES' } })
      .check('guard', {
        entityName: 'link',
        conditions: new Filter<{ state: string }>().and('state', FilterConditions.equalTo('ok')),
      })
      .execute();
    expect(await kvs.get('tx:a')).toBe(1);
    now += 61_000;
    expect(await kvs.get('tx:b')).toBeUndefined();

    const failing = kvs
      .transact()
      .set('tx:c', 3)
      .delete('tx:a')
      .check('guard', {
        entityName: 'link',
        conditions: new Filter<{ state: string }>().and('state', FilterConditions.equalTo('failed')),
      });
    expect(await codeOf(failing.execute())).toBe('CONDITION_FAILED');
    expect(await kvs.get('tx:c')).toBeUndefined();
    expect(await kvs.get('tx:a')).toBe(1);
  });

  it('set an entity only if it is unchanged (optimistic concurrency)', async () => {
    await kvs.entity('link').set('occ', { connection: 'sn', state: 'ok', updated: 1 });
    const write = (expected: number, next: number) =>
      kvs
        .transact()
        .set(
          'occ',
          { connection: 'sn', state: 'ok', updated: next },
          {
            entityName: 'link',
            conditions: new Filter<{ updated: number }>().and('updated', FilterConditions.equalTo(expected)),
          },
        )
        .execute();
    await write(1, 2);
    expect(await codeOf(write(1, 3))).toBe('CONDITION_FAILED');
    expect(await kvs.entity('link').get('occ')).toMatchObject({ updated: 2 });
  });

  it('allow at most 25 operations, each key once', async () => {
    const big = kvs.transact();
    for (let i = 0; i < 26; i++) big.set(`t${i}`, i);
    expect(await codeOf(big.execute())).toBe('TRANSACTION_SIZE_EXCEEDED');
    expect(await codeOf(kvs.transact().set('same', 1).delete('same').execute())).toBe('DUPLICATE_KEYS');
  });
});

describe('limits and durability', () => {
  it('answers 429 RATE_LIMIT_EXCEEDED past the write budget of 4,000 10 KB units a minute', async () => {
    useEngine({ rateLimits: { writeUnitsPerMinute: 10 } });
    for (let i = 0; i < 5; i++) await kvs.set(`r${i}`, 'x'.repeat(15 * 1024)); // 2 units each
    expect(await codeOf(kvs.set('r5', 'x'))).toBe('RATE_LIMIT_EXCEEDED');
    expect(await kvs.get('r0')).toHaveLength(15 * 1024);
    now += 60_001;
    await expect(kvs.set('r5', 'x')).resolves.toBeUndefined();
  });

  it('meters reads and writes for billing', async () => {
    const meters: Array<{ kind: string; bytes: number }> = [];
    useEngine({ onMeter: (m) => meters.push(m) });
    await kvs.set('a', 'x'.repeat(100));
    await kvs.get('missing');
    expect(meters).toEqual([
      { kind: 'write', bytes: expect.any(Number) },
      { kind: 'read', bytes: 1024 },
    ]);
  });

  it('keeps data across a restart with the file backend', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kvs-'));
    useEngine({ backend: createFileBackend(dir) });
    await kvs.set('durable', { ok: true });
    await kvs.setSecret('durable-secret', 's');
    await kvs.set('gone', 1);
    await kvs.delete('gone');
    useEngine({ backend: createFileBackend(path.join(dir)) });
    expect(await kvs.get('durable')).toEqual({ ok: true });
    expect(await kvs.getSecret('durable-secret')).toBe('s');
    expect(await kvs.get('gone')).toBeUndefined();
  });
});
