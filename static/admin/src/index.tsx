/**
 * The Jira admin page (jira:adminPage), for Jira administrators: every
 * Crosswalk connection on the site with its health and a way to its project's
 * settings, and the remote hosts Crosswalk may reach. The resolver checks the
 * global Administer permission on every call.
 */
import { useEffect, useState } from 'react';
import { router } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { callResolver, HealthLozenge, mount } from '../../shared/ui';

interface Overview {
  connections: Array<{
    id: string;
    name: string;
    system: string;
    host: string;
    project: { id: string; key: string | null; name: string | null };
    enabled: boolean;
    health: { kind: string; message: string } | null;
    failures: number;
  }>;
  systems: Array<{ kind: string; label: string; hostPatterns: string[] }>;
}

function AdminPage() {
  const [data, setData] = useState<Overview>();
  const [refusal, setRefusal] = useState<string>();

  useEffect(() => {
    callResolver<Overview>('adminOverview').then(
      (res) => (res.ok ? setData(res.data) : setRefusal(res.error.message)),
      (e: unknown) => setRefusal(String(e)),
    );
  }, []);

  if (refusal) {
    return (
      <Stack space="space.200">
        <Heading size="large" as="h1">
          Crosswalk
        </Heading>
        <SectionMessage appearance="warning" title="For Jira administrators">
          <p data-testid="refusal">{refusal}</p>
        </SectionMessage>
      </Stack>
    );
  }
  if (!data) return <Spinner label="Loading every connection" />;
  const failing = data.connections.filter((c) => c.enabled && (c.health || c.failures)).length;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Heading size="large" as="h1">
          Crosswalk
        </Heading>
        <Text as="p" color="color.text.subtle">
          {data.connections.length} connection{data.connections.length === 1 ? '' : 's'} across {new Set(data.connections.map((c) => c.project.id)).size} project
          {new Set(data.connections.map((c) => c.project.id)).size === 1 ? '' : 's'}
          {failing ? `; ${failing} need${failing === 1 ? 's' : ''} attention` : ''}. Project admins manage them in each project's settings.
        </Text>
      </Stack>
      <DynamicTable
        label="Every connection"
        testId="all-connections"
        emptyView={<Text>No project is connected yet.</Text>}
        head={{ cells: [{ key: 'project', content: 'Project' }, { key: 'name', content: 'Connection' }, { key: 'system', content: 'System' }, { key: 'health', content: 'Health' }, { key: 'failures', content: 'Failing items' }, { key: 'open', content: 'Settings' }] }}
        rows={data.connections.map((c) => ({
          key: c.id,
          cells: [
            { key: 'project', content: c.project.key ? `${c.project.name} (${c.project.key})` : `Project ${c.project.id}` },
            { key: 'name', content: c.name },
            { key: 'system', content: `${c.system} · ${c.host}` },
            {
              key: 'health',
              content: (
                <Inline space="space.100" alignBlock="center">
                  <HealthLozenge enabled={c.enabled} health={c.health} />
                  {c.health && <Text size="small">{c.health.message}</Text>}
                </Inline>
              ),
            },
            { key: 'failures', content: String(c.failures) },
            {
              key: 'open',
              content: c.project.key ? (
                <Button spacing="compact" onClick={() => void router.navigate({ target: 'projectSettingsDetails', projectKey: c.project.key! })} aria-label={`Project settings of ${c.project.key}`}>
                  Project settings
                </Button>
              ) : (
                ''
              ),
            },
          ],
        }))}
      />
      <Stack space="space.100">
        <Heading size="small" as="h2">
          Remote hosts Crosswalk may reach
        </Heading>
        <Text as="p" color="color.text.subtle">
          Declared in the app's manifest (Forge egress); a connection to any other host is refused when it is saved.
        </Text>
        {data.systems.map((s) => (
          <Text as="p" key={s.kind}>
            {s.label}: {s.hostPatterns.join(', ')}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}

mount(<AdminPage />);
