/**
 * One connection's actions and health: test it, pause or resume, sync the
 * existing issues with a progress bar, delete it after a confirmation, and its
 * failing items by kind with a retry for one or all.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { showFlag } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import ProgressBar from '@atlaskit/progress-bar';
import SectionMessage from '@atlaskit/section-message';
import { callResolver, HealthLozenge, when } from '../../shared/ui';
import { count } from '../../shared/words';
import { Activity } from './activity';
import { PushCheck } from './push-check';
import { Alerts } from './alerts';
import { settingsOf, type ConnectionView } from './types';

interface Failure {
  id: string;
  side: 'jira' | 'remote';
  issueKey: string | null;
  summary: string | null;
  remoteId: string | null;
  kind: string;
  message: string;
  field: string | null;
  at: string;
  attempts: number;
}
interface Progress {
  total: number;
  startedAt: string;
  success: number;
  inProgress: number;
  failed: number;
  /** Dropped by a cancel, or never queued because of it. */
  cancelled?: number;
  cancelledAt?: string | null;
  /** This connection's items that failed since the run started. */
  failures?: Array<{
    id: string;
    issueKey: string | null;
    summary: string | null;
    remoteId: string | null;
    kind: string;
    message: string;
    at: string;
  }>;
}
export type AccessCheck = { what: string; ok: boolean; required: boolean; detail?: string };
export type TestResult =
  { reachable: true; identity: string; checks: AccessCheck[] } | { reachable: false; kind: string; message: string };

/** What the sync needs of the remote, each tried: missing required ones stop part of the sync, optional ones make it poorer. */
export function AccessChecks({ checks }: { checks: AccessCheck[] }) {
  if (!checks.length) return null;
  return (
    <ul aria-label="What Crosswalk can do there" data-testid="access-checks">
      {checks.map((c) => (
        <li key={c.what}>
          <Inline space="space.100" alignBlock="center">
            <Lozenge appearance={c.ok ? 'success' : c.required ? 'removed' : 'moved'}>
              {c.ok ? 'Allowed' : c.required ? 'Missing' : 'Missing, optional'}
            </Lozenge>
            <Text>{`${c.what}${c.detail ? `: ${c.detail}` : ''}`}</Text>
          </Inline>
        </li>
      ))}
    </ul>
  );
}

const KIND_LABELS: Record<string, string> = {
  auth: 'Sign-in',
  'rate-limited': 'Rate limited',
  transient: 'Unavailable',
  validation: 'Refused',
  mapping: 'Mapping',
  conflict: 'Conflict',
  'not-found': 'Not found',
  'over-limit': 'Over a limit',
};

