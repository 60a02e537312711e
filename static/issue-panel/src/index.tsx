/**
 * The issue panel (jira:issuePanel), for everyone who can see the issue: the
 * linked remote item with its state and its SLAs in the remote (read live:
 * the time left or since the breach), the last sync, what failed and why,
 * conflicts and notices, and a timeline of the pair's recent sync steps (what
 * each changed, and when, where the times tell something). For those who can
 * edit the issue: Sync now, find a remote item by number or words and link to
 * it, create the item in the remote, and unlink (after a confirmation). A
 * viewer (browse only) sees everything but the actions. The server checks
 * each permission again.
 */
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { router, showFlag, view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import { ErrorMessage, Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { callResolver, mount, problemsAt, TextField, when, type Problem } from '../../shared/ui';
import { sinceTime } from '../../shared/words';
import { fieldName, stagesShown, whatCrossed, type SyncedStep } from './timeline-text';
import { breachTimeText, slaLozenge, slaWords, type SlaShown } from './sla-text';

type Failure = { kind: string; message: string; at: string; field?: string };
/** A connection-wide condition past its threshold, as the last alert check saw it (src/resolvers/condition-shown.ts). */
interface ConnectionBanner {
  connectionName: string;
  system: string;
  words: string;
  check: string;
  since: string;
}
type IssueSync = (LinkedSync | { linked: false; reason: string; lastError: Failure | null }) & {
  banners?: ConnectionBanner[];
};
interface LinkedSync {
  linked: true;
  connectionId: string;
  remoteKey: string;
  remoteTitle: string | null;
  remoteUrl: string;
  remoteState: string | null;
  lastSyncAt: string | null;
  lastError: Failure | null;
  problems: Array<{ part: string; kind: string; message: string }>;
  conflicts: Array<{ field: string; winner: string; reason: string; at: string }>;
  notices: string[];
  timeline: TimelineEntry[];
  timelineDays: number;
  pending: { jiraChangedAt: string | null; retrying: boolean };
  /** The remote's SLAs for the item, read live; null where the remote has none or could not say. */
  sla?: SlaShown[] | null;
}
type TimelineEntry =
  | (SyncedStep & { kind: 'synced'; at: string })
  | { kind: 'failed'; message: string; failureKind: string; attempts: number; at: string };
interface Found {
  remoteKey: string;
  title: string;
  status: string | null;
  url: string;
  updatedAt: string;
  linkedTo: string | null;
}
interface Access {
  canEdit: boolean;
  /** `searchHint`: what a person may type to find an item there, in the system's own terms. */
  connections: Array<{ id: string; name: string; system: string; searchHint: string }>;
}

const PART_TITLES: Record<string, string> = {
  status: 'The status did not sync',
  attachments: 'Some files did not sync',
  comments: 'Some comments did not sync',
  fields: 'Some fields did not sync',
};

// The connection picker shows only for projects with several connections: its weight loads then.
const Select = lazy(() => import('@atlaskit/select'));

/** A link to the remote item that opens through Jira (router.open), as a Custom UI frame may not open windows itself. */
function RemoteLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      onClick={(e) => {
        e.preventDefault();
        void router.open(href);
      }}
    >
      {children}
    </a>
  );
}

/** A time of day (with the date when it is not today), in a <time> element. */
function At({ iso, label }: { iso: string | null; label: string }) {
  if (!iso) return null;
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return (
    <span>
      {label} <time dateTime={iso}>{today ? d.toLocaleTimeString() : d.toLocaleString()}</time>
    </span>
  );
}

