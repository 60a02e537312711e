/**
 * The Jira dashboard gadget "Crosswalk: sync health" (jira:dashboardGadget): each connection of the projects the
 * viewer may browse, with its condition as the last alert check saw it (or "Not checked yet"), what is wrong and
 * since when, items waiting and failing, and its last sync. The resolver asks Jira which projects the viewer may
 * browse on every call (src/resolvers/sync-health.ts).
 */
import { useEffect, useState } from 'react';
import DynamicTable from '@atlaskit/dynamic-table';
import { Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { callResolver, ConditionLozenge, mount, type ConditionShown } from '../../shared/ui';
import { ago, count, sinceTime } from '../../shared/words';

interface SyncHealth {
  projects: Array<{
    key: string;
    name: string;
    connections: Array<{ name: string; system: string; enabled: boolean; condition: ConditionShown }>;
  }>;
  projectsLeftOut: boolean;
  maxProjects: number;
}

function What({ condition }: { condition: ConditionShown }) {
  if (!condition.conditions.length)
    return (
      <Text size="small" color="color.text.subtle">
        {condition.state === 'not-checked' ? 'No check has run yet' : 'Nothing wrong'}
      </Text>
    );
  return (
    <Stack space="space.050">
      {condition.conditions.map((c) => (
        <Text size="small" key={c.kind}>
          {`${c.words}, ${sinceTime(c.since)}`}
        </Text>
      ))}
    </Stack>
  );
}

function Gadget() {
  const [data, setData] = useState<SyncHealth>();
  const [refusal, setRefusal] = useState<string>();
  useEffect(() => {
    callResolver<SyncHealth>('syncHealth').then(
      (res) => (res.ok ? setData(res.data) : setRefusal(res.error.message)),
      (e: unknown) => setRefusal(String(e)),
    );
  }, []);

  if (refusal)
    return (
      <SectionMessage appearance="warning" title="Crosswalk">
        <p data-testid="refusal">{refusal}</p>
      </SectionMessage>
    );
  if (!data) return <Spinner label="Loading the sync health" />;
  const rows = data.projects.flatMap((p) => p.connections.map((c) => ({ project: p, connection: c })));
  const failing = rows.filter((r) => r.connection.enabled && r.connection.condition.state === 'failing').length;
  return (
    <Stack space="space.200">
      <Text as="p" color="color.text.subtle">
        <span data-testid="summary">
          {rows.length
            ? `${count(rows.length, 'connection')} in ${count(data.projects.length, 'project')} you can see${failing ? `; ${count(failing, 'is', 'are')} failing` : ''}.`
            : 'No Crosswalk connections in projects you can see.'}
        </span>
      </Text>
      {rows.length > 0 && (
        <DynamicTable
          label="Crosswalk connections"
          testId="sync-health"
          head={{
            cells: [
              { key: 'project', content: 'Project' },
              { key: 'connection', content: 'Connection' },
              { key: 'condition', content: 'Condition' },
              { key: 'what', content: 'What is wrong' },
              { key: 'waiting', content: 'Waiting' },
              { key: 'failing', content: 'Failing' },
              { key: 'last', content: 'Last sync' },
            ],
          }}
          rows={rows.map(({ project, connection: c }) => ({
            key: `${project.key}-${c.name}`,
            cells: [
              { key: 'project', content: `${project.name} (${project.key})` },
              { key: 'connection', content: `${c.name} · ${c.system}` },
              { key: 'condition', content: <ConditionLozenge enabled={c.enabled} state={c.condition.state} /> },
              { key: 'what', content: <What condition={c.condition} /> },
              { key: 'waiting', content: c.condition.itemsWaiting === null ? '–' : String(c.condition.itemsWaiting) },
              { key: 'failing', content: String(c.condition.itemsFailing) },
              {
                key: 'last',
                content: c.condition.checkedAt ? ago(c.condition.lastSyncAt) : '–',
              },
            ],
          }))}
        />
      )}
      {data.projectsLeftOut && (
        <Text size="small" color="color.text.subtle">
          {`Only the first ${data.maxProjects} connected projects are checked; connections of later projects are not shown.`}
        </Text>
      )}
    </Stack>
  );
}

mount(<Gadget />);