function Health({ view }: { view: ConnectionView }) {
  const id = view.config.id;
  const [failures, setFailures] = useState<Failure[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    const res = await callResolver<{ failures: Failure[] }>('connectionFailures', { connectionId: id });
    if (res.ok) setFailures(res.data.failures);
    else setError(res.error.message);
  }, [id]);
  useEffect(() => void load(), [load]);

  const retry = async (failureIds?: string[]) => {
    setBusy(failureIds?.[0] ?? 'all');
    try {
      const res = await callResolver<{ queued: number }>('retryFailures', {
        connectionId: id,
        ...(failureIds ? { failureIds } : {}),
      });
      if (res.ok)
        showFlag({
          id: `retry-${Date.now()}`,
          title: 'Retry queued',
          description: `${count(res.data.queued, 'item')} will be synced again.`,
          type: 'info',
          isAutoDismiss: true,
        });
      else setError(res.error.message);
      await load();
    } finally {
      setBusy(undefined);
    }
  };

  const byKind = (failures ?? []).reduce<Record<string, number>>(
    (acc, f) => ({ ...acc, [f.kind]: (acc[f.kind] ?? 0) + 1 }),
    {},
  );
  return (
    <Stack space="space.150">
      <Heading size="small" as="h3">
        Health
      </Heading>
      {view.health && (
        <SectionMessage appearance="error" title="The connection is failing">
          <p data-testid="health-reason">{view.health.message}</p>
        </SectionMessage>
      )}
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {failures && failures.length === 0 && <Text as="p">No failing items.</Text>}
      {failures && failures.length > 0 && (
        <>
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Text>Failing items:</Text>
            {Object.entries(byKind).map(([k, n]) => (
              <Lozenge key={k} appearance="removed">{`${KIND_LABELS[k] ?? k}: ${n}`}</Lozenge>
            ))}
            <Button onClick={() => void retry()} isLoading={busy === 'all'}>
              Retry all
            </Button>
          </Inline>
          <DynamicTable
            label="Failing items"
            testId="failures"
            head={{
              cells: [
                { key: 'item', content: 'Item' },
                { key: 'kind', content: 'Kind' },
                { key: 'message', content: 'What happened' },
                { key: 'at', content: 'Last attempt' },
                { key: 'retry', content: 'Retry' },
              ],
            }}
            rows={failures.map((f) => ({
              key: f.id,
              cells: [
                {
                  key: 'item',
                  content:
                    f.side === 'jira'
                      ? `${f.issueKey ?? `issue ${f.id}`}${f.summary ? `: ${f.summary}` : ''}`
                      : `Remote item ${f.remoteId}`,
                },
                { key: 'kind', content: <Lozenge appearance="removed">{KIND_LABELS[f.kind] ?? f.kind}</Lozenge> },
                { key: 'message', content: `${f.field ? `${f.field}: ` : ''}${f.message}` },
                { key: 'at', content: `${when(f.at)} (${count(f.attempts, 'attempt')})` },
                {
                  key: 'retry',
                  content: (
                    <Button
                      spacing="compact"
                      onClick={() => void retry([f.id])}
                      isLoading={busy === f.id}
                      aria-label={`Retry ${f.issueKey ?? f.remoteId ?? f.id}`}
                    >
                      Retry
                    </Button>
                  ),
                },
              ],
            }))}
          />
        </>
      )}
    </Stack>
  );
}

interface PushSetup {
  mode: 'automatic' | 'manual';
  /** The system's name and, in words, how its changes reach Crosswalk (its registry entry's text). */
  system: string;
  summary: string | null;
  url: string;
  secretSet: boolean;
  script: string | null;
}