/** The remote item's SLAs: each by name, its stage, the time left (or since it breached) and its breach time. */
function Slas({ slas, system }: { slas: SlaShown[]; system: string }) {
  return (
    <Stack space="space.100">
      <Heading size="xsmall" as="h2">
        SLA in {system}
      </Heading>
      {slas.length === 0 ? (
        <Text size="small" color="color.text.subtle">
          <span data-testid="sla-none">No SLA applies to this item.</span>
        </Text>
      ) : (
        <ul className="cw-slas" data-testid="sla" aria-label={`SLAs in ${system}`}>
          {slas.map((s) => {
            const lozenge = slaLozenge(s);
            const due = s.stage === 'running' || s.stage === 'breached';
            return (
              <li key={s.name + (s.breachAt ?? '')} data-testid="sla-item">
                <Stack space="space.025">
                  <Inline space="space.100" alignBlock="center" shouldWrap>
                    <Lozenge appearance={lozenge.appearance}>{lozenge.label}</Lozenge>
                    <Text size="small" weight="medium">
                      {s.name}
                    </Text>
                  </Inline>
                  <Text size="small" color="color.text.subtle">
                    <span className="cw-steps">
                      <span data-testid="sla-left">{slaWords(s)}</span>
                      {due && s.breachAt && (
                        <span>
                          Breach time <time dateTime={s.breachAt}>{breachTimeText(s.breachAt)}</time>
                        </span>
                      )}
                    </span>
                  </Text>
                </Stack>
              </li>
            );
          })}
        </ul>
      )}
    </Stack>
  );
}

function Timeline({ entries, days, system }: { entries: TimelineEntry[]; days: number; system: string }) {
  return (
    <Stack space="space.100">
      <Heading size="xsmall" as="h2">
        Sync history (last {days} days)
      </Heading>
      {entries.length === 0 ? (
        <Text size="small" color="color.text.subtle">
          Nothing has crossed yet.
        </Text>
      ) : (
        <ol className="cw-timeline" data-testid="timeline" aria-label="Sync steps, newest first">
          {entries.map((e) =>
            e.kind === 'failed' ? (
              <li key={`f${e.at}`} data-testid="timeline-step">
                <Stack space="space.050">
                  <Inline space="space.100" alignBlock="center" shouldWrap>
                    <Lozenge appearance="removed">Failed</Lozenge>
                    <Text size="small">{e.message}</Text>
                  </Inline>
                  <Text size="small" color="color.text.subtle">
                    <At iso={e.at} label={`Attempt ${e.attempts}:`} />
                  </Text>
                </Stack>
              </li>
            ) : (
              <li key={`s${e.at}`} data-testid="timeline-step">
                <Stack space="space.050">
                  <Inline space="space.100" alignBlock="center" shouldWrap>
                    {e.kept.length ? (
                      <Lozenge appearance="moved">Not taken</Lozenge>
                    ) : (
                      <Lozenge appearance="success">Confirmed</Lozenge>
                    )}
                    <Text size="small" weight="medium">
                      {whatCrossed(e, system)}
                    </Text>
                  </Inline>
                  <Text size="small" color="color.text.subtle">
                    <span className="cw-steps">
                      {stagesShown(e, system).map((s) =>
                        s.iso ? <At key={s.label} iso={s.iso} label={s.label} /> : <span key={s.label}>{s.label}</span>,
                      )}
                    </span>
                  </Text>
                </Stack>
              </li>
            ),
          )}
        </ol>
      )}
    </Stack>
  );
}

