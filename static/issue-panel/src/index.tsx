/**
 * The issue panel (jira:issuePanel), for everyone who can see the issue: the
 * linked remote item with its state, the last sync, what failed and why,
 * conflicts and notices. Sync now for everyone who can see the issue; link to
 * an existing remote item and unlink (after a confirmation) for those who can
 * edit it. The server checks each permission again.
 */
import { useCallback, useEffect, useState } from 'react';
import { showFlag, view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { callResolver, mount, problemsAt, TextField, when, type Problem } from '../../shared/ui';

type Failure = { kind: string; message: string; at: string; field?: string };
type IssueSync = LinkedSync | { linked: false; reason: string; lastError: Failure | null };
interface LinkedSync {
  linked: true;
  remoteKey: string;
  remoteUrl: string;
  remoteState: string | null;
  lastSyncAt: string | null;
  lastError: Failure | null;
  problems: Array<{ part: string; kind: string; message: string }>;
  conflicts: Array<{ field: string; winner: string; reason: string; at: string }>;
  notices: string[];
}
interface Access {
  canEdit: boolean;
  connections: Array<{ id: string; name: string; system: string }>;
}

const PART_TITLES: Record<string, string> = { status: 'The status did not sync', attachments: 'Some files did not sync', comments: 'Some comments did not sync', fields: 'Some fields did not sync' };

function LinkForm({ access, onLinked }: { access: Access; onLinked(): void }) {
  const [remoteKey, setRemoteKey] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const target = access.connections[0];
  if (!target) return null;
  const link = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const res = await callResolver<{ remoteKey: string }>('linkIssue', { remoteKey });
      if (res.ok) {
        showFlag({ id: `link-${Date.now()}`, title: 'Linked', description: `Linked to ${res.data.remoteKey}; the next sync aligns both sides.`, type: 'success', isAutoDismiss: true });
        setRemoteKey('');
        onLinked();
      } else setProblems((res.error as { problems?: Problem[] }).problems ?? [{ path: 'remoteKey', message: res.error.message }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack space="space.100">
      <TextField
        id="remoteKey"
        label={`Link to an existing ${target.system} item`}
        value={remoteKey}
        placeholder={target.system === 'ServiceNow' ? 'INC0010001' : 'its number'}
        errors={problemsAt(problems, 'remoteKey').concat(problems.filter((p) => p.path === '').map((p) => p.message))}
        onChange={setRemoteKey}
      />
      <Inline>
        <Button onClick={() => void link()} isLoading={busy} isDisabled={!remoteKey.trim()}>
          Link
        </Button>
      </Inline>
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

  const load = useCallback(async () => {
    const [s, a] = await Promise.all([callResolver<IssueSync>('getIssueSync'), callResolver<Access>('issuePanelAccess')]);
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
      if (res.ok) showFlag({ id: `sync-now-${Date.now()}`, title: 'Sync requested', description: `${issueKey ?? 'The issue'} will be checked against the remote item.`, type: 'info', isAutoDismiss: true });
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
      if (res.ok) showFlag({ id: `unlink-${Date.now()}`, title: 'Unlinked', description: `${issueKey ?? 'The issue'} no longer syncs; both items stay as they are.`, type: 'success', isAutoDismiss: true });
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
  return (
    <Stack space="space.200">
      {sync.linked ? (
        <Stack space="space.100">
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Text>
              <span data-testid="linked">
                Linked to{' '}
                <a href={sync.remoteUrl} target="_blank" rel="noreferrer">
                  {sync.remoteKey}
                </a>
              </span>
            </Text>
            {sync.remoteState && (
              <Lozenge appearance="inprogress" testId="remote-state">
                {sync.remoteState}
              </Lozenge>
            )}
          </Inline>
          <Text size="small" color="color.text.subtle">
            <span data-testid="last-sync">{sync.lastSyncAt ? `Last synced ${when(sync.lastSyncAt)}` : 'Not synced yet'}</span>
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
        <SectionMessage appearance="error" title={sync.lastError.kind === 'auth' ? 'The connection needs attention' : sync.linked ? 'This issue did not sync' : 'This issue could not be created in the other system'} testId="sync-error">
          <p>
            {sync.lastError.field ? `${sync.lastError.field}: ` : ''}
            {sync.lastError.message}
          </p>
          <p>Last attempt {when(sync.lastError.at)}.</p>
        </SectionMessage>
      )}
      {sync.linked &&
        sync.problems.map((p) => (
          <SectionMessage appearance="warning" key={p.part} title={PART_TITLES[p.part] ?? `${p.part} did not sync`} testId="sync-problem">
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
      <Inline space="space.100" shouldWrap>
        <Button appearance={sync.lastError ? 'primary' : 'default'} onClick={() => void syncNow()} isLoading={busy === 'sync'}>
          {sync.lastError ? 'Retry sync' : 'Sync now'}
        </Button>
        {sync.linked && access?.canEdit && (
          <Button appearance="subtle" onClick={() => setConfirmUnlink(true)}>
            Unlink
          </Button>
        )}
      </Inline>
      {!sync.linked && access?.canEdit && <LinkForm access={access} onLinked={() => void load()} />}
      {confirmUnlink && sync.linked && (
        <ModalDialog onClose={() => setConfirmUnlink(false)} label="Unlink the issue" testId="confirm-unlink">
          <ModalHeader>
            <ModalTitle appearance="warning">Unlink {sync.remoteKey}?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text as="p">{issueKey ?? 'This issue'} and {sync.remoteKey} stop syncing. Neither is deleted or changed; you can link them again later.</Text>
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
