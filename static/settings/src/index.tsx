/**
 * The project settings page (jira:projectSettingsPage), for project admins:
 * the project's connections with their health, items in sync and last sync,
 * a wizard to add or edit one,
 * each connection's actions and failures, and the project's audit log. Every call is checked again on
 * the server; a member sees the server's refusal.
 */
import { useCallback, useEffect, useState } from 'react';
import { showFlag } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { callResolver, HealthLozenge, mount, when } from '../../shared/ui';
import { AuditLog } from './audit-log';
import { ConnectionDetail } from './connection-detail';
import type { ConnectionView, ListAnswer } from './types';
import { Wizard } from './wizard';

type PushSetup = { ok: boolean; description: string } | null;

function SettingsPage() {
  const [state, setState] = useState<'loading' | 'ready' | 'refused'>('loading');
  const [error, setError] = useState<string>();
  const [data, setData] = useState<ListAnswer>({ connections: [], systems: [] });
  const [selected, setSelected] = useState<string>();
  const [wizard, setWizard] = useState<{ existing?: ConnectionView }>();
  const [pushSetup, setPushSetup] = useState<Record<string, PushSetup>>({});
  /** The connection just saved: said in the page, above its details, where it covers nothing (a flag would). */
  const [saved, setSaved] = useState<{ id: string; name: string; enabled: boolean }>();
  /** Counts the page's reloads: the audit log reads again after each, so an action just taken is in it. */
  const [loads, setLoads] = useState(0);

  const load = useCallback(async () => {
    const res = await callResolver<ListAnswer>('listConnections').catch((e: unknown) => ({
      ok: false as const,
      error: { code: 'FAILED', message: String(e) },
    }));
    if (!res.ok) {
      setState('refused');
      setError(res.error.message);
      return;
    }
    setData(res.data);
    setSelected((s) =>
      s && res.data.connections.some((c) => c.config.id === s) ? s : res.data.connections[0]?.config.id,
    );
    setState('ready');
    setLoads((n) => n + 1);
  }, []);
  useEffect(() => void load(), [load]);

  if (state === 'loading') return <Spinner label="Loading Crosswalk settings" />;
  if (state === 'refused') {
    return (
      <Stack space="space.200">
        <Heading size="large" as="h1">
          Crosswalk
        </Heading>
        <SectionMessage appearance="warning" title="You cannot change Crosswalk here">
          <p data-testid="refusal">{error}</p>
        </SectionMessage>
      </Stack>
    );
  }

  const current = data.connections.find((c) => c.config.id === selected);
  const move = async (index: number, by: -1 | 1) => {
    const ids = data.connections.map((c) => c.config.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    const res = await callResolver('reorderConnections', { connectionIds: ids });
    if (!res.ok)
      showFlag({
        id: `order-${Date.now()}`,
        title: 'The order was not saved',
        description: res.error.message,
        type: 'error',
        isAutoDismiss: true,
      });
    await load();
  };
  const labelOf = (kind: string) => data.systems.find((s) => s.kind === kind)?.label ?? kind;
  return (
    <Stack space="space.300">
      <Stack space="space.100">
        <Inline spread="space-between" alignBlock="center">
          <Heading size="large" as="h1">
            Crosswalk
          </Heading>
          <Button appearance="primary" onClick={() => setWizard({})} isDisabled={!data.systems.length}>
            Add connection
          </Button>
        </Inline>
        <Text as="p" color="color.text.subtle">
          Each connection pairs this project with another system. An issue syncs with the first connection whose filter
          it matches.
        </Text>
      </Stack>
      {data.connections.length === 0 ? (
        <SectionMessage appearance="information" title="Not connected yet">
          <p>
            This project is not connected to another system yet. Add a connection to{' '}
            {data.systems.map((s) => s.label).join(', ') || 'a system'}.
          </p>
        </SectionMessage>
      ) : (
        <DynamicTable
          label="Connections"
          testId="connections"
          head={{
            cells: [
              { key: 'order', content: 'Order' },
              { key: 'name', content: 'Connection' },
              { key: 'system', content: 'System' },
              { key: 'health', content: 'Health' },
              { key: 'items', content: 'Items in sync' },
              { key: 'last', content: 'Last sync' },
              { key: 'open', content: 'Details' },
            ],
          }}
          rows={data.connections.map((c, i) => ({
            key: c.config.id,
            cells: [
              {
                key: 'order',
                content: (
                  <Inline space="space.050" alignBlock="center">
                    <Text>{i + 1}</Text>
                    {data.connections.length > 1 && (
                      <>
                        <Button
                          spacing="compact"
                          appearance="subtle"
                          isDisabled={i === 0}
                          onClick={() => void move(i, -1)}
                          aria-label={`Up: match ${c.config.name} earlier`}
                        >
                          Up
                        </Button>
                        <Button
                          spacing="compact"
                          appearance="subtle"
                          isDisabled={i === data.connections.length - 1}
                          onClick={() => void move(i, 1)}
                          aria-label={`Down: match ${c.config.name} later`}
                        >
                          Down
                        </Button>
                      </>
                    )}
                  </Inline>
                ),
              },
              { key: 'name', content: c.config.name },
              {
                key: 'system',
                content: `${labelOf(c.config.remote.type)} · ${c.config.remote.baseUrl.replace(/^https:\/\//, '')}`,
              },
              {
                key: 'health',
                content: (
                  <Inline space="space.100" alignBlock="center">
                    <HealthLozenge enabled={c.config.enabled} health={c.health} />
                    {c.health && <Text size="small">{c.health.message}</Text>}
                    {c.config.enabled && !c.health && c.usage.itemsFailing > 0 && (
                      <Text size="small">
                        · {c.usage.itemsFailing}
                        {c.usage.failingCapped ? '+' : ''} {c.usage.itemsFailing === 1 ? 'item' : 'items'} failing
                      </Text>
                    )}
                  </Inline>
                ),
              },
              {
                key: 'items',
                content: (
                  <span
                    data-testid={`items-in-sync-${c.config.id}`}
                  >{`${c.usage.itemsInSync}${c.usage.itemsCapped ? '+' : ''}`}</span>
                ),
              },
              {
                key: 'last',
                content: (
                  <span data-testid={`last-sync-${c.config.id}`} title={c.usage.lastSyncAt ?? undefined}>
                    {when(c.usage.lastSyncAt)}
                  </span>
                ),
              },
              {
                key: 'open',
                content: (
                  <Button
                    spacing="compact"
                    isSelected={c.config.id === selected}
                    onClick={() => setSelected(c.config.id)}
                    aria-label={`Show ${c.config.name}`}
                  >
                    Show
                  </Button>
                ),
              },
            ],
          }))}
        />
      )}
      {current && saved?.id === current.config.id && (
        <SectionMessage
          appearance="success"
          title="Connection saved"
          testId="connection-saved"
          actions={[
            <SectionMessageAction key="dismiss" onClick={() => setSaved(undefined)}>
              Dismiss
            </SectionMessageAction>,
          ]}
        >
          <p role="status">
            {saved.enabled
              ? `${saved.name} is on: changes sync from now on. Issues that exist already sync when you choose Sync existing issues.`
              : `${saved.name} is saved paused: nothing syncs until you resume it.`}
          </p>
        </SectionMessage>
      )}
      {current && (
        <ConnectionDetail
          key={current.config.id}
          view={current}
          systemLabel={labelOf(current.config.remote.type)}
          pushSetup={pushSetup[current.config.id]}
          onEdit={() => setWizard({ existing: current })}
          onChanged={() => void load()}
        />
      )}
      <AuditLog reload={loads} connections={data.connections.map((c) => ({ id: c.config.id, name: c.config.name }))} />
      {wizard && (
        <Wizard
          systems={data.systems}
          existing={wizard.existing}
          onClose={() => setWizard(undefined)}
          onSaved={(view) => {
            setWizard(undefined);
            setPushSetup((p) => ({ ...p, [view.config.id]: view.pushSetup ?? null }));
            setSelected(view.config.id);
            setSaved({ id: view.config.id, name: view.config.name, enabled: view.config.enabled });
            void load();
          }}
        />
      )}
    </Stack>
  );
}

mount(<SettingsPage />);