/** Find a remote item by its number or words of its title, and link the issue to it; or create it in the remote. */
function LinkOrCreate({ access, issueKey, onChanged }: { access: Access; issueKey?: string; onChanged(): void }) {
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [found, setFound] = useState<Found[]>();
  const [busy, setBusy] = useState<string>();
  const [connectionId, setConnectionId] = useState(access.connections[0]?.id);
  const target = access.connections.find((c) => c.id === connectionId) ?? access.connections[0];
  if (!target) return null;
  const search = async () => {
    setBusy('search');
    setProblems([]);
    try {
      const res = await callResolver<{ items: Found[] }>('searchRemote', { text, connectionId: target.id });
      if (res.ok) {
        setFound(res.data.items);
        if (!res.data.items.length)
          setProblems([{ path: 'text', message: `Nothing in ${target.system} matches “${text.trim()}”` }]);
      } else
        setProblems(
          (res.error as { problems?: Problem[] }).problems?.map((p) => ({
            ...p,
            path: p.path === 'connectionId' ? '' : p.path,
          })) ?? [{ path: 'text', message: res.error.message }],
        );
    } finally {
      setBusy(undefined);
    }
  };
  const link = async (remoteKey: string) => {
    setBusy(`link:${remoteKey}`);
    try {
      const res = await callResolver<{ remoteKey: string }>('linkIssue', { remoteKey, connectionId: target.id });
      if (res.ok) {
        showFlag({
          id: `link-${Date.now()}`,
          title: 'Linked',
          description: `Linked to ${res.data.remoteKey}; the issue takes its values, and later changes sync both ways.`,
          type: 'success',
          isAutoDismiss: true,
        });
        setFound(undefined);
        setText('');
        onChanged();
      } else setProblems([{ path: 'text', message: res.error.message }]);
    } finally {
      setBusy(undefined);
    }
  };
  const create = async () => {
    setBusy('create');
    try {
      const res = await callResolver<{ system: string }>('createInRemote', { connectionId: target.id });
      if (res.ok) {
        showFlag({
          id: `create-${Date.now()}`,
          title: `Creating in ${res.data.system}`,
          description: `${issueKey ?? 'The issue'} is being created in ${res.data.system}; the panel shows it once it is linked.`,
          type: 'info',
          isAutoDismiss: true,
        });
        setTimeout(onChanged, 1500);
      } else setProblems([{ path: '', message: res.error.message }]);
    } finally {
      setBusy(undefined);
    }
  };
  const general = problems.filter((p) => p.path === '').map((p) => p.message);
  return (
    <Stack space="space.150">
      {access.connections.length > 1 && (
        <Stack space="space.050">
          <Label htmlFor="connection">Connection</Label>
          <Suspense fallback={<Spinner size="small" label="Loading the connections" />}>
            <Select
              inputId="connection"
              options={access.connections.map((c) => ({ label: `${c.name} (${c.system})`, value: c.id }))}
              value={{ label: `${target.name} (${target.system})`, value: target.id }}
              onChange={(o) => {
                const picked = o as { value: string } | null;
                if (picked) setConnectionId(picked.value);
              }}
            />
          </Suspense>
        </Stack>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void search();
        }}
      >
        <Stack space="space.100">
          <TextField
            id="remoteSearch"
            label={`Link to an existing ${target.system} item`}
            value={text}
            placeholder={target.searchHint}
            errors={problemsAt(problems, 'text')}
            onChange={setText}
          />
          <Inline>
            <Button type="submit" isLoading={busy === 'search'} isDisabled={!text.trim()}>
              Search
            </Button>
          </Inline>
        </Stack>
      </form>
      {found && found.length > 0 && (
        <ul className="cw-results" data-testid="search-results" aria-label={`${target.system} items found`}>
          {found.map((f) => (
            <li key={f.remoteKey}>
              <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
                <Stack space="space.025">
                  <Text size="small">
                    <RemoteLink href={f.url}>{f.remoteKey}</RemoteLink> {f.title}
                  </Text>
                  <Inline space="space.100" alignBlock="center">
                    {f.status && <Lozenge>{f.status}</Lozenge>}
                    {f.linkedTo && (
                      <Text size="small" color="color.text.subtle">
                        Linked to {f.linkedTo}
                      </Text>
                    )}
                  </Inline>
                </Stack>
                <Button
                  appearance="primary"
                  onClick={() => void link(f.remoteKey)}
                  isLoading={busy === `link:${f.remoteKey}`}
                  isDisabled={Boolean(f.linkedTo)}
                  aria-label={`Link to ${f.remoteKey}`}
                >
                  Link
                </Button>
              </Inline>
            </li>
          ))}
        </ul>
      )}
      <Stack space="space.050">
        <Text size="small" color="color.text.subtle">
          Or make a new {target.system} item from this issue{target.name ? ` through ${target.name}` : ''}.
        </Text>
        <Inline>
          <Button onClick={() => void create()} isLoading={busy === 'create'}>
            Create in {target.system}
          </Button>
        </Inline>
        {general.map((m) => (
          <ErrorMessage key={m}>{m}</ErrorMessage>
        ))}
      </Stack>
    </Stack>
  );
}

