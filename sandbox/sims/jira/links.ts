/**
 * Links between issues, apart from their REST shapes (serialize.ts): which links an issue has, the changelog item a
 * link leaves on each of its issues, and the Forge event that announces it.
 */
import type { Site } from './site';
import type { ChangeItem, IssueLinkRecord, IssueLinkType, IssueRecord } from './state';

export function linkType(site: Site, link: IssueLinkRecord): IssueLinkType {
  return site.state.issueLinkTypes.find((t) => t.id === link.typeId)!;
}

/** The links this issue is on either side of, oldest first. */
export function linksOf(site: Site, issue: IssueRecord): IssueLinkRecord[] {
  return site.state.issueLinks.filter((l) => l.sourceId === issue.id || l.destinationId === issue.id);
}

/**
 * The item a link's creation (or removal) writes in one of its issues' changelogs, as Jira writes it: no field id,
 * the other issue's key in `to` (`from`), and the link read from this issue's side in `toString` (`fromString`):
 * "This issue blocks DEMO-2" on the source, "This issue is blocked by DEMO-1" on the destination.
 */
export function linkChangeItem(site: Site, link: IssueLinkRecord, on: IssueRecord, added: boolean): ChangeItem {
  const type = linkType(site, link);
  const fromSource = link.sourceId === on.id;
  const other = site.state.issues.find((i) => i.id === (fromSource ? link.destinationId : link.sourceId))!;
  const text = `This issue ${fromSource ? type.outward : type.inward} ${other.key}`;
  return added
    ? { field: 'Link', fieldtype: 'jira', from: null, fromString: null, to: other.key, toString: text }
    : { field: 'Link', fieldtype: 'jira', from: other.key, fromString: text, to: null, toString: null };
}

/**
 * The fields of `avi:jira:created:issuelink` / `deleted:issuelink`. Their shape is Jira's `issuelink_created` webhook
 * payload's `issueLink` (numeric ids, the type's `inwardName`/`outwardName`); Forge's documented payload was not
 * available to check it against.
 */
export function linkEventFields(site: Site, link: IssueLinkRecord): Record<string, unknown> {
  const type = linkType(site, link);
  return {
    id: Number(link.id),
    sourceIssueId: Number(link.sourceId),
    destinationIssueId: Number(link.destinationId),
    issueLinkType: {
      id: Number(type.id),
      name: type.name,
      outwardName: type.outward,
      inwardName: type.inward,
      isSubTaskLinkType: false,
      isSystemLinkType: false,
    },
    systemLink: false,
  };
}
