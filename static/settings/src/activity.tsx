/**
 * A connection's last two weeks at a glance: syncs and failing items per day
 * as a small bar chart (with the same figures as a table for screen readers),
 * and the conflicts the engine decided that nobody has reviewed yet, each
 * with who won and why, until an admin marks them reviewed.
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import { callResolver, when } from '../../shared/ui';
import { count } from '../../shared/words';

interface Day {
  day: string;
  syncs: number;
  failures: number;
}
interface Conflict {
  issueKey: string;
  remoteKey: string;
  field: string;
  winner: string;
  reason: string;
  at: string;
}
interface ActivityAnswer {
  days: Day[];
  conflicts: Conflict[];
  moreConflicts: number;
  reviewedAt: string | null;
  capped: boolean;
}

const CHART_HEIGHT = 80;
const BAR_WIDTH = 14;
const GAP = 6;

function Chart({ days }: { days: Day[] }) {
  const top = Math.max(1, ...days.map((d) => d.syncs + d.failures));
  const total = days.reduce((n, d) => n + d.syncs, 0);
  const failing = days.reduce((n, d) => n + d.failures, 0);
  const width = days.length * (BAR_WIDTH + GAP);
  const summary = `${count(total, 'sync')} and ${count(failing, 'failing item')} over the last ${count(days.length, 'day')}`;
  return (
    <Stack space="space.050">
      <svg
        role="img"
        aria-label={summary}
        width={width}
        height={CHART_HEIGHT + 16}
        viewBox={`0 0 ${width} ${CHART_HEIGHT + 16}`}
        data-testid="activity-chart"
      >
        {days.map((d, i) => {
          const syncs = (d.syncs / top) * CHART_HEIGHT;
          const failures = (d.failures / top) * CHART_HEIGHT;
          const x = i * (BAR_WIDTH + GAP);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${count(d.syncs, 'sync')}, ${d.failures} failing`}</title>
              <rect
                x={x}
                y={CHART_HEIGHT - syncs - failures}
                width={BAR_WIDTH}
                height={syncs}
                fill={token('color.background.accent.blue.subtle')}
              />
              <rect
                x={x}
                y={CHART_HEIGHT - failures}
                width={BAR_WIDTH}
                height={failures}
                fill={token('color.background.danger.bold')}
              />
              <rect x={x} y={CHART_HEIGHT} width={BAR_WIDTH} height={1} fill={token('color.border')} />
            </g>
          );
        })}
      </svg>
      <Text as="p" size="small" color="color.text.subtle">
        {summary} (blue: syncs; red: items failing now, on the day of their last attempt). Each item keeps its latest 12
        steps, so a busy item counts at most 12.
      </Text>
      <table className="cw-visually-hidden">
        <caption>Syncs and failing items per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Syncs</th>
            <th scope="col">Failing</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{d.syncs}</td>
              <td>{d.failures}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Stack>
  );
}

export function Activity({ connectionId, remoteLabel }: { connectionId: string; remoteLabel: string }) {
  const [activity, setActivity] = useState<ActivityAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await callResolver<ActivityAnswer>('connectionActivity', { connectionId });
    if (res.ok) setActivity(res.data);
    else setError(res.error.message);
  }, [connectionId]);
  useEffect(() => void load(), [load]);

  const markReviewed = async () => {
    setBusy(true);
    try {
      const res = await callResolver<{ reviewedAt: string }>('markConflictsReviewed', { connectionId });
      if (!res.ok) setError(res.error.message);
      await load();
    } finally {
      setBusy(false);
    }
  };

  const winner = (w: string) => (w === 'jira' ? 'Jira' : w === 'remote' ? remoteLabel : w);
  return (
    <Stack space="space.100">
      <Heading size="small" as="h3">
        Activity
      </Heading>
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {activity && <Chart days={activity.days} />}
      <Heading size="xsmall" as="h4">
        Conflicts to review
      </Heading>
      {activity && activity.conflicts.length === 0 && (
        <Text as="p">
          No conflicts to review{activity.reviewedAt ? ` since the last review (${when(activity.reviewedAt)})` : ''}.
        </Text>
      )}
      {activity && activity.conflicts.length > 0 && (
        <Stack space="space.100">
          <Text as="p">
            Both sides changed these fields before either change was synced; the connection's conflict policy chose the
            value that stays.
          </Text>
          <DynamicTable
            label="Conflicts to review"
            head={{
              cells: [
                { key: 'issue', content: 'Issue' },
                { key: 'field', content: 'Field' },
                { key: 'winner', content: 'Kept' },
                { key: 'why', content: 'Why' },
                { key: 'when', content: 'When' },
              ],
            }}
            rows={activity.conflicts.map((c, i) => ({
              key: `${c.issueKey}-${c.field}-${c.at}-${i}`,
              cells: [
                { key: 'issue', content: `${c.issueKey} ↔ ${c.remoteKey}` },
                { key: 'field', content: c.field },
                { key: 'winner', content: `${winner(c.winner)}'s value` },
                { key: 'why', content: c.reason },
                { key: 'when', content: when(c.at) },
              ],
            }))}
          />
          {activity.moreConflicts > 0 && <Text as="p">{`…and ${count(activity.moreConflicts, 'older one')}.`}</Text>}
          <Inline>
            <Button onClick={() => void markReviewed()} isLoading={busy}>
              Mark all as reviewed
            </Button>
          </Inline>
        </Stack>
      )}
    </Stack>
  );
}