/** Where the remote sends its changes; for a system set up by hand, what to paste and a new signing secret shown once. */
function ChangePush({
  view,
  provisioned,
}: {
  view: ConnectionView;
  provisioned?: { ok: boolean; description: string } | null;
}) {
  const id = view.config.id;
  const [setup, setSetup] = useState<PushSetup>();
  const [fresh, setFresh] = useState<{ secret: string; script: string | null }>();
  const [error, setError] = useState<string>();
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void callResolver<PushSetup>('changePushSetup', { connectionId: id }).then((res) =>
      res.ok ? setSetup(res.data) : setError(res.error.message),
    );
  }, [id]);

  const generate = async () => {
    setBusy(true);
    try {
      const res = await callResolver<{ secret: string; script: string | null }>('newSigningSecret', {
        connectionId: id,
      });
      setConfirm(false);
      if (res.ok) {
        setFresh(res.data);
        setSetup((s) => (s ? { ...s, secretSet: true } : s));
      } else setError(res.error.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack space="space.100">
      <Heading size="small" as="h3">
        Change notifications
      </Heading>
      {setup?.summary && (
        <Text as="p" testId="push-summary">
          {setup.summary}
        </Text>
      )}
      {provisioned && (
        <SectionMessage appearance={provisioned.ok ? 'success' : 'warning'} testId="push-provisioned">
          <p>{provisioned.description}</p>
        </SectionMessage>
      )}
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {setup?.mode === 'automatic' && (
        <Text as="p" size="small" color="color.text.subtle">
          They are sent to <code data-testid="push-url">{setup.url}</code>. Without them Crosswalk still syncs every
          five minutes.
        </Text>
      )}
      {setup?.mode === 'manual' && (
        <Stack space="space.100">
          <Text as="p">
            The rules send each change, signed, to <code data-testid="push-url">{setup.url}</code>. Signing secret:{' '}
            {setup.secretSet ? 'set (never shown again)' : 'not set yet'}. Without notifications Crosswalk still syncs
            every five minutes.
          </Text>
          {fresh ? (
            <SectionMessage appearance="warning" title="Copy this now: the secret is not shown again">
              <p>
                Signing secret: <code data-testid="signing-secret">{fresh.secret}</code>
              </p>
              {fresh.script && (
                <pre className="cw-code" tabIndex={0} aria-label="Business rule to paste">
                  {fresh.script}
                </pre>
              )}
            </SectionMessage>
          ) : (
            setup.script && (
              <pre className="cw-code" tabIndex={0} aria-label="Business rule to paste">
                {setup.script}
              </pre>
            )
          )}
          <Inline>
            <Button onClick={() => setConfirm(true)}>
              {setup.secretSet ? 'Generate a new signing secret' : 'Generate the signing secret'}
            </Button>
          </Inline>
        </Stack>
      )}
      {setup && <PushCheck connectionId={id} remoteLabel={setup.system} manual={setup.mode === 'manual'} />}
      {confirm && (
        <ModalDialog onClose={() => setConfirm(false)} label="New signing secret" testId="confirm-secret">
          <ModalHeader>
            <ModalTitle appearance="warning">Generate a new signing secret?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text as="p">
              Notifications signed with the current secret stop being accepted until the new one is pasted into the
              other system. The new secret is shown once.
            </Text>
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={() => setConfirm(false)}>
              Cancel
            </Button>
            <Button appearance="warning" onClick={() => void generate()} isLoading={busy}>
              Generate
            </Button>
          </ModalFooter>
        </ModalDialog>
      )}
    </Stack>
  );
}

function BulkSync({ view }: { view: ConnectionView }) {
  const id = view.config.id;
  const [progress, setProgress] = useState<Progress | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const settled = (p: Progress) => p.inProgress === 0 && (Boolean(p.cancelledAt) || p.success + p.failed >= p.total);
  const poll = useCallback(async () => {
    const res = await callResolver<Progress | null>('bulkSyncProgress', { connectionId: id });
    if (!res.ok) return setError(res.error.message);
    setProgress(res.data);
    if (res.data && !settled(res.data)) timer.current = setTimeout(() => void poll(), 1500);
  }, [id]);
  useEffect(() => {
    void poll();
    return () => clearTimeout(timer.current);
  }, [poll]);

  const start = async () => {
    setError(undefined);
    const res = await callResolver<{ total: number }>('bulkSync', { connectionId: id });
    if (!res.ok) return setError(res.error.message);
    clearTimeout(timer.current);
    void poll();
  };

  const cancel = async () => {
    setBusy('cancel');
    try {
      const res = await callResolver<Progress>('cancelBulkSync', { connectionId: id });
      if (!res.ok) return setError(res.error.message);
      setProgress(res.data);
      clearTimeout(timer.current);
      if (!settled(res.data)) timer.current = setTimeout(() => void poll(), 1500);
    } finally {
      setBusy(undefined);
    }
  };

  const retryFailed = async (failureIds: string[]) => {
    setBusy('retry');
    try {
      const res = await callResolver<{ queued: number }>('retryFailures', { connectionId: id, failureIds });
      if (res.ok)
        showFlag({
          id: `bulk-retry-${Date.now()}`,
          title: 'Retry queued',
          description: `${count(res.data.queued, 'item')} will be synced again.`,
          type: 'info',
          isAutoDismiss: true,
        });
      else setError(res.error.message);
    } finally {
      setBusy(undefined);
    }
  };

  const done = progress ? progress.success + progress.failed + (progress.cancelled ?? 0) : 0;
  const running = progress ? !settled(progress) : false;
  const cancelled = Boolean(progress?.cancelledAt);
  const failures = progress?.failures ?? [];
  return (
    <Stack space="space.100">
      <Heading size="small" as="h3">
        Existing issues
      </Heading>
      <Inline space="space.100" alignBlock="center">
        <Button onClick={() => void start()} isDisabled={!view.config.enabled || running}>
          Sync existing issues
        </Button>
        {running && !cancelled && (
          <Button appearance="warning" onClick={() => void cancel()} isLoading={busy === 'cancel'}>
            Cancel bulk sync
          </Button>
        )}
        {!view.config.enabled && <Text color="color.text.subtle">Resume the connection first.</Text>}
      </Inline>
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {progress && (
        <Stack space="space.050" testId="bulk-progress">
          <ProgressBar
            ariaLabel="Bulk sync progress"
            value={
              progress.total ? Math.min(1, (cancelled ? progress.success + progress.failed : done) / progress.total) : 1
            }
            appearance={progress.failed || cancelled || running ? 'default' : 'success'}
          />
          <Text size="small">
            {cancelled
              ? `Cancelled ${when(progress.cancelledAt)}: ${progress.success} of ${progress.total} synced${progress.failed ? `, ${progress.failed} failed` : ''}, ${progress.cancelled ?? 0} not synced${progress.inProgress ? ` (${progress.inProgress} finishing)` : ''}`
              : `${done} of ${progress.total} done${progress.failed ? `, ${progress.failed} failed` : ''}${running ? ` (${progress.inProgress} in progress)` : ''}`}
            {` · started ${when(progress.startedAt)}`}
          </Text>
        </Stack>
      )}
      {failures.length > 0 && (
        <Stack space="space.100">
          <Inline space="space.100" alignBlock="center">
            <Text weight="semibold">{`${count(failures.length, 'item')} failed since this sync started`}</Text>
            <Button
              spacing="compact"
              onClick={() => void retryFailed(failures.map((f) => f.id))}
              isLoading={busy === 'retry'}
            >
              Retry these
            </Button>
          </Inline>
          <DynamicTable
            label="Bulk sync failures"
            head={{
              cells: [
                { key: 'item', content: 'Item' },
                { key: 'kind', content: 'Kind' },
                { key: 'message', content: 'What happened' },
                { key: 'at', content: 'When' },
              ],
            }}
            rows={failures.map((f) => ({
              key: f.id,
              cells: [
                {
                  key: 'item',
                  content: f.issueKey
                    ? `${f.issueKey}${f.summary ? `: ${f.summary}` : ''}`
                    : `Remote item ${f.remoteId ?? f.id}`,
                },
                { key: 'kind', content: <Lozenge appearance="removed">{KIND_LABELS[f.kind] ?? f.kind}</Lozenge> },
                { key: 'message', content: f.message },
                { key: 'at', content: when(f.at) },
              ],
            }))}
          />
        </Stack>
      )}
    </Stack>
  );
}

export function ConnectionDetail(props: {
  view: ConnectionView;
  /** The system's name as its registry entry gives it (ListAnswer.systems). */
  systemLabel: string;
  pushSetup?: { ok: boolean; description: string } | null;
  onEdit(): void;
  onChanged(): void;
}) {
  const { view } = props;
  const [test, setTest] = useState<TestResult | { error: string }>();
  const [busy, setBusy] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  const testConnection = async () => {
    setBusy('test');
    try {
      const res = await callResolver<TestResult>('testConnection', { connectionId: view.config.id });
      setTest(res.ok ? res.data : { error: res.error.message });
      if (res.ok && res.data.reachable) props.onChanged();
    } finally {
      setBusy(undefined);
    }
  };

  const setEnabled = async (enabled: boolean) => {
    setBusy('pause');
    try {
      const res = await callResolver('saveConnection', {
        connectionId: view.config.id,
        settings: { ...settingsOf(view.config), enabled },
      });
      if (res.ok)
        showFlag({
          id: `pause-${Date.now()}`,
          title: enabled ? 'Sync resumed' : 'Sync paused',
          description: enabled
            ? `${view.config.name} syncs again.`
            : `${view.config.name} stops syncing until you resume it.`,
          type: 'success',
          isAutoDismiss: true,
        });
      else setTest({ error: res.error.message });
      props.onChanged();
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async () => {
    setBusy('delete');
    try {
      const res = await callResolver('deleteConnection', { connectionId: view.config.id });
      setConfirmDelete(false);
      if (res.ok)
        showFlag({
          id: `delete-${Date.now()}`,
          title: 'Connection deleted',
          description: `${view.config.name} was deleted.`,
          type: 'success',
          isAutoDismiss: true,
        });
      else setTest({ error: res.error.message });
      props.onChanged();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Stack space="space.300" testId="connection-detail">
      <Stack space="space.100">
        <Inline space="space.100" alignBlock="center">
          <Heading size="medium" as="h2">
            {view.config.name}
          </Heading>
          <HealthLozenge enabled={view.config.enabled} health={view.health} />
        </Inline>
        <Text color="color.text.subtle">
          {view.config.remote.baseUrl} ·{' '}
          {view.config.jql ? `issues matching ${view.config.jql}` : 'every issue of this project'}
        </Text>
        <Inline space="space.100" shouldWrap>
          <Button onClick={props.onEdit}>Edit</Button>
          <Button onClick={() => void testConnection()} isLoading={busy === 'test'}>
            Test connection
          </Button>
          <Button onClick={() => void setEnabled(!view.config.enabled)} isLoading={busy === 'pause'}>
            {view.config.enabled ? 'Pause' : 'Resume'}
          </Button>
          <Button appearance="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        </Inline>
        {test && 'error' in test && (
          <SectionMessage appearance="error" title="Could not test the connection">
            <p>{test.error}</p>
          </SectionMessage>
        )}
        {test && 'reachable' in test && test.reachable && (
          <SectionMessage
            appearance={test.checks.some((c) => !c.ok && c.required) ? 'warning' : 'success'}
            title={
              test.checks.some((c) => !c.ok && c.required)
                ? 'Connected, but some of what the sync needs is not allowed'
                : 'Connected'
            }
          >
            <p data-testid="test-result">
              Reached {view.config.remote.baseUrl} and signed in as {test.identity}.
            </p>
            <AccessChecks checks={test.checks} />
          </SectionMessage>
        )}
        {test && 'reachable' in test && !test.reachable && (
          <SectionMessage appearance="error" title={test.kind === 'auth' ? 'Signing in failed' : 'Could not connect'}>
            <p data-testid="test-result">{test.message}</p>
          </SectionMessage>
        )}
      </Stack>
      <ChangePush view={view} provisioned={props.pushSetup} />
      <BulkSync view={view} />
      <Health view={view} />
      <Activity connectionId={view.config.id} remoteLabel={props.systemLabel} />
      <Alerts connectionId={view.config.id} remoteLabel={props.systemLabel} />
      {confirmDelete && (
        <ModalDialog onClose={() => setConfirmDelete(false)} label="Delete the connection" testId="confirm-delete">
          <ModalHeader>
            <ModalTitle appearance="danger">Delete {view.config.name}?</ModalTitle>
          </ModalHeader>
          <ModalBody>
            <Text as="p">
              Syncing stops and the stored credentials are removed. Linked issues and remote items stay as they are, and
              their links are kept: adding the connection again resumes them.
            </Text>
          </ModalBody>
          <ModalFooter>
            <Button appearance="subtle" onClick={() => setConfirmDelete(false)}>
              Cancel
            </Button>
            <Button appearance="danger" onClick={() => void remove()} isLoading={busy === 'delete'}>
              Delete connection
            </Button>
          </ModalFooter>
        </ModalDialog>
      )}
    </Stack>
  );
}
