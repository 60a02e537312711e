import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import '../../shared/styles.css';

/** The issue panel: it shows the linked remote ticket once a connection syncs this issue. */
function IssuePanel() {
  const [issueKey, setIssueKey] = useState<string>();
  useEffect(() => {
    void view.getContext().then((ctx) => {
      const ext = ctx.extension as { issue?: { key?: string } };
      setIssueKey(ext.issue?.key);
    });
  }, []);
  return (
    <main>
      <p className="subtle">{issueKey ? `${issueKey} is not linked to a remote ticket.` : 'Loading…'}</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<IssuePanel />);
