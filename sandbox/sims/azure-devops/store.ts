/**
 * The simulator's state: organizations (Services) and collections (Server),
 * projects, identities and their PATs, work items with every revision,
 * comments, attachments and service hook subscriptions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { defaultFields, defaultProcesses, type FieldDef, type ProcessName, type WorkItemTypeDef } from './process';

export interface Identity {
  id: string;
  displayName: string;
  uniqueName: string;
  descriptor: string;
  pats: Set<string>;
}

/** How an identity field is stored; rendered as an IdentityRef (REST) or "Name <email>" (service hooks). */
export interface IdentityValue {
  identityId: string;
}
export type FieldValue = string | number | boolean | IdentityValue;
export type Fields = Record<string, FieldValue>;
export type AttributeValue = string | number | boolean;

export interface Relation {
  rel: string;
  url: string;
  attributes: Record<string, AttributeValue>;
}

export interface FieldChange {
  oldValue?: FieldValue;
  newValue?: FieldValue;
}

export interface Revision {
  rev: number;
  fields: Fields;
  relations: Relation[];
  changes: Record<string, FieldChange>;
  relationChanges?: { added?: Relation[]; removed?: Relation[]; updated?: Relation[] };
  by: string;
  date: number;
  commentVersionRef?: { commentId: number; version: number };
}

export interface CommentVersion {
  version: number;
  text: string;
  renderedText: string;
  format: 'html' | 'markdown';
  modifiedBy: string;
  modifiedDate: number;
  isDeleted: boolean;
}

export interface CommentRecord {
  id: number;
  workItemId: number;
  createdBy: string;
  createdDate: number;
  versions: CommentVersion[];
}

export interface WorkItemRecord {
  id: number;
  org: Organization;
  project: Project;
  rev: number;
  fields: Fields;
  relations: Relation[];
  revisions: Revision[];
  comments: CommentRecord[];
  deleted?: { by: string; date: number };
}

export interface AttachmentRecord {
  id: string;
  org: string;
  fileName: string;
  chunks: Buffer[];
  size: number;
  /** Chunked uploads: the total announced by Content-Range. */
  expectedSize?: number;
  chunked: boolean;
  createdBy: string;
  createdDate: number;
}

export interface Project {
  id: string;
  name: string;
  process: ProcessName;
  areas: string[];
  iterations: string[];
}

export interface Organization {
  id: string;
  name: string;
  kind: 'services' | 'server';
  projects: Project[];
  /** Work item ids are unique per organization or collection. */
  lastWorkItemId: number;
  /** A bad PAT on matching paths gets the sign-in page instead of 401. */
  signInPage: { on: boolean; mode: '203' | '302'; paths: Array<{ method?: string; path: string }> };
}

/** Where a bad PAT gets the sign-in page when an organization is flagged: the work item GET and WIQL. */
export const DEFAULT_SIGN_IN_PATHS: Array<{ method?: string; path: string }> = [
  { method: 'GET', path: '/\\/_apis\\/wit\\/workitems\\/\\d+$/' },
  { method: 'POST', path: '/_apis/wit/wiql' },
];

export interface Subscription {
  id: string;
  org: string;
  publisherId: string;
  eventType: string;
  resourceVersion: string;
  consumerId: string;
  consumerActionId: string;
  publisherInputs: Record<string, string>;
  consumerInputs: Record<string, string>;
  status: 'enabled' | 'onProbation' | 'disabledByUser' | 'disabledBySystem' | 'disabledByInactiveIdentity';
  createdBy: string;
  createdDate: number;
  modifiedBy: string;
  modifiedDate: number;
  notificationCount: number;
}

export interface Limits {
  wiqlMaxResults: number;
  batchMaxIds: number;
  attachmentMaxBytes: number;
  chunkedAttachmentMaxBytes: number;
  commentsMaxTop: number;
  titleMaxLength: number;
  maxTags: number;
  maxRelations: number;
  maxAttachments: number;
}

export const defaultLimits = (): Limits => ({
  wiqlMaxResults: 20_000,
  batchMaxIds: 200,
  attachmentMaxBytes: 130 * 1024 * 1024,
  chunkedAttachmentMaxBytes: 2 * 1024 * 1024 * 1024,
  commentsMaxTop: 200,
  titleMaxLength: 255,
  maxTags: 100,
  maxRelations: 1000,
  maxAttachments: 100,
});

