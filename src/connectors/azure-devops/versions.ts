/**
 * Which REST versions an Azure DevOps host answers, and how Crosswalk learns
 * them. Services answers 7.1 (and the comments API as 7.1-preview.4); a Server
 * answers its release's version only (2020: 6.0, 2022: 7.0, 2022.1: 7.1) and
 * refuses a newer one with 400 `VssVersionOutOfRangeException`.
 *
 * A host's versions are read from its route discovery (`OPTIONS _apis/wit`,
 * which needs no api-version): the work item location's `releasedVersion` and
 * the comments location's `maxVersion` and `resourceVersion`, as Microsoft's
 * own clients negotiate. Where that answer is missing, the refusal names the
 * newest version ("The latest REST API version this server supports is 6.0").
 * Pure functions here; the connector asks and keeps the result per host.
 */
import * as z from 'zod';

export interface ApiVersions {
  /** Released resources: work items, WIQL, updates, attachments, types, fields, service hooks. */
  api: string;
  /** The comments API, which only exists as a preview: `<version>-preview.<resource version>`. */
  comments: string;
}

/** What Crosswalk asks for where nothing says otherwise: Services' released version. */
export const PREFERRED_VERSIONS: ApiVersions = { api: '7.1', comments: '7.1-preview.4' };

/** The oldest host Crosswalk works with: Server 2020 (its comments API, resource version 3, came with 5.1; 6.0 is the first Server release tested). */
export const MINIMUM_VERSION = '6.0';

/** The comments API's resource version 4 came with 7.1; before it, 3. */
const commentsResourceFor = (version: string) => (compareVersions(version, '7.1') >= 0 ? 4 : 3);

const WORK_ITEMS_LOCATION = '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b';
const COMMENTS_LOCATION = '608aac0a-32e1-4493-a863-b9cf4566d257';

const versionString = z.string().regex(/^\d+\.\d+$/);
const locationList = z.object({
  value: z.array(
    z
      .object({
        id: z.string(),
        releasedVersion: versionString,
        maxVersion: versionString,
        resourceVersion: z.number().int(),
      })
      .loose(),
  ),
});

/** Compares two `major.minor` versions. */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

const lower = (a: string, b: string) => (compareVersions(a, b) <= 0 ? a : b);

/** The versions a host's `OPTIONS _apis/wit` answer allows, capped at what Crosswalk asks for; undefined when it does not say. */
export function versionsFromLocations(body: unknown): ApiVersions | undefined {
  const parsed = locationList.safeParse(body);
  if (!parsed.success) return undefined;
  const byId = new Map(parsed.data.value.map((l) => [l.id.toLowerCase(), l]));
  const workItems = byId.get(WORK_ITEMS_LOCATION);
  const comments = byId.get(COMMENTS_LOCATION);
  if (!workItems || !comments || compareVersions(workItems.releasedVersion, '1.0') < 0) return undefined;
  const api = lower(PREFERRED_VERSIONS.api, workItems.releasedVersion);
  const commentsVersion = lower(PREFERRED_VERSIONS.api, comments.maxVersion);
  const resource = Math.min(commentsResourceFor(commentsVersion), comments.resourceVersion);
  return { api, comments: `${commentsVersion}-preview.${resource}` };
}

/** The newest version a refusal names ("… The latest REST API version this server supports is 6.0."). */
export function latestFromRefusal(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const refusal = z
    .object({ typeKey: z.literal('VssVersionOutOfRangeException'), message: z.string() })
    .safeParse(body);
  if (!refusal.success) return undefined;
  return /supports is (\d+\.\d+)/i.exec(refusal.data.message)?.[1] ?? undefined;
}

/** Whether an answer is the host refusing the api-version asked for. */
export function isVersionRefusal(status: number, bodyText: string): boolean {
  return status === 400 && /"typeKey"\s*:\s*"VssVersionOutOfRangeException"/.test(bodyText);
}

/** The versions a host whose newest version is `latest` answers, capped at what Crosswalk asks for. */
export function versionsUpTo(latest: string): ApiVersions {
  const api = lower(PREFERRED_VERSIONS.api, latest);
  return { api, comments: `${api}-preview.${commentsResourceFor(api)}` };
}

/**
 * A request URL at the host's versions: the connector builds URLs at Crosswalk's preferred versions
 * (`7.1`, `7.1-preview.4`, and `7.1-preview` for connectionData); each becomes the host's own.
 */
export function atVersions(url: string, versions: ApiVersions): string {
  const u = new URL(url);
  const asked = u.searchParams.get('api-version');
  const preferredPreview = `${PREFERRED_VERSIONS.api}-preview`;
  const answer =
    asked === PREFERRED_VERSIONS.api
      ? versions.api
      : asked === PREFERRED_VERSIONS.comments
        ? versions.comments
        : asked === preferredPreview
          ? `${versions.api}-preview`
          : undefined;
  if (!answer || answer === asked) return url;
  u.searchParams.set('api-version', answer);
  return u.toString();
}
