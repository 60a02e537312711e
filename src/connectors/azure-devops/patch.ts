/**
 * The pure parts of writing a work item: JSON Patch documents, and the
 * correlation marker Crosswalk keeps in `System.Tags`.
 *
 * Why a tag: a retry after a crash must find the work item it created by a
 * query, and WIQL can match a whole tag (`[System.Tags] CONTAINS '…'`) but
 * cannot search hyperlink relations or a field every process has. The tag is
 * the connector's own: it is taken out of the `System.Tags` value the engine
 * sees (so it never becomes a Jira label) and put back on every tag write.
 */
/**
 * The `crosswalk:` tag prefix is reserved for correlation ids (the engine's
 * `crosswalk:…:<issue id>`, whatever it puts in between, this site's or
 * another installation's): such tags are never people's tags.
 */
const MARKER = /^crosswalk:[^\s;,]+$/;

export function parseMarker(tag: string): string | undefined {
  return MARKER.test(tag) ? tag : undefined;
}

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

const TAG_SEPARATOR = /\s*;\s*/;

export function splitTags(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(TAG_SEPARATOR)
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

/** Separates Crosswalk's marker tags from the tags people gave the item. */
export function separateMarkers(value: unknown): { tags: string[]; markers: string[] } {
  const tags: string[] = [];
  const markers: string[] = [];
  for (const t of splitTags(value)) (parseMarker(t) ? markers : tags).push(t);
  return { tags, markers };
}

/** The tag string to write: the given tags (never a marker from outside) plus the markers the item already carries. */
export function tagsWithMarkers(tags: unknown, markers: readonly string[]): string {
  const own = splitTags(tags).filter((t) => !parseMarker(t));
  return [...own, ...markers.filter((m) => !own.includes(m))].join('; ');
}

/** One `add` per field (ADO's `add` on a field path sets the whole value); a `test /rev` first when the caller read a revision. */
export function fieldPatch(fields: Readonly<Record<string, unknown>>, expectedRev?: string): PatchOperation[] {
  const ops: PatchOperation[] = [];
  // A stale revision fails the whole patch with 412 and nothing is applied: never a blind overwrite.
  if (expectedRev !== undefined && /^\d+$/.test(expectedRev))
    ops.push({ op: 'test', path: '/rev', value: Number(expectedRev) });
  for (const [name, value] of Object.entries(fields)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/.test(name))
      throw new Error(`Invalid Azure DevOps field reference name '${name}'`);
    ops.push({ op: 'add', path: `/fields/${name}`, value: value ?? '' });
  }
  return ops;
}

/** Adds an uploaded file to the item; the relation's comment says the copy is Crosswalk's (ADO records no uploader on the relation). */
export function attachPatch(attachmentUrl: string, comment: string): PatchOperation[] {
  return [
    { op: 'add', path: '/relations/-', value: { rel: 'AttachedFile', url: attachmentUrl, attributes: { comment } } },
  ];
}

/** Removes the relation at `index`, only if the work item is still at the revision the index was read at. */
export function detachPatch(index: number, rev: number): PatchOperation[] {
  return [
    { op: 'test', path: '/rev', value: rev },
    { op: 'remove', path: `/relations/${index}` },
  ];
}

/** The relation that names a work item's parent (its other end, on the parent, is `Hierarchy-Forward`). */
export const PARENT_LINK = 'System.LinkTypes.Hierarchy-Reverse';

/** The work item id a work item link's URL names (…/_apis/wit/workItems/{id}); undefined for any other URL. */
export function workItemIdOf(url: string): string | undefined {
  return /\/_apis\/wit\/workitems\/(\d+)\/?$/i.exec(url.split('?')[0] ?? '')?.[1];
}

/** A link between peers: kept on both work items, each naming the other. */
export const RELATED_LINK = 'System.LinkTypes.Related';

/** The work items a work item's relations name as related. */
export function relatedIn(relations: ReadonlyArray<{ rel: string; url?: string }>): string[] {
  return relations.flatMap((r) => {
    const id = r.rel === RELATED_LINK && r.url ? workItemIdOf(r.url) : undefined;
    return id ? [id] : [];
  });
}

/**
 * One patch that adds Related links to `add` and removes those to `remove`,
 * under `test /rev` (relations are addressed by index): removals from the
 * highest index down, so each index still names what was read, then the adds.
 * Undefined when there is nothing to change.
 */
export function relatedPatch(
  relations: ReadonlyArray<{ rel: string; url: string }>,
  rev: number,
  add: readonly string[],
  remove: readonly string[],
  urlOf: (id: string) => string,
): PatchOperation[] | undefined {
  const present = relatedIn(relations);
  const removals = relations
    .map((r, index) => ({ index, id: r.rel === RELATED_LINK ? workItemIdOf(r.url) : undefined }))
    .filter((r) => r.id !== undefined && remove.includes(r.id))
    .map((r) => r.index)
    .sort((a, b) => b - a);
  const adds = [...new Set(add)].filter((id) => !present.includes(id) && !remove.includes(id));
  if (!removals.length && !adds.length) return undefined;
  return [
    { op: 'test', path: '/rev', value: rev },
    ...removals.map((index): PatchOperation => ({ op: 'remove', path: `/relations/${index}` })),
    ...adds.map((id): PatchOperation => ({
      op: 'add',
      path: '/relations/-',
      value: { rel: RELATED_LINK, url: urlOf(id) },
    })),
  ];
}

/** The parent a work item's relations name: its one `Hierarchy-Reverse` link. */
export function parentIn(relations: ReadonlyArray<{ rel: string; url?: string }>): string | undefined {
  const link = relations.find((r) => r.rel === PARENT_LINK);
  return link?.url ? workItemIdOf(link.url) : undefined;
}

/**
 * One patch that gives a work item `parentUrl` as its parent, or none: it
 * removes the Parent link at its index (relations are addressed by index, so
 * the patch tests the revision the index was read at, and a work item changed
 * in between fails whole with 412) and adds the new one. Azure DevOps keeps
 * one parent, and writes the Child link on the parent itself. Undefined when
 * the relations already say so.
 */
export function parentPatch(
  relations: ReadonlyArray<{ rel: string; url: string }>,
  rev: number,
  parentId: string | undefined,
  parentUrl: string,
): PatchOperation[] | undefined {
  const index = relations.findIndex((r) => r.rel === PARENT_LINK);
  const current = index < 0 ? undefined : workItemIdOf(relations[index]!.url);
  if (current === parentId && (index >= 0 || parentId === undefined)) return undefined;
  const ops: PatchOperation[] = [{ op: 'test', path: '/rev', value: rev }];
  if (index >= 0) ops.push({ op: 'remove', path: `/relations/${index}` });
  if (parentId !== undefined)
    ops.push({ op: 'add', path: '/relations/-', value: { rel: PARENT_LINK, url: parentUrl } });
  return ops;
}
