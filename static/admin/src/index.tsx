/**
 * The Jira admin page (jira:adminPage), for Jira administrators: every
 * Crosswalk connection on the site with its health, usage (items in sync,
 * syncs and failures in the last seven days) and a way to its project's
 * settings; the remote hosts Crosswalk may reach, and the site's own narrower
 * list, which the server enforces when a connection is saved. The resolvers
 * check the global Administer permission on every call.
 */
import { useCallback, useEffect, useState } from 'react';
import { router, showFlag } from '@forge/bridge';
import Lozenge from '@atlaskit/lozenge';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import {
  callResolver,
  ConditionLozenge,
  HealthLozenge,
  mount,
  TextField,
  type ConditionShown,
  type Problem,
} from '../../shared/ui';
import { count, sinceTime } from '../../shared/words';

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
    usage: { itemsInSync: number; itemsCapped: boolean; syncsLast7Days: number; failuresLast7Days: number };
    hostAllowed: boolean;
    /** As the last alert check saw it, or `not-checked` before one ran. */
    condition: ConditionShown;
  }>;
  systems: Array<{ kind: string; label: string; hostPatterns: string[] }>;
  options: { allowedHosts: string[] | null; updatedAt: string | null };
}

/** The site's allowed hosts: empty means every host the systems allow; the server checks each and enforces the list on save. */
function AllowedHosts({ current, onSaved }: { current: string[] | null; onSaved(): void }) {
  const [text, setText] = useState((current ?? []).join(' '));
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const hosts = text.split(/[\s,]+/).filter(Boolean);
      const res = await callResolver<{ allowedHosts: string[] | null; outside: string[] }>('saveSiteOptions', {
        allowedHosts: hosts.length ? hosts : null,
      });
      if (res.ok) {
        showFlag({
          id: `hosts-${Date.now()}`,
          title: 'Allowed hosts saved',
          description: res.data.outside.length
            ? `Already saved with another host (refused when next saved): ${res.data.outside.join(', ')}`
            : res.data.allowedHosts
              ? 'Connections may use only these hosts.'
              : 'Connections may use every host above.',
          type: res.data.outside.length ? 'warning' : 'success',
          isAutoDismiss: true,
        });
        onSaved();
      } else {
        const found = (res.error as { problems?: Problem[] }).problems ?? [
          { path: 'allowedHosts', message: res.error.message },
        ];
        const hosts2 = text.split(/[\s,]+/).filter(Boolean);
        setProblems(
          found.map((p) => ({
            path: 'allowedHosts',
            message:
              /^allowedHosts\.(\d+)$/.test(p.path) &&
              !p.message.includes(hosts2[Number(p.path.split('.')[1])] ?? '\u0000')
                ? `${hosts2[Number(p.path.split('.')[1])]}: ${p.message}`
                : p.message,
          })),
        );
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Stack space="space.100">
        <TextField
          id="allowedHosts"
          label="Hosts connections on this site may use"
          value={text}
          onChange={setText}
          placeholder="acme.service-now.com dev.azure.com"
          helper="Host names or *.domain, separated by spaces; leave empty to allow every host above. Checked by the server when a connection is saved."
          errors={problems.map((p) => p.message)}
        />
        <Inline>
          <Button type="submit" appearance="primary" isLoading={busy}>
            Save allowed hosts
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}

/**
 * A connection's condition as the last alert check saw it (lozenge, what is wrong and since when). Before the first
 * check, the health stored already (OK, or Failing with bad credentials) and "not checked yet": the check has not
 * looked at the connection as a whole.
 */
function Health({ connection: c }: { connection: Overview['connections'][number] }) {
  const checked = c.condition.state !== 'not-checked';
  const words = c.condition.conditions.map((k) => (checked ? `${k.words}, ${sinceTime(k.since)}` : k.words));
  return (
    <Stack space="space.050">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        {checked ? (
          <ConditionLozenge enabled={c.enabled} state={c.condition.state} />
        ) : (
          <HealthLozenge enabled={c.enabled} health={c.health} />
        )}
        {!checked && c.enabled && (
          <Text size="small" color="color.text.subtle">
            Not checked yet
          </Text>
        )}
      </Inline>
      {words.map((w) => (
        <Text size="small" key={w}>
          {w}
        </Text>
      ))}
    </Stack>
  );
}

function AdminPage() {
  const [data, setData] = useState<Overview>();
  const [refusal, setRefusal] = useState<string>();

  const load = useCallback(() => {
    callResolver<Overview>('adminOverview').then(
      (res) => (res.ok ? setData(res.data) : setRefusal(res.error.message)),
      (e: unknown) => setRefusal(String(e)),
    );
  }, []);
  useEffect(load, [load]);

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
  const failing = data.connections.filter(
    (c) => c.enabled && (c.health || c.failures || c.condition.state === 'failing'),
  ).length;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Heading size="large" as="h1">
          Crosswalk
        </Heading>
        <Text as="p" color="color.text.subtle">
          {`${count(data.connections.length, 'connection')} across ${count(new Set(data.connections.map((c) => c.project.id)).size, 'project')}`}
          {failing ? `; ${count(failing, 'needs', 'need')} attention` : ''}. Project admins manage them in each
          project's settings.
        </Text>
      </Stack>
      <DynamicTable
        label="Every connection"
        testId="all-connections"
        emptyView={<Text>No project is connected yet.</Text>}
        head={{
          cells: [
            { key: 'project', content: 'Project' },
            { key: 'name', content: 'Connection' },
            { key: 'system', content: 'System' },
            { key: 'health', content: 'Health' },
            { key: 'items', content: 'In sync' },
            { key: 'syncs', content: 'Syncs, 7 days' },
            { key: 'failures', content: 'Failures, 7 days' },
            { key: 'open', content: 'Settings' },
          ],
        }}
        rows={data.connections.map((c) => ({
          key: c.id,
          cells: [
            {
              key: 'project',
              content: c.project.key ? `${c.project.name} (${c.project.key})` : `Project ${c.project.id}`,
            },
            { key: 'name', content: c.name },
            {
              key: 'system',
              content: (
                <Inline space="space.100" alignBlock="center" shouldWrap>
                  <Text>
                    {c.system} · {c.host}
                  </Text>
                  {!c.hostAllowed && <Lozenge appearance="moved">Host not allowed</Lozenge>}
                </Inline>
              ),
            },
            {
              key: 'health',
              content: <Health connection={c} />,
            },
            { key: 'items', content: `${c.usage.itemsInSync}${c.usage.itemsCapped ? '+' : ''}` },
            { key: 'syncs', content: String(c.usage.syncsLast7Days) },
            {
              key: 'failures',
              content: c.failures
                ? `${c.usage.failuresLast7Days} (${c.failures} failing now)`
                : String(c.usage.failuresLast7Days),
            },
            {
              key: 'open',
              content: c.project.key ? (
                <Button
                  spacing="compact"
                  onClick={() => void router.navigate({ target: 'projectSettingsDetails', projectKey: c.project.key! })}
                  aria-label={`Project settings of ${c.project.key}`}
                >
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
        <AllowedHosts current={data.options.allowedHosts} onSaved={load} />
      </Stack>
    </Stack>
  );
}

mount(<AdminPage />);