function IssuePanel() {
  const [issueKey, setIssueKey] = useState<string>();
  const [sync, setSync] = useState<IssueSync>();
  const [access, setAccess] = useState<Access>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [confirmUnlink, setConfirmUnlink] = useState(false);

  // Loads overlap (Sync now reloads after a pause; Unlink reloads at once) and the remote's SLA can make one slow:
  // only the newest load may show, or a stale "linked" answer would replace the search an unlink just opened.
  const newestLoad = useRef(0);
  const load = useCallback(async () => {
    const mine = ++newestLoad.current;
    const [s, a] = await Promise.all([
      callResolver<IssueSync>('getIssueSync', { withSla: true }),
      callResolver<Access>('issuePanelAccess'),
    ]);
    if (mine !== newestLoad.current) return;
    if (!s.ok) return setError(s.error.message);
    setSync(s.data);
    if (a.ok) setAccess(a.data);
  }, []);

  useEffect(() => {
    void view.getContext().then((ctx) => setIssueKey((ctx.extension as { issue?: { key?: string } }).issue?.key));
    void load();
  }, [load]);

  const syncNow = async () => {
    setBusy('sync');
    try {
      const res = await callResolver<{ queued: boolean }>('syncIssueNow');
      if (res.ok)
        showFlag({
          id: `sync-now-${Date.now()}`,
          title: 'Sync requested',
          description: `${issueKey ?? 'The issue'} will be checked against the remote item.`,
          type: 'info',
          isAutoDismiss: true,
        });
      else setError(res.error.message);
      setTimeout(() => void load(), 1500);
    } finally {
      setBusy(undefined);
    }
  };

  const unlink = async () => {
    setBusy('unlink');
    try {
      const res = await callResolver<{ unlinked: boolean }>('unlinkIssue');
      setConfirmUnlink(false);
      if (res.ok)
        showFlag({
          id: `unlink-${Date.now()}`,
          title: 'Unlinked',
          description: `${issueKey ?? 'The issue'} no longer syncs; both items stay as they are.`,
          type: 'success',
          isAutoDismiss: true,
        });
      else setError(res.error.message);
      await load();
    } finally {
      setBusy(undefined);
    }
  };

  if (error) {
    return (
      <SectionMessage appearance="warning" title="Crosswalk">
        <p data-testid="panel-error">{error}</p>
      </SectionMessage>
    );
  }
  if (!sync) return <Spinner label="Loading the sync state" />;
  const systemOf = (linked: LinkedSync) =>
    access?.connections.find((c) => c.id === linked.connectionId)?.system ?? 'the other system';
  return (
    <Stack space="space.200">
      {(sync.banners ?? []).map((b) => (
        <SectionMessage appearance="warning" testId="connection-banner" key={`${b.connectionName}-${b.words}`}>
          <p>
            {`${b.system} connection ${b.connectionName}: ${b.words} ${sinceTime(b.since)}. It holds up every issue of this connection, not only this one.`}
          </p>
        </SectionMessage>
      ))}
      {sync.linked ? (
        <Stack space="space.100">
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Text>
              <span data-testid="linked">
                Linked to <RemoteLink href={sync.remoteUrl}>{sync.remoteKey}</RemoteLink>
                {sync.remoteTitle && <span data-testid="remote-title">{` ${sync.remoteTitle}`}</span>}
              </span>
            </Text>
            {sync.remoteState && (
              <Lozenge appearance="inprogress" testId="remote-state">
                {sync.remoteState}
              </Lozenge>
            )}
          </Inline>
          <Text size="small" color="color.text.subtle">
            <span data-testid="last-sync">
              {sync.lastSyncAt ? `Last synced ${when(sync.lastSyncAt)}` : 'Not synced yet'}
            </span>
          </Text>
          <Text size="small" color="color.text.subtle">
            <span data-testid="pending">
              {sync.pending.jiraChangedAt
                ? `A Jira change from ${when(sync.pending.jiraChangedAt)} is waiting to sync.`
                : sync.pending.retrying
                  ? 'The failure below is retried automatically.'
                  : sync.problems.length
                    ? `Jira and ${systemOf(sync)} do not agree on everything: see below.`
                    : 'Nothing waiting to sync from Jira.'}
            </span>
          </Text>
        </Stack>
      ) : (
        <Text as="p" color="color.text.subtle">
          <span data-testid="not-linked">
            {issueKey ? `${issueKey} is not linked to a remote item. ` : 'Not linked to a remote item. '}
            {sync.reason}
          </span>
        </Text>
      )}
      {sync.lastError && (
        <SectionMessage
          appearance="error"
          title={
            sync.lastError.kind === 'auth'
              ? 'The connection needs attention'
              : sync.linked
                ? 'This issue did not sync'
                : 'This issue could not be created in the other system'
          }
          testId="sync-error"
        >
          <p>
            {sync.lastError.field ? `${sync.lastError.field}: ` : ''}
            {sync.lastError.message}
          </p>
          <p>Last attempt {when(sync.lastError.at)}.</p>
        </SectionMessage>
      )}
      {sync.linked &&
        sync.problems.map((p) => (
          <SectionMessage
            appearance="warning"
            key={p.part}
            title={
              p.kind === 'not-taken'
                ? `${systemOf(sync)} did not take the ${fieldName(p.part).toLowerCase()}`
                : p.kind === 'refused'
                  ? `The ${fieldName(p.part).toLowerCase()} was refused; the rest synced`
                  : (PART_TITLES[p.part] ?? `${p.part} did not sync`)
            }
            testId="sync-problem"
          >
            <p>{p.message}</p>
          </SectionMessage>
        ))}
      {sync.linked && sync.conflicts.length > 0 && (
        <SectionMessage appearance="information" title="Recent conflicts">
          {sync.conflicts.map((c) => (
            <p key={c.field + c.at}>
              {c.field}: {c.winner} won ({c.reason}), {when(c.at)}
            </p>
          ))}
        </SectionMessage>
      )}
      {sync.linked &&
        sync.notices.map((n) => (
          <Text as="p" size="small" key={n}>
            {n}
          </Text>
        ))}
      {access?.canEdit && (
        <Inline space="space.100" shouldWrap>
          <Button
            appearance={sync.lastError ? 'primary' : 'default'}
            onClick={() => void syncNow()}
            isLoading={busy === 'sync'}
          >
            {sync.lastError ? 'Retry sync' : 'Sync now'}
          </Button>
          {sync.linked && (
            <Button appearance="subtle" onClick={() => setConfirmUnlink(true)}>
              Unlink
            </Button>
          )}
        </Inline>
      )}
      {!sync.linked && access?.canEdit && (
        <LinkOrCreate access={access} {...(issueKey ? { issueKey } : {})} onChanged={() => void load()} />
      )}
      {sync.linked && sync.sla && <Slas slas={sync.sla} system={systemOf(sync)} />}
      {sync.linked && <Timeline entries={sync.timeline} days={sync.timelineDays} system={systemOf(sync)} />}
      {confirmUnlink && sync.linked && (
        <ModalDialog onClose={() => setConfirmUnlink(false)} label="Unlink the issue" testId="confirm-unlink">
          <ModalHeader>
            <ModalTitle appearance="warning">Unlink {sync.remoteKey}?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text as="p">
              {issueKey ?? 'This issue'} and {sync.remoteKey} stop syncing. Neither is deleted or changed; you can link
              them again later.
            </Text>
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={() => setConfirmUnlink(false)}>
              Cancel
            </Button>
            <Button appearance="warning" onClick={() => void unlink()} isLoading={busy === 'unlink'}>
              Unlink
            </Button>
          </ModalFooter>
        </ModalDialog>
      )}
    </Stack>
  );
}

mount(<IssuePanel />);
