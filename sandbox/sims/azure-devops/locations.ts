/**
 * Resource locations and version ranges, as Azure DevOps serves them to a
 * client that discovers its routes (`OPTIONS …/_apis/{area}`, no api-version
 * needed): Microsoft's own clients (azure-devops-node-api's VsoClient, the
 * .NET and Go clients) ask once per area, then build every URL from a
 * location's `routeTemplate` and pick the api-version from its
 * `releasedVersion`/`maxVersion`/`resourceVersion`.
 *
 * Which versions a host answers depends on what it is: Services (dev.azure.com)
 * or a Server release. The location ids are the clients' (generated from the
 * service's own contracts); route templates use the service's placeholders
 * `{area}` and `{resource}`, as the captured answers in README.md show.
 */

/** Server releases the simulator can play, with the newest REST version each answers (learn.microsoft.com, "REST API versioning"). */
export const SERVER_RELEASES = {
  '2020': { maxVersion: '6.0', commentsResourceVersion: 3 },
  '2022': { maxVersion: '7.0', commentsResourceVersion: 3 },
  '2022.1': { maxVersion: '7.1', commentsResourceVersion: 4 },
} as const;
export type ServerRelease = keyof typeof SERVER_RELEASES;
export const SERVER_RELEASE_NAMES = Object.keys(SERVER_RELEASES) as ServerRelease[];

/** What one host answers: its newest version, its newest released (non-preview) version, and the comments API's resource version. */
export interface VersionRange {
  maxVersion: string;
  releasedVersion: string;
  commentsResourceVersion: number;
}

/** Services runs ahead: 7.2 exists as a preview only, 7.1 is released (vendor-apis.md §2.1). */
export const SERVICES_RANGE: VersionRange = { maxVersion: '7.2', releasedVersion: '7.1', commentsResourceVersion: 4 };

/** A Server answers exactly its release's version, released; it has no newer preview. */
export function serverRange(release: ServerRelease): VersionRange {
  const r = SERVER_RELEASES[release];
  return {
    maxVersion: r.maxVersion,
    releasedVersion: r.maxVersion,
    commentsResourceVersion: r.commentsResourceVersion,
  };
}

export interface ApiResourceLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
  minVersion: string;
  maxVersion: string;
  releasedVersion: string;
}

interface LocationDef {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  minVersion: string;
  /** The resource version the newest host serves; `comments` follows the host (3 before 7.1, 4 from it). */
  resourceVersion: number | 'comments';
  /** Never released: only ever served as a preview (`releasedVersion` "0.0"). */
  previewOnly?: boolean;
}

/**
 * Areas Services lists in `_apis/ResourceAreas` (a client asks it for the URL an area lives at): the one the
 * simulator serves whose id is published (`x-ms-vss-resource-area-id` in the WIT spec). Server lists none.
 */
