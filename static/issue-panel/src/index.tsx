import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { view, showFlag } from '@forge/bridge';
import { callResolver } from '../../shared/resolver';
import '../../shared/styles.css';

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

/** The issue panel: the linked remote ticket, when it last synced, and any error with a retry. */
function IssuePanel() {
  const [issueKey, setIssueKey] = useState<string>();
  const [sync, setSync] = useState<IssueSync | undefined>(undefined);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await callResolver<IssueSync>('getIssueSync');
    if (res.ok) setSync(res.data);
    else setError(res.error.message);
  }, []);

  useEffect(() => {
    void view.getContext().then((ctx) => setIssueKey((ctx.extension as { issue?: { key?: string } }).issue?.key));
    void load();
  }, [load]);

  const syncNow = async () => {
    setBusy(true);
    try {
      const res = await callResolver<{ queued: boolean }>('syncIssueNow');
      if (res.ok) showFlag({ id: 'crosswalk-sync-now', title: 'Sync requested', description: `${issueKey ?? 'The issue'} will be checked against the remote ticket.`, type: 'info', isAutoDismiss: true });
      else setError(res.error.message);
      setTimeout(() => void load(), 1500);
    } finally {
      setBusy(false);
    }
  };

  if (error) return <main><div className="message error" role="alert">{error}</div></main>;
  if (sync === undefined) return <main><p className="subtle">Loading…</p></main>;
  return (
    <main>
      {sync.linked ? (
        <>
          <p data-testid="linked">
            Linked to <a href={sync.remoteUrl} target="_blank" rel="noreferrer">{sync.remoteKey}</a>
            {sync.remoteState && <> <span className="lozenge" data-testid="remote-state">{sync.remoteState}</span></>}
          </p>
          <p className="subtle" data-testid="last-sync">{sync.lastSyncAt ? `Last synced ${new Date(sync.lastSyncAt).toLocaleString()}` : 'Not synced yet'}</p>
          {sync.lastError && (
            <div className="message error" role="alert" data-testid="sync-error">
              <strong>{sync.lastError.kind === 'auth' ? 'The connection needs attention' : 'This issue did not sync'}</strong>
              <div>{sync.lastError.message}</div>
            </div>
          )}
          {sync.problems.map((p) => (
            <div className="message error" role="alert" key={p.part} data-testid="sync-problem">
              <strong>{p.part === 'status' ? 'The status did not sync' : p.part === 'attachments' ? 'Some files did not sync' : `${p.part} did not sync`}</strong>
              <div>{p.message}</div>
            </div>
          ))}
          {sync.notices.map((n) => <p className="subtle" key={n}>{n}</p>)}
          {sync.conflicts.length > 0 && <p className="subtle">Recent conflicts: {sync.conflicts.map((c) => `${c.field} (${c.reason})`).join('; ')}</p>}
        </>
      ) : (
        <>
          <p className="subtle" data-testid="not-linked">{issueKey ? `${issueKey} is not linked to a remote ticket. ` : 'Not linked to a remote ticket. '}{sync.reason}</p>
          {sync.lastError && (
            <div className="message error" role="alert" data-testid="sync-error">
              <strong>This issue could not be created in the other system</strong>
              <div>{sync.lastError.message}</div>
            </div>
          )}
        </>
      )}
      <button type="button" onClick={syncNow} disabled={busy}>{busy ? 'Requesting…' : sync?.lastError ? 'Retry sync' : 'Sync now'}</button>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<IssuePanel />);
