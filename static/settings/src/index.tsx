import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { callResolver } from '../../shared/resolver';
import '../../shared/styles.css';

interface ConnectionConfig { id: string; name: string; jql: string; enabled: boolean; remote: { type: string; baseUrl: string }; [key: string]: unknown }
interface ConnectionView { config: ConnectionConfig; credentialFields: string[]; health: { kind: string; message: string } | null }
interface Problem { path: string; message: string }

/** The connection's settings as the server takes them back: without what the server owns. */
const settingsOf = ({ id: _id, jiraProjectId: _project, ...settings }: ConnectionConfig) => settings;

function ConnectionScope({ view, first }: { view: ConnectionView; first: boolean }) {
  const [jql, setJql] = useState(view.config.jql);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [savedAt, setSavedAt] = useState<Date>();
  const inputId = first ? 'filter' : `filter-${view.config.id}`;

  const save = async () => {
    setSaving(true);
    setNotice(undefined);
    setProblems([]);
    try {
      const res = await callResolver<ConnectionView>('saveConnection', { connectionId: view.config.id, settings: { ...settingsOf(view.config), jql } });
      if (res.ok) {
        setNotice('Settings saved.');
        setSavedAt(new Date());
      } else setProblems((res.error as { problems?: Problem[] }).problems ?? [{ path: '', message: res.error.message }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby={`h-${view.config.id}`} style={{ marginBottom: 24 }}>
      <h2 id={`h-${view.config.id}`} style={{ fontSize: 16 }}>{view.config.name}</h2>
      <p className="subtle">
        {view.config.remote.type} · {view.config.remote.baseUrl} · {view.config.enabled ? 'enabled' : 'paused'}
        {view.health ? <> · <span className="lozenge" data-testid="health">{view.health.message}</span></> : <> · <span className="lozenge">healthy</span></>}
      </p>
      <label htmlFor={inputId}>Which issues sync (JQL, optional; checked by Jira)</label>
      <input id={inputId} type="text" value={jql} placeholder="e.g. labels = customer" onChange={(e) => setJql(e.target.value)} aria-invalid={problems.length > 0} aria-describedby={`${inputId}-problems`} />
      <button type="button" onClick={save} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
      {savedAt && <p className="subtle" data-testid="saved-at">Saved {savedAt.toLocaleString()}</p>}
      {notice && <div className="message success" role="status">{notice}</div>}
      {problems.length > 0 && (
        <div className="message error" role="alert" id={`${inputId}-problems`}>
          {problems.map((p) => <div key={p.path + p.message}>{p.message}</div>)}
        </div>
      )}
    </section>
  );
}

function SettingsPage() {
  const [state, setState] = useState<'loading' | 'ready' | 'forbidden' | 'failed'>('loading');
  const [error, setError] = useState<string>();
  const [connections, setConnections] = useState<ConnectionView[]>([]);

  useEffect(() => {
    callResolver<{ connections: ConnectionView[] }>('listConnections').then(
      (res) => {
        if (!res.ok) {
          setState(res.error.code === 'FORBIDDEN' ? 'forbidden' : 'failed');
          setError(res.error.message);
          return;
        }
        setConnections(res.data.connections);
        setState('ready');
      },
      (err: unknown) => {
        setState('failed');
        setError(String(err));
      },
    );
  }, []);

  if (state === 'loading') return <main><p className="subtle">Loading Crosswalk settings…</p></main>;
  if (state === 'forbidden' || state === 'failed') {
    return (
      <main>
        <h1>Crosswalk</h1>
        <div className="message error" role="alert" data-testid="refusal">{error}</div>
      </main>
    );
  }
  return (
    <main>
      <h1>Crosswalk</h1>
      {connections.length === 0 && <p className="subtle">This project is not connected to another system yet.</p>}
      {connections.map((c, i) => <ConnectionScope key={c.config.id} view={c} first={i === 0} />)}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<SettingsPage />);
