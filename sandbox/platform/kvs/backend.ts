import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One stored entry. Namespaces: `kvs`, `secret`, `entity:<name>`. */
export interface StoredEntry {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireAt?: number;
}

export interface KvsBackend {
  /** Every entry, by namespace and key, as stored. */
  load(): Map<string, Map<string, StoredEntry>>;
  /** Persist one change (undefined = deleted). Called after the in-memory state changed. */
  write(changes: Array<{ ns: string; key: string; entry?: StoredEntry }>): void;
  close?(): void;
}

export function createMemoryBackend(): KvsBackend {
  return { load: () => new Map(), write: () => undefined };
}

/**
 * Durable storage for `npm start`: an append-only JSON-lines log replayed at
 * start and compacted when it grows to several times the live data.
 */
export function createFileBackend(dir: string): KvsBackend {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kvs.jsonl');
  let state = new Map<string, Map<string, StoredEntry>>();
  let lines = 0;

  const apply = (ns: string, key: string, entry?: StoredEntry) => {
    let space = state.get(ns);
    if (!space) state.set(ns, (space = new Map()));
    if (entry) space.set(key, entry);
    else space.delete(key);
  };

  const compact = () => {
    const out: string[] = [];
    for (const [ns, space] of state) for (const [key, entry] of space) out.push(JSON.stringify({ ns, key, entry }));
    writeFileSync(`${file}.tmp`, out.length ? out.join('\n') + '\n' : '');
    renameSync(`${file}.tmp`, file);
    lines = out.length;
  };

  return {
    load() {
      state = new Map();
      if (existsSync(file)) {
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          if (!line.trim()) continue;
          try {
            const rec = JSON.parse(line) as { ns: string; key: string; entry?: StoredEntry };
            apply(rec.ns, rec.key, rec.entry);
            lines++;
          } catch {
            // A torn last line from a crash mid-append: everything before it is intact.
          }
        }
      }
      // Hand out a copy: the engine owns its maps, the backend keeps its own view for compaction.
      const copy = new Map<string, Map<string, StoredEntry>>();
      for (const [ns, space] of state) copy.set(ns, new Map(space));
      return copy;
    },
    write(changes) {
      appendFileSync(file, changes.map((c) => JSON.stringify(c)).join('\n') + '\n');
      for (const c of changes) apply(c.ns, c.key, c.entry);
      lines += changes.length;
      let live = 0;
      for (const space of state.values()) live += space.size;
      if (lines > 1000 && lines > live * 4) compact();
    },
  };
}
