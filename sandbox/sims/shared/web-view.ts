/**
 * The small web view each simulator serves at its item's real path (a
 * ServiceNow incident form, an Azure DevOps work item, a Zendesk ticket), so
 * a newcomer in the sandbox can edit the remote side, comment and attach in
 * the browser and watch Jira follow. Every change goes through the
 * simulator's own REST API as its demo agent, so it notifies, records and
 * answers exactly as an agent's change through the product would.
 */
export interface ViewField {
  name: string;
  label: string;
  value: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  multiline?: boolean;
}

export interface ItemViewModel {
  system: string;
  key: string;
  title: string;
  actingAs: string;
  /** Where the form posts (the view's own path); the action is named in the body. */
  action: string;
  fields: ViewField[];
  comments: Array<{ author: string; at: string; text: string; visibility?: string }>;
  /** Which visibilities a new comment may take (empty: one kind only). */
  commentVisibilities: ReadonlyArray<{ value: string; label: string }>;
  attachments: Array<{ name: string; size: number; author?: string }>;
  notice?: string | null;
  /** Other facts worth a glance (the correlation marker Crosswalk wrote, the state's name). */
  facts?: Array<{ label: string; value: string }>;
}

export const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#1d2125;background:#f4f5f7}
header{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#1f2a37;color:#fff}header strong{font-size:16px}
main{max-width:900px;margin:16px auto;padding:16px 24px;background:#fff;border:1px solid #d0d4da;border-radius:4px}
form.stack{display:flex;flex-direction:column;gap:8px;margin:8px 0}label{display:flex;flex-direction:column;gap:2px;font-weight:600;font-size:12px}
label.inline{flex-direction:row;gap:6px;align-items:center}input,select,textarea{font:inherit;font-weight:400;padding:4px 6px;border:1px solid #7a8391;border-radius:3px}
button{align-self:flex-start;font:inherit;padding:4px 12px;border-radius:3px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
.comment{border-top:1px solid #d0d4da;padding:6px 0}.meta{color:#505a66;font-size:12px}.notice{background:#e8f1ff;border-left:4px solid #0b57d0;padding:6px 10px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:12px;color:#505a66}dd{margin:0}`;

export function renderItemView(m: ItemViewModel): string {
  const field = (f: ViewField) =>
    `<label>${esc(f.label)} ${
      f.options
        ? `<select name="${esc(f.name)}">${f.options.map((o) => `<option value="${esc(o.value)}"${o.value === f.value ? ' selected' : ''}>${esc(o.label)}</option>`).join('')}</select>`
        : f.multiline
          ? `<textarea name="${esc(f.name)}" rows="4">${esc(f.value)}</textarea>`
          : `<input name="${esc(f.name)}" value="${esc(f.value)}">`
    }</label>`;
  const visibility = m.commentVisibilities.length
    ? `<label>Visibility <select name="visibility">${m.commentVisibilities.map((v) => `<option value="${esc(v.value)}">${esc(v.label)}</option>`).join('')}</select></label>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(m.key)} ${esc(m.title)} - ${esc(m.system)} (simulator)</title><style>${STYLE}</style></head>
<body><header><strong>${esc(m.system)}</strong><span>simulator web view</span><span style="margin-left:auto">Signed in as ${esc(m.actingAs)}</span></header>
<main>${m.notice ? `<p class="notice" role="status">${esc(m.notice)}</p>` : ''}
<h1 id="item-title">${esc(m.key)}: ${esc(m.title)}</h1>
${m.facts?.length ? `<dl>${m.facts.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('')}</dl>` : ''}
<h2>Fields</h2><form method="post" action="${esc(m.action)}" class="stack" id="fields"><input type="hidden" name="do" value="fields">${m.fields.map(field).join('')}<button type="submit">Save</button></form>
<h2>Comments</h2>${m.comments.map((c) => `<div class="comment"><div class="meta">${esc(c.author)} · ${esc(c.at)}${c.visibility ? ` · ${esc(c.visibility)}` : ''}</div><div>${esc(c.text)}</div></div>`).join('') || '<p>No comments.</p>'}
<form method="post" action="${esc(m.action)}" class="stack" id="comment"><input type="hidden" name="do" value="comment"><label>Add a comment <textarea name="body" rows="3" required></textarea></label>${visibility}<button type="submit">Comment</button></form>
<h2>Attachments</h2>${m.attachments.length ? `<ul id="attachments">${m.attachments.map((a) => `<li>${esc(a.name)} (${esc(a.size)} bytes${a.author ? `, ${esc(a.author)}` : ''})</li>`).join('')}</ul>` : '<p>No files.</p>'}
<form method="post" action="${esc(m.action)}" enctype="multipart/form-data" class="stack" id="attach"><input type="hidden" name="do" value="attach"><label>File <input type="file" name="file" required></label><button type="submit">Attach</button></form>
</main></body></html>`;
}

/** Calls the simulator's own REST API as a person (for the web view's writes and reads). */
export function selfClient(baseUrl: () => string, authorization: string) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any }> => {
    const init: RequestInit = { method, headers: { authorization, accept: 'application/json', ...headers } };
    if (body instanceof Uint8Array) init.body = Buffer.from(body);
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl() + path, init);
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
}

/** A refused call, said the way the simulator said it. */
export function problemOf(r: { status: number; json: any }): string {
  const j = r.json;
  const said =
    j?.error?.message ??
    j?.error?.detail ??
    j?.message ??
    j?.description ??
    (typeof j?.error === 'string' ? j.error : undefined);
  return `HTTP ${r.status}${said ? `: ${said}` : ''}`;
}

/** After a post, back to the view with what happened (Post/Redirect/Get). */
export function redirectWithNotice(path: string, notice: string): Response {
  const u = new URL(path, 'http://view');
  u.searchParams.set('notice', notice);
  return new Response('', { status: 303, headers: { location: `${u.pathname}${u.search}` } });
}
