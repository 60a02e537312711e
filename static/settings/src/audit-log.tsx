/**
 * The project's audit log: every change to its connections and every manual
 * link, unlink, create, Sync now and bulk run, with who did it and when,
 * newest first, kept 90 days (src/store/audit.ts). People are named as Jira
 * shows them to the admin; the CSV export carries their account ids too.
 */
import { useCallback, useEffect, useState } from 'react';
import { requestJira } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import { callResolver, when } from '../../shared/ui';
import { actionWords, auditCsv, changeWords, itemWords, type AuditRow } from './audit-words';

interface AuditAnswer {
  entries: AuditRow[];
  cursor: string | null;
}

/** Export reads at most this many pages of 100 (the 90 days of a busy project may hold more). */
const EXPORT_PAGES = 50;

async function displayName(accountId: string): Promise<string | undefined> {
  try {
    const res = await requestJira(`/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`, {
      headers: { Accept: 'application/json' },
    });
    return res.ok ? ((await res.json()) as { displayName?: string }).displayName : undefined;
  } catch {
    return undefined;
  }
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/**
 * `reload` changes whenever the page reloads its connections, so an action just taken shows at once; `connections`
 * are the project's, to show one of them alone (a deleted one's entries show under all connections).
 */
export function AuditLog({
  reload,
  connections,
}: {
  reload: number;
  connections: Array<{ id: string; name: string }>;
}) {
  const [connectionId, setConnectionId] = useState<string>();
  const [rows, setRows] = useState<AuditRow[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'more' | 'export'>();

  const page = useCallback(
    async (after: string | null, limit?: number) => {
      const res = await callResolver<AuditAnswer>('auditLog', {
        ...(connectionId ? { connectionId } : {}),
        ...(after ? { cursor: after } : {}),
        ...(limit ? { limit } : {}),
      });
      if (!res.ok) {
        setError(res.error.message);
        return undefined;
      }
      setError(undefined);
      return res.data;
    },
    [connectionId],
  );

  useEffect(() => {
    void page(null).then((data) => {
      if (!data) return;
      setRows(data.entries);
      setCursor(data.cursor);
    });
  }, [page, reload]);

  useEffect(() => {
    const missing = [...new Set((rows ?? []).map((r) => r.actor))].filter((a) => !(a in names));
    if (!missing.length) return;
    void Promise.all(missing.map(async (a) => [a, (await displayName(a)) ?? a] as const)).then((found) =>
      setNames((n) => ({ ...n, ...Object.fromEntries(found) })),
    );
  }, [rows, names]);

  const more = async () => {
    setBusy('more');
    try {
      const data = await page(cursor);
      if (!data) return;
      setRows((r) => [...(r ?? []), ...data.entries]);
      setCursor(data.cursor);
    } finally {
      setBusy(undefined);
    }
  };

  const exportCsv = async () => {
    setBusy('export');
    try {
      const all: AuditRow[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const data: AuditAnswer | undefined = await page(after, 100);
        if (!data) return;
        all.push(...data.entries);
        after = data.cursor;
      } while (after && ++pages < EXPORT_PAGES);
      download(`crosswalk-audit-${new Date().toISOString().slice(0, 10)}.csv`, auditCsv(all, names));
    } finally {
      setBusy(undefined);
    }
  };

  const options = [
    { label: 'All connections', value: '' },
    ...connections.map((c) => ({ label: c.name, value: c.id })),
  ];
  return (
    <Stack space="space.100" testId="audit-log">
      <Inline spread="space-between" alignBlock="center">
        <Heading size="small" as="h3">
          Audit log
        </Heading>
        <Button onClick={() => void exportCsv()} isLoading={busy === 'export'} isDisabled={!rows?.length}>
          Export CSV
        </Button>
      </Inline>
      <Text as="p" color="color.text.subtle">
        Who changed this project's connections, linked, unlinked or synced issues by hand, and when. Kept for 90 days;
        secrets are named, never shown.
      </Text>
      {connections.length > 1 && (
        <Stack space="space.050">
          <Label htmlFor="audit-connection">Connection</Label>
          <Select
            inputId="audit-connection"
            options={options}
            value={options.find((o) => o.value === (connectionId ?? '')) ?? options[0]}
            onChange={(o) => setConnectionId(o?.value || undefined)}
          />
        </Stack>
      )}
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {rows && rows.length === 0 && <Text as="p">Nothing in the last 90 days.</Text>}
      {rows && rows.length > 0 && (
        <DynamicTable
          label="Audit log"
          testId="audit-table"
          head={{
            cells: [
              { key: 'when', content: 'When' },
              { key: 'who', content: 'Who' },
              { key: 'action', content: 'Action' },
              { key: 'connection', content: 'Connection' },
              { key: 'item', content: 'Item' },
              { key: 'changes', content: 'What changed' },
            ],
          }}
          rows={rows.map((r, i) => ({
            key: `${r.at}-${i}`,
            cells: [
              { key: 'when', content: <span title={r.at}>{when(r.at)}</span> },
              { key: 'who', content: <span title={r.actor}>{names[r.actor] ?? r.actor}</span> },
              { key: 'action', content: actionWords(r.action) },
              // By its id, which a deleted connection keeps too (and which is not its name, so the page's own table
              // of connections stays the one place a connection's name is a row).
              { key: 'connection', content: r.connectionId ?? '' },
              { key: 'item', content: itemWords(r) },
              { key: 'changes', content: <Text size="small">{changeWords(r)}</Text> },
            ],
          }))}
        />
      )}
      {cursor && (
        <Inline>
          <Button onClick={() => void more()} isLoading={busy === 'more'}>
            Show older entries
          </Button>
        </Inline>
      )}
    </Stack>
  );
}
