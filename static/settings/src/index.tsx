import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { callResolver } from '../../shared/resolver';
import '../../shared/styles.css';

interface IssueSummary { id: string; key: string; summary: string; status: string }
interface Settings { syncFilterJql: string; updatedBy: string; updatedAt: string }

function SettingsPage() {
  const [state, setState] = useState<'loading' | 'ready' | 'forbidden' | 'failed'>('loading');
  const [error, setError] = useState<string>();
  const [issues, setIssues] = useState<IssueSummary[]>([]);
  const [filter, setFilter] = useState('');
  const [saved, setSaved] = useState<Settings | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    callResolver<{ settings: Settings | null; issues: IssueSummary[] }>('getProjectSettings').then(
      (res) => {
        if (!res.ok) {
          setState(res.error.code === 'FORBIDDEN' ? 'forbidden' : 'failed');
          setError(res.error.message);
          return;
        }
        setIssues(res.data.issues);
        setSaved(res.data.settings);
        setFilter(res.data.settings?.syncFilterJql ?? '');
        setState('ready');
      },
      (err: unknown) => {
        setState('failed');
        setError(String(err));
      },
    );
  }, []);

  const save = async () => {
    setSaving(true);
    setNotice(undefined);
    setError(undefined);
    try {
      const res = await callResolver<{ settings: Settings }>('saveProjectSettings', { syncFilterJql: filter });
      if (res.ok) {
        setSaved(res.data.settings);
        setNotice('Settings saved.');
      } else setError(res.error.message);
    } finally {
      setSaving(false);
    }
  };

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
      <p className="subtle">Choose which of this project's issues stay in sync with the remote system.</p>
      <label htmlFor="filter">Sync filter (JQL, optional)</label>
      <input id="filter" type="text" value={filter} placeholder="e.g. labels = customer" onChange={(e) => setFilter(e.target.value)} />
      {saved && <p className="subtle" data-testid="saved-at">Last saved {new Date(saved.updatedAt).toLocaleString()}</p>}
      <button type="button" onClick={save} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
      {notice && <div className="message success" role="status">{notice}</div>}
      {error && <div className="message error" role="alert">{error}</div>}
      <h2 style={{ fontSize: 16, marginTop: 24 }}>Recent issues</h2>
      <table>
        <thead><tr><th>Key</th><th>Summary</th><th>Status</th></tr></thead>
        <tbody>
          {issues.map((i) => (
            <tr key={i.id}><td>{i.key}</td><td>{i.summary}</td><td><span className="lozenge">{i.status}</span></td></tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<SettingsPage />);
