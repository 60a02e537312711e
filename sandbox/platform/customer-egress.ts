/**
 * Customer-managed egress (forge-platform.md §6): an app whose manifest sets
 * `permissions.external.configurable.enabled: true` may ask, through
 * `@forge/bridge` `permissions.egress.set`, for domains its manifest does not
 * list; an administrator approves them in a dialog the product shows, and the
 * installation's functions may then fetch them. Groups of domains, each with
 * a key and a description the admin reads; at most 10 groups an installation,
 * 10 domains a group, and 40 domain×type entries other than backend fetch.
 *
 * What the platform keeps per installation, checked as Forge checks it; the
 * host (sandbox/host) shows the dialog and knows who is an administrator.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';

/** `@forge/egress` EgressType. */
export const EGRESS_TYPES = [
  'FETCH_BACKEND_SIDE',
  'FETCH_CLIENT_SIDE',
  'FONTS',
  'FRAMES',
  'IMAGES',
  'MEDIA',
  'SCRIPTS',
  'STYLES',
] as const;
export type EgressType = (typeof EGRESS_TYPES)[number];

export const LIMITS = { groups: 10, domainsPerGroup: 10, nonBackendEntries: 40 } as const;

/**
 * A domain as an egress entry names it: a host, optionally `*.` for its subdomains, optionally with `https://` and
 * a port; never a path, credentials, plain http or a bare `*`.
 */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(1000)
  .regex(
    /^(https:\/\/)?(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/,
    'must be a domain such as devops.example.com or *.example.com (https only, no path)',
  );

const group = z.object({
  key: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'),
  description: z.string().trim().min(1).max(1000),
  configured: z.array(z.object({ domain, type: z.array(z.enum(EGRESS_TYPES)).min(1) })).min(1),
});
export type EgressGroup = z.infer<typeof group>;

export const setPayload = z.object({ egresses: z.array(group).min(1) });
export const getPayload = z
  .object({
    keys: z.array(z.string()).optional(),
    pageSize: z.number().int().min(1).max(100).optional(),
    nextPageToken: z.string().optional(),
  })
  .optional();
export const deleteDomainPayload = z.object({ key: z.string(), domain, type: z.enum(EGRESS_TYPES) });
export const deleteGroupPayload = z.object({ key: z.string() });

/** A refusal as the bridge's promise rejects with it (Forge: 400 for malformed requests, validation failures and the limits). */
export class EgressRequestError extends Error {}

const issuesOf = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`.trim()).join('; ');

/** The egress groups an administrator approved for one installation. */
export class CustomerEgress {
  private groups = new Map<string, EgressGroup>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const saved = z.array(group).safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (saved.success) for (const g of saved.data) this.groups.set(g.key, g);
    }
  }

  /** Checks a request to add or replace groups; throws what Forge would refuse it with. */
  review(payload: unknown): EgressGroup[] {
    const parsed = setPayload.safeParse(payload);
    if (!parsed.success) throw new EgressRequestError(`Malformed egress request: ${issuesOf(parsed.error)}`);
    const next = new Map(this.groups);
    for (const g of parsed.data.egresses) {
      if (g.configured.length > LIMITS.domainsPerGroup)
        throw new EgressRequestError(
          `An egress group holds at most ${LIMITS.domainsPerGroup} domains; ${g.key} has ${g.configured.length}`,
        );
      next.set(g.key, { ...g, configured: g.configured.map((c) => ({ ...c, type: [...new Set(c.type)] })) });
    }
    if (next.size > LIMITS.groups)
      throw new EgressRequestError(`An installation holds at most ${LIMITS.groups} egress groups`);
    const nonBackend = [...next.values()]
      .flatMap((g) => g.configured)
      .reduce((n, c) => n + c.type.filter((t) => t !== 'FETCH_BACKEND_SIDE').length, 0);
    if (nonBackend > LIMITS.nonBackendEntries)
      throw new EgressRequestError(
        `An installation holds at most ${LIMITS.nonBackendEntries} egress entries other than backend fetch`,
      );
    return parsed.data.egresses;
  }

  /** Saves groups an administrator approved (checked again: the list may have changed since the dialog opened). */
  set(payload: unknown): { results: EgressGroup[] } {
    const approved = this.review(payload);
    for (const g of approved) this.groups.set(g.key, g);
    this.save();
    return { results: approved.map((g) => this.groups.get(g.key)!) };
  }

  get(payload: unknown): { results: EgressGroup[]; lastEvaluatedKey?: string } {
    const parsed = getPayload.safeParse(payload);
    if (!parsed.success) throw new EgressRequestError(`Malformed egress request: ${issuesOf(parsed.error)}`);
    const { keys, pageSize = 10, nextPageToken } = parsed.data ?? {};
    const all = [...this.groups.values()]
      .filter((g) => !keys || keys.includes(g.key))
      .sort((a, b) => a.key.localeCompare(b.key))
      .filter((g) => !nextPageToken || g.key.localeCompare(nextPageToken) > 0);
    const page = all.slice(0, pageSize);
    return { results: page, ...(all.length > pageSize ? { lastEvaluatedKey: page.at(-1)!.key } : {}) };
  }

  deleteDomain(payload: unknown): void {
    const parsed = deleteDomainPayload.safeParse(payload);
    if (!parsed.success) throw new EgressRequestError(`Malformed egress request: ${issuesOf(parsed.error)}`);
    const g = this.groups.get(parsed.data.key);
    if (!g) throw new EgressRequestError(`No egress group ${parsed.data.key}`);
    const configured = g.configured
      .map((c) => (c.domain === parsed.data.domain ? { ...c, type: c.type.filter((t) => t !== parsed.data.type) } : c))
      .filter((c) => c.type.length > 0);
    if (configured.length) this.groups.set(g.key, { ...g, configured });
    else this.groups.delete(g.key);
    this.save();
  }

  deleteGroup(payload: unknown): void {
    const parsed = deleteGroupPayload.safeParse(payload);
    if (!parsed.success) throw new EgressRequestError(`Malformed egress request: ${issuesOf(parsed.error)}`);
    if (!this.groups.delete(parsed.data.key)) throw new EgressRequestError(`No egress group ${parsed.data.key}`);
    this.save();
  }

  /** The approved domains of one type, as egress entries for the runtime's allow-list. */
  domains(type: EgressType): string[] {
    return [...this.groups.values()].flatMap((g) =>
      g.configured.filter((c) => c.type.includes(type)).map((c) => c.domain),
    );
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify([...this.groups.values()], null, 2));
    renameSync(partial, this.file);
  }
}