/** .NET's round-trip UTC format: milliseconds with trailing zeros dropped, e.g. 2014-12-29T20:49:24.67Z. */
export function adoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}
export const END_OF_TIME = '9999-01-01T00:00:00Z';

export const isIdentityValue = (v: unknown): v is IdentityValue =>
  typeof v === 'object' && v !== null && 'identityId' in v;

export function descriptorFor(id: string): string {
  return `aad.${Buffer.from(createHash('sha256').update(id).digest('hex').slice(0, 32)).toString('base64').replace(/=+$/, '')}`;
}

export class AdoStore {
  orgs: Organization[] = [];
  identities: Identity[] = [];
  processes = defaultProcesses();
  fieldDefs: FieldDef[] = defaultFields();
  /** Work items per organization (ids are unique per organization or collection). */
  workItems = new Map<string, Map<number, WorkItemRecord>>();
  attachments = new Map<string, AttachmentRecord>();
  subscriptions: Subscription[] = [];
  limits: Limits = defaultLimits();
  counters = { comment: 0, watermark: 0, link: 0 };
  /** Added to the base clock by the control API. */
  clockOffset = 0;

  constructor(private readonly baseNow: () => number) {}

  now = (): number => this.baseNow() + this.clockOffset;

  addOrg(name: string, kind: Organization['kind']): Organization {
    const org: Organization = {
      id: randomUUID(),
      name,
      kind,
      projects: [],
      lastWorkItemId: 0,
      signInPage: { on: false, mode: '203', paths: DEFAULT_SIGN_IN_PATHS.map((p) => ({ ...p })) },
    };
    this.orgs.push(org);
    this.workItems.set(name.toLowerCase(), new Map());
    return org;
  }

  addProject(org: Organization, name: string, process: ProcessName): Project {
    const project: Project = {
      id: randomUUID(),
      name,
      process,
      areas: [name, `${name}\\Support`],
      iterations: [name, `${name}\\Sprint 1`, `${name}\\Sprint 2`],
    };
    org.projects.push(project);
    return project;
  }

  addIdentity(displayName: string, uniqueName: string, pat?: string): Identity {
    const id = randomUUID();
    const identity: Identity = {
      id,
      displayName,
      uniqueName,
      descriptor: descriptorFor(id),
      pats: new Set(pat ? [pat] : []),
    };
    this.identities.push(identity);
    return identity;
  }

  org(name: string): Organization | undefined {
    return this.orgs.find((o) => o.name.toLowerCase() === name.toLowerCase());
  }

  project(org: Organization, nameOrId: string): Project | undefined {
    return org.projects.find((p) => p.name.toLowerCase() === nameOrId.toLowerCase() || p.id === nameOrId.toLowerCase());
  }

  identity(id: string): Identity | undefined {
    return this.identities.find((i) => i.id === id);
  }

  identityByPat(pat: string): Identity | undefined {
    return this.identities.find((i) => i.pats.has(pat));
  }

  /** Resolves how callers name people: uniqueName/email, display name, "Name <email>", id or descriptor. */
  findIdentity(value: string): Identity | undefined {
    const v = value.trim();
    const email = /<([^>]+)>\s*$/.exec(v)?.[1];
    const key = (email ?? v).toLowerCase();
    return (
      this.identities.find((i) => i.uniqueName.toLowerCase() === key || i.id === key || i.descriptor === v) ??
      this.identities.find((i) => i.displayName.toLowerCase() === key)
    );
  }

  items(org: Organization): Map<number, WorkItemRecord> {
    return this.workItems.get(org.name.toLowerCase())!;
  }

  workItemType(project: Project, name: string): WorkItemTypeDef | undefined {
    const types = this.processes[project.process];
    return Object.values(types).find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  field(nameOrRef: string): FieldDef | undefined {
    const k = nameOrRef.toLowerCase();
    return (
      this.fieldDefs.find((f) => f.referenceName.toLowerCase() === k) ??
      this.fieldDefs.find((f) => f.name.toLowerCase() === k)
    );
  }
}
