/**
 * A project's area and iteration trees as the classification nodes API answers them
 * (`GET {project}/_apis/wit/classificationnodes/{Areas|Iterations}[/{path}]?$depth=`, WorkItemClassificationNode):
 * the root is the project, each node names its children to the depth asked (none by default), and `path` is the
 * node's place under its structure group (`\Operations\Area\Support`), which a work item's field writes without
 * the group (`Operations\Support`).
 */
import { createHash } from 'node:crypto';

export type StructureGroup = 'Areas' | 'Iterations';

export interface ClassificationNode {
  id: number;
  identifier: string;
  name: string;
  structureType: 'area' | 'iteration';
  hasChildren: boolean;
  path: string;
  url: string;
  children?: ClassificationNode[];
}

/**
 * The group a route names, case-insensitively (the service binds `areas` and `Areas` alike), or by the enum's
 * number (TreeStructureGroup: Areas 0, Iterations 1), as .NET binds what generated clients send.
 */
export function structureGroupOf(raw: string): StructureGroup | undefined {
  const lower = raw.toLowerCase();
  return lower === 'areas' || lower === '0'
    ? 'Areas'
    : lower === 'iterations' || lower === '1'
      ? 'Iterations'
      : undefined;
}

/**
 * The node at `under` (a path below the root, `/`- or `\`-separated; empty for the root) with its children to
 * `depth` levels, from the project's work-item paths (`Operations`, `Operations\Support`); undefined if none.
 */
export function classificationNode(
  projectName: string,
  paths: readonly string[],
  group: StructureGroup,
  under: string,
  depth: number,
  projectUrl: string,
): ClassificationNode | undefined {
  const parts = under.split(/[\\/]+/).filter(Boolean);
  const start = [projectName, ...parts];
  const known = paths.map((p) => p.split('\\'));
  const at = (segments: string[]) => known.some((k) => same(k, segments));
  if (!at(start)) return undefined;
  const build = (segments: string[], left: number): ClassificationNode => {
    const children = known
      .filter((k) => k.length === segments.length + 1 && same(k.slice(0, segments.length), segments))
      .map((k) => k);
    const below = segments.slice(1);
    const node: ClassificationNode = {
      id: stableId(group, segments),
      identifier: stableUuid(group, segments),
      name: segments.at(-1)!,
      structureType: group === 'Areas' ? 'area' : 'iteration',
      hasChildren: children.length > 0,
      path: `\\${[segments[0], group === 'Areas' ? 'Area' : 'Iteration', ...below].join('\\')}`,
      url: `${projectUrl}/_apis/wit/classificationNodes/${group}${below.map((s) => `/${encodeURIComponent(s)}`).join('')}`,
    };
    if (left > 0 && children.length) node.children = children.map((k) => build(k, left - 1));
    return node;
  };
  return build(start, depth);
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((s, i) => s.toLowerCase() === b[i]!.toLowerCase());

/** Node ids stay the same for the same path across requests, as the service's do. */
function stableId(group: StructureGroup, segments: readonly string[]): number {
  return (
    1000 +
    (createHash('sha256')
      .update(`${group}:${segments.join('\\').toLowerCase()}`)
      .digest()
      .readUInt32BE(0) %
      1_000_000)
  );
}

function stableUuid(group: StructureGroup, segments: readonly string[]): string {
  const hex = createHash('sha256')
    .update(`uuid:${group}:${segments.join('\\').toLowerCase()}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
