/**
 * A field back at its base on one side while the other side changed may have
 * been changed and changed back since the last sync: by value alone it reads
 * as untouched. The side's history says (Jira's changelog; the remote's where
 * its connector reads history), and when each side's field last changed then
 * decides the conflict. Shared by the reconcile and the settings page's
 * preview, so both read a pair the same way.
 */
import * as jira from '../connectors/jira/client';
import type { Connector, Item } from '../connectors/ports';
import type { Link } from '../store/links';
import { canonicalEqual } from './canonical';
import { jiraLooksUnchangedAgainstRemote, remoteLooksUnchangedAgainstJira, type FieldReading } from './field-plan';

export interface UnclearFields {
  /** Fields (by their Jira name) whose history is needed, on either side. */
  unclear: string[];
  /** Of those, the ones the remote's history answers. */
  remoteUnclear: string[];
}

/** Which fields need a look at history: only when a side changed since it was last seen, and only those it looks not to have touched. */
export function unclearFields(
  readings: readonly FieldReading[],
  link: Link,
  issue: { updatedAt: number },
  remote: Item,
  connector: Connector,
  remoteHistoryKnown = false,
): UnclearFields {
  const remoteUnclear =
    !remoteHistoryKnown &&
    connector.fieldChangesSince &&
    link.remoteSeenAt !== undefined &&
    remote.updatedAt > link.remoteSeenAt
      ? remoteLooksUnchangedAgainstJira(readings, link.base)
      : [];
  const unclear =
    link.jiraSeenAt !== undefined && issue.updatedAt > link.jiraSeenAt
      ? [...jiraLooksUnchangedAgainstRemote(readings, link.base), ...remoteUnclear]
      : [];
  return { unclear, remoteUnclear };
}

/** When each unclear field last changed on each side (epoch ms), read from the sides' histories. */
export async function touchedTimes(
  { unclear, remoteUnclear }: UnclearFields,
  readings: readonly FieldReading[],
  link: Link,
  issue: Pick<jira.JiraIssue, 'id' | 'recentHistory'>,
  remote: Item,
  connector: Connector,
): Promise<{ jiraTouchedAt: Record<string, number>; remoteTouchedAt: Record<string, number> }> {
  const touched = unclear.length
    ? await jira.fieldChangesSince(issue.id, link.jiraSeenAt!, issue.recentHistory)
    : undefined;
  const jiraTouchedAt = touched
    ? Object.fromEntries(unclear.filter((f) => touched.has(f)).map((f) => [f, touched.get(f)!]))
    : {};
  const remoteTouched = remoteUnclear.length
    ? await connector.fieldChangesSince!(remote.id, link.remoteSeenAt!)
    : undefined;
  const remoteTouchedAt = remoteTouched
    ? Object.fromEntries(
        readings
          .filter((r) => remoteUnclear.includes(r.m.jira) && remoteTouched.has(r.m.remote))
          .map((r) => [r.m.jira, remoteTouched.get(r.m.remote)!]),
      )
    : {};
  return { jiraTouchedAt, remoteTouchedAt };
}

/**
 * On a pair's late first sync (a crash between the create and that first sync), the fields someone other than
 * Crosswalk changed since the create on the side the pair was not made from, and when, by their Jira name: Jira's
 * changelog for a pair made from a remote item, the item's history (where its connector reads it) for one made from
 * an issue. Such a change is that person's, not the origin's to overwrite (found by the soak, Zendesk seed 1000004).
 * History is read only when a field about to sync for the first time differs between the sides: right after a create
 * they agree, and nothing is read. A link made by hand has no create to look back to.
 */
export async function changedSinceCreate(
  readings: readonly FieldReading[],
  link: Pick<Link, 'base' | 'origin'>,
  issue: Pick<jira.JiraIssue, 'id' | 'recentHistory'>,
  remote: Pick<Item, 'id'>,
  connector: Pick<Connector, 'fieldChangesSince'>,
): Promise<{ jira: Record<string, number>; remote: Record<string, number> }> {
  const none = { jira: {}, remote: {} };
  const differing = readings.filter(
    (r) => !(r.m.jira in link.base) && r.jira.ok && r.remote.ok && !canonicalEqual(r.jira.value, r.remote.value),
  );
  if (!differing.length) return none;
  if (link.origin === 'remote') {
    const changes = await jira.fieldChangesSince(issue.id, 0, issue.recentHistory);
    const touched = differing.filter((r) => changes.has(r.m.jira));
    return { ...none, jira: Object.fromEntries(touched.map((r) => [r.m.jira, changes.get(r.m.jira)!])) };
  }
  if (link.origin === 'jira' && connector.fieldChangesSince) {
    const changes = await connector.fieldChangesSince(remote.id, 0);
    const touched = differing.filter((r) => changes.has(r.m.remote));
    return { ...none, remote: Object.fromEntries(touched.map((r) => [r.m.jira, changes.get(r.m.remote)!])) };
  }
  return none;
}

/**
 * A Jira status our own move left part-way (a crash between two transitions
 * of a longer path) is not a person's change: it must not compete with the
 * remote change the move was copying (newest wins would pick the half-done
 * move). When Jira's status differs from the base and the latest status change
 * was the app's own, Jira reads as unchanged, so the move is planned again
 * from where it stopped. Asked only when the status differs from the base.
 */
export async function ownStatusMoveIsNoChange(
  readings: FieldReading[],
  link: Link,
  recent?: jira.JiraIssue['recentHistory'],
): Promise<void> {
  const i = readings.findIndex((r) => r.m.jira === 'status' && r.m.transform !== 'user');
  const reading = readings[i];
  const base = reading && link.base[reading.m.jira];
  if (!reading || !base || !reading.jira.ok || canonicalEqual(reading.jira.value, base.jira)) return;
  const [by, app] = await Promise.all([jira.lastStatusChangeBy(link.issueId, recent), jira.appAccountId()]);
  if (by && app && by === app) readings[i] = { ...reading, jira: { ok: true, value: base.jira } };
}
