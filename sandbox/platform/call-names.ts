import type { OutboundMessage, RpcMessage } from './worker/protocol';

/**
 * Names for the outbound calls a function makes, in the words a test looks
 * for: `KVS /api/v1/transaction link/10012:demo-servicenow`, `EVENTS publish
 * crosswalk-sync`, `POST https://acme.service-now.com/api/now/table/incident`.
 * A crash case finds "the call after the remote create" by its name in a
 * recorded run instead of counting calls by hand.
 */

/** The keys a KVS request names (entity keys as `entity/key`, index queries as `entity?index`). */
export function kvsKeysOf(body: unknown): string[] {
  const one = (x: unknown): string[] => {
    if (!x || typeof x !== 'object') return [];
    const r = x as { key?: unknown; entityName?: unknown };
    return typeof r.key === 'string' ? [typeof r.entityName === 'string' ? `${r.entityName}/${r.key}` : r.key] : [];
  };
  if (Array.isArray(body)) return body.flatMap(one);
  if (body && typeof body === 'object' && ('set' in body || 'delete' in body || 'check' in body)) {
    const tx = body as { set?: unknown[]; delete?: unknown[]; check?: unknown[] };
    return [...(tx.set ?? []), ...(tx.delete ?? []), ...(tx.check ?? [])].flatMap(one);
  }
  const b = body as { entityName?: unknown; indexName?: unknown } | undefined;
  if (b && typeof b.entityName === 'string' && typeof b.indexName === 'string')
    return [`${b.entityName}?${b.indexName}`];
  return one(body);
}

function parsed(body: string | undefined): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

export function callName(msg: RpcMessage | OutboundMessage): string {
  if (msg.type === 'outbound') return `${msg.method} ${msg.url}`;
  const body = parsed(msg.body);
  if (msg.channel === 'kvs') {
    const keys = kvsKeysOf(body);
    return `KVS ${msg.path}${keys.length ? ` ${keys.join(' ')}` : ''}`;
  }
  const queue = /^\/webhook\/queue\/(publish|stats|cancel)\//.exec(msg.path);
  if (queue) {
    const name = (body as { queueName?: unknown } | undefined)?.queueName;
    return `EVENTS ${queue[1]}${typeof name === 'string' ? ` ${name}` : ''}`;
  }
  return `PLATFORM ${msg.path}`;
}