export const RESOURCE_AREAS = [{ id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5', name: 'wit' }] as const;

const LOCATIONS: readonly LocationDef[] = [
  // Location (captured: ResourceAreas is 1, from 3.2, never released)
  {
    id: 'e81700f7-3be2-46de-8624-2eb35882fcaa',
    area: 'Location',
    resourceName: 'ResourceAreas',
    routeTemplate: '_apis/{resource}/{areaId}',
    minVersion: '3.2',
    resourceVersion: 1,
    previewOnly: true,
  },
  {
    id: '00d9565f-ed9c-4a06-9a50-00e7896ccab4',
    area: 'Location',
    resourceName: 'ConnectionData',
    routeTemplate: '_apis/{resource}',
    minVersion: '1.0',
    resourceVersion: 1,
    previewOnly: true,
  },
  // Work item tracking
  {
    id: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
    area: 'wit',
    resourceName: 'workItems',
    routeTemplate: '{project}/_apis/{area}/{resource}/{id}',
    minVersion: '1.0',
    resourceVersion: 3,
  },
  {
    id: '62d3d110-0047-428c-ad3c-4fe872c91c74',
    area: 'wit',
    resourceName: 'workItems',
    routeTemplate: '{project}/_apis/{area}/{resource}/${type}',
    minVersion: '1.0',
    resourceVersion: 3,
  },
  {
    id: '908509b6-4248-4475-a1cd-829139ba419f',
    area: 'wit',
    resourceName: 'workItemsBatch',
    routeTemplate: '{project}/_apis/{area}/{resource}',
    minVersion: '4.1',
    resourceVersion: 1,
  },
  {
    id: '1a9c53f7-f243-4447-b110-35ef023636e4',
    area: 'wit',
    resourceName: 'wiql',
    routeTemplate: '{project}/{team}/_apis/{area}/{resource}/{id}',
    minVersion: '1.0',
    resourceVersion: 2,
  },
  {
    id: '608aac0a-32e1-4493-a863-b9cf4566d257',
    area: 'wit',
    resourceName: 'comments',
    routeTemplate: '{project}/_apis/{area}/workItems/{workItemId}/{resource}/{commentId}',
    minVersion: '5.0',
    resourceVersion: 'comments',
    previewOnly: true,
  },
  {
    id: '49e03b34-3be0-42e3-8a5d-e8dfb88ac954',
    area: 'wit',
    resourceName: 'commentsVersions',
    routeTemplate: '{project}/_apis/{area}/workItems/{workItemId}/comments/{commentId}/versions/{version}',
    minVersion: '5.0',
    resourceVersion: 1,
    previewOnly: true,
  },
  {
    id: '6570bf97-d02c-4a91-8d93-3abe9895b1a9',
    area: 'wit',
    resourceName: 'updates',
    routeTemplate: '{project}/_apis/{area}/workItems/{id}/{resource}/{updateNumber}',
    minVersion: '1.0',
    resourceVersion: 3,
  },
  {
    id: 'a00c85a5-80fa-4565-99c3-bcd2181434bb',
    area: 'wit',
    resourceName: 'revisions',
    routeTemplate: '{project}/_apis/{area}/workItems/{id}/{resource}/{revisionNumber}',
    minVersion: '1.0',
    resourceVersion: 3,
  },
  {
    id: 'e07b5fa4-1499-494d-a496-64b860fd64ff',
    area: 'wit',
    resourceName: 'attachments',
    routeTemplate: '{project}/_apis/{area}/{resource}/{id}',
    minVersion: '1.0',
    resourceVersion: 3,
  },
  {
    id: '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa',
    area: 'wit',
    resourceName: 'workItemTypes',
    routeTemplate: '{project}/_apis/{area}/{resource}/{type}',
    minVersion: '1.0',
    resourceVersion: 2,
  },
  {
    id: '7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa',
    area: 'wit',
    resourceName: 'workItemTypeStates',
    routeTemplate: '{project}/_apis/{area}/workitemtypes/{type}/states',
    minVersion: '5.0',
    resourceVersion: 1,
  },
  {
    id: 'bd293ce5-3d25-4192-8e67-e8092e879efb',
    area: 'wit',
    resourceName: 'workItemTypesField',
    routeTemplate: '{project}/_apis/{area}/workitemtypes/{type}/fields/{field}',
    minVersion: '4.1',
    resourceVersion: 3,
  },
  {
    id: 'a70579d1-f53a-48ee-a5be-7be8659023b9',
    area: 'wit',
    resourceName: 'classificationNodes',
    routeTemplate: '{project}/_apis/{area}/{resource}',
    minVersion: '5.0',
    resourceVersion: 2,
  },
  {
    id: '5a172953-1b41-49d3-840a-33f79c3ce89f',
    area: 'wit',
    resourceName: 'classificationNodes',
    routeTemplate: '{project}/_apis/{area}/{resource}/{structureGroup}/{*path}',
    minVersion: '1.0',
    resourceVersion: 2,
  },
  {
    id: 'b51fd764-e5c2-4b9b-aaf7-3395cf4bdd94',
    area: 'wit',
    resourceName: 'fields',
    routeTemplate: '{project}/_apis/{area}/{resource}/{fieldNameOrRefName}',
    minVersion: '1.0',
    resourceVersion: 2,
  },
  // Service hooks
  {
    id: 'fc50d02a-849f-41fb-8af1-0a5216103269',
    area: 'hooks',
    resourceName: 'subscriptions',
    routeTemplate: '_apis/{area}/{resource}/{subscriptionId}',
    minVersion: '1.0',
    resourceVersion: 1,
  },
];

const parts = (v: string): [number, number] => {
  const [major = 0, minor = 0] = v.split('.').map(Number);
  return [major, minor];
};

/** Compares two `major.minor` versions. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = parts(a);
  const [bm, bn] = parts(b);
  return am - bm || an - bn;
}

/** The locations of one area (case-insensitive, as routes are), or of every area when none is named. */
export function locationsOf(area: string | undefined, range: VersionRange): ApiResourceLocation[] {
  return LOCATIONS.filter((l) => !area || l.area.toLowerCase() === area.toLowerCase())
    .filter((l) => compareVersions(l.minVersion, range.maxVersion) <= 0)
    .map((l) => ({
      id: l.id,
      area: l.area,
      resourceName: l.resourceName,
      routeTemplate: l.routeTemplate,
      resourceVersion: l.resourceVersion === 'comments' ? range.commentsResourceVersion : l.resourceVersion,
      minVersion: l.minVersion,
      maxVersion: range.maxVersion,
      releasedVersion: l.previewOnly ? '0.0' : range.releasedVersion,
    }));
}

/** Whether the simulator knows an area by this name (an unknown one is a 404 like an unknown route). */
export function isKnownArea(area: string): boolean {
  return LOCATIONS.some((l) => l.area.toLowerCase() === area.toLowerCase());
}
