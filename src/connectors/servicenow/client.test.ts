/** The ServiceNow connector against the ServiceNow simulator over loopback. */
import { DEMO_CREDENTIALS, startServiceNowSim, type ServiceNowSim } from '../../../sandbox/sims/servicenow';
import { ServiceNowConnector, type ServiceNowAuth } from './client';

let sim: ServiceNowSim;
const routed = (): typeof fetch => (input, init) => {
  const url = new URL(String(input));
  const headers = new Headers(init?.headers);
  headers.set('x-forwarded-host', url.host);
  return fetch(sim.baseUrl + url.pathname + url.search, { ...init, headers });
};
const connector = (auth: ServiceNowAuth = { kind: 'basic', ...DEMO_CREDENTIALS.integration }, timeoutMs?: number) =>
  new ServiceNowConnector({
    baseUrl: 'https://acme.service-now.com',
    table: 'incident',
    auth,
    fetch: routed(),
    ...(timeoutMs ? { timeoutMs } : {}),
  });

beforeAll(async () => {
  sim = await startServiceNowSim();
});
afterAll(() => sim.stop());

describe('ServiceNow connector', () => {
  it('describes the table from the dictionary and its choice lists, as the mapping names its columns', async () => {
    const fields = (await connector().describeFields())!;
    const byId = new Map(fields.map((f) => [f.id, f]));
    expect(byId.get('short_description')).toEqual({ id: 'short_description', name: 'Short description', kind: 'text' });
    expect(byId.get('state')).toMatchObject({
      name: 'State',
      kind: 'choice',
      values: [
        { value: '1', label: 'New' },
        { value: '2', label: 'In Progress' },
        { value: '3', label: 'On Hold' },
        { value: '6', label: 'Resolved' },
        { value: '7', label: 'Closed' },
        { value: '8', label: 'Canceled' },
      ],
    });
    expect(byId.get('urgency')?.values?.map((v) => v.label)).toEqual(['1 - High', '2 - Medium', '3 - Low']);
    expect(byId.get('close_code')).toMatchObject({ name: 'Resolution code', kind: 'choice' });
    expect(byId.get('assigned_to')).toMatchObject({ kind: 'user' });
    expect(byId.get('priority')).toMatchObject({ kind: 'choice', readOnly: true });
    expect(byId.get('sys_updated_on')).toMatchObject({ kind: 'date-time', readOnly: true });
    // The collection row (element empty) is not a column.
    expect(fields.every((f) => f.id)).toBe(true);
    // Another table answers its own columns and choices.
    const tasks = new ServiceNowConnector({
      baseUrl: 'https://acme.service-now.com',
      table: 'sc_task',
      auth: { kind: 'basic', ...DEMO_CREDENTIALS.integration },
      fetch: routed(),
    });
    expect((await tasks.describeFields())!.find((f) => f.id === 'state')?.values).toContainEqual({
      value: '-5',
      label: 'Pending',
    });
    // The dictionary is read-only, as on an instance.
    const res = await routed()('https://acme.service-now.com/api/now/table/sys_dictionary', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.agent.username}:${DEMO_CREDENTIALS.agent.password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('answers no description without read access to the dictionary, and fields without values without the choice lists', async () => {
    const control = (body: unknown) =>
      fetch(`${sim.controlUrl}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const denied = {
      status: 403,
      body: { error: { message: 'Operation Failed', detail: 'ACL Exception' }, status: 'failure' },
      times: 1,
    };
    await control({ ...denied, path: '/api/now/table/sys_dictionary' });
    expect(await connector().describeFields()).toBeUndefined();
    await control({ ...denied, path: '/api/now/table/sys_choice' });
    const fields = (await connector().describeFields())!;
    expect(fields.find((f) => f.id === 'state')).toMatchObject({ kind: 'number' });
    // Only the group reference lists values, from the groups themselves.
    expect(fields.filter((f) => f.values).map((f) => f.id)).toEqual(['assignment_group']);
    // A wrong password is not a missing permission: it fails as an auth failure.
    await expect(
      connector({ kind: 'basic', username: DEMO_CREDENTIALS.integration.username, password: 'wrong' }).describeFields(),
    ).rejects.toMatchObject({ kind: 'auth' });
  });

  it('creates with a correlation id and finds the record again by it, even when the id holds ^OR', async () => {
    const sn = connector();
    const created = await sn.createItem({ short_description: 'From Jira' }, 'cloud-1:10001^ORactive=true');
    expect(created.displayKey).toMatch(/^INC/);
    expect((await sn.findByCorrelation('cloud-1:10001^ORactive=true'))?.id).toBe(created.id);
    expect(await sn.findByCorrelation('cloud-1:10001')).toBeUndefined();
  });

  it('reads, updates and lists changed records', async () => {
    const sn = connector();
    const created = await sn.createItem({ short_description: 'x' }, 'c-2');
    const updated = await sn.updateItem(created.id, { short_description: 'y' });
    expect(updated.fields.short_description).toBe('y');
    expect(updated.version).toBe('1');
    expect((await sn.listChanged(0)).items.map((i) => i.id)).toContain(created.id);
    expect(await sn.getItem('ffffffffffffffffffffffffffffffff')).toBeUndefined();
  });

  it('reads which fields people changed since a time from the field history, leaving out its own changes', async () => {
    const sn = connector();
    const created = await sn.createItem({ short_description: 'History', urgency: '2' }, 'c-history');
    await sn.updateItem(created.id, { short_description: 'History, by Crosswalk' });
    const agent = connector({ kind: 'basic', ...DEMO_CREDENTIALS.agent });
    // Beth changes urgency and sets it back: by its value the field looks untouched, the history says otherwise.
    await agent.updateItem(created.id, { urgency: '1' });
    await agent.updateItem(created.id, { urgency: '2' });
    const changes = await sn.fieldChangesSince(created.id, 0);
    // Priority follows urgency (impact × urgency), so its history moves too; Crosswalk's own title change is not there.
    expect([...changes.keys()].sort()).toEqual(['priority', 'urgency']);
    expect(changes.get('urgency')).toBeGreaterThan(0);
    // The history is read-only, as on an instance.
    const res = await routed()('https://acme.service-now.com/api/now/table/sys_audit', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.agent.username}:${DEMO_CREDENTIALS.agent.password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('writes public and internal comments as people wrote them (no technical marker) and names authors by name', async () => {
    const sn = connector();
    const inc = await sn.createItem({ short_description: 'c' }, 'c-3');
    const c = await sn.addComment(inc.id, { body: 'Mia Member (Jira): printer fixed', visibility: 'public' });
    await sn.addComment(inc.id, { body: 'internal note', visibility: 'internal' });
    const all = await sn.listComments(inc.id);
    expect(all.map((x) => [x.visibility, x.body, x.author.id, x.author.displayName])).toEqual([
      ['public', 'Mia Member (Jira): printer fixed', 'crosswalk.integration', 'Crosswalk Integration'],
      ['internal', 'internal note', 'crosswalk.integration', 'Crosswalk Integration'],
    ]);
    expect(c.id).toBe(all[0]!.id);
    expect(JSON.stringify(sim.store.rows('sys_journal_field'))).not.toContain('[crosswalk:');
  });

  it('gives a journal entry that formats part of itself ([code] HTML) as HTML, and one of text alone as text', async () => {
    const sn = connector();
    const inc = await sn.createItem({ short_description: 'formatted' }, 'c-code');
    await sn.addComment(inc.id, {
      body: 'Vendor says:\n[code]<p>Patch <b>1.2</b> ships</p>[/code]',
      visibility: 'internal',
    });
    await sn.addComment(inc.id, { body: 'Plain <b>words</b>', visibility: 'public' });
    const [coded, plain] = await sn.listComments(inc.id);
    expect(coded).toMatchObject({ body: '<p>Vendor says:</p><p>Patch <b>1.2</b> ships</p>', format: 'html' });
    expect(plain!.body).toBe('Plain <b>words</b>');
    expect(plain!.format).toBeUndefined();
  });

  it('uploads and downloads attachments under their own name, by the integration user', async () => {
    const sn = connector();
    const inc = await sn.createItem({ short_description: 'a' }, 'c-4');
    await sn.uploadAttachment(inc.id, {
      fileName: 'log.txt',
      contentType: 'text/plain',
      size: 5,
      body: new TextEncoder().encode('hello'),
    });
    const [att] = await sn.listAttachments(inc.id);
    expect(att).toMatchObject({ fileName: 'log.txt', size: 5, authorId: 'crosswalk.integration' });
    const file = await sn.downloadAttachment(inc.id, att!.id);
    expect(await new Response(file.body).text()).toBe('hello');
  });

  it('lists the active groups as the values of a reference to them, by name', async () => {
    const byId = new Map((await connector().describeFields())!.map((f) => [f.id, f]));
    expect(byId.get('assignment_group')?.values?.map((v) => v.label)).toEqual([
      'Database',
      'Hardware',
      'Network',
      'Service Desk',
      'Software',
    ]);
    expect(byId.get('assignment_group')?.values?.[0]?.value).toMatch(/^[0-9a-f]{32}$/);
  });

  it('describes an HTML column as rich text kept as HTML, beside the plain-text description', async () => {
    const byId = new Map((await connector().describeFields())!.map((f) => [f.id, f]));
    expect(byId.get('u_details')).toEqual({ id: 'u_details', name: 'Details', kind: 'rich-text', format: 'html' });
    expect(byId.get('description')).toEqual({ id: 'description', name: 'Description', kind: 'text' });
  });

  it("shows a file inline by the form's own link, and knows that link relative or on the instance's host alike", async () => {
    const sn = connector();
    const inc = await sn.createItem({ short_description: 'a' }, 'c-img');
    const up = await sn.uploadAttachment(inc.id, {
      fileName: 'shot.png',
      contentType: 'image/png',
      size: 3,
      body: new Uint8Array([1, 2, 3]),
    });
    expect(up.url).toBe(`/sys_attachment.do?sys_id=${up.id}`);
    expect((await sn.listAttachments(inc.id))[0]!.url).toBe(up.url);
    const key = sn.imageKey(up.url!);
    expect(sn.imageKey(`sys_attachment.do?sys_id=${up.id}`)).toBe(key);
    expect(sn.imageKey(`https://acme.service-now.com/sys_attachment.do?sys_id=${up.id.toUpperCase()}&view=true`)).toBe(
      key,
    );
    // Another host's link of the same shape is another file.
    expect(sn.imageKey(`https://evil.example/sys_attachment.do?sys_id=${up.id}`)).not.toBe(key);
  });

  it("takes an image pasted into the record's HTML field as its own file, and no other record's", async () => {
    const sn = connector();
    const inc = await sn.createItem({ short_description: 'with a screenshot' }, 'c-pasted');
    const other = await sn.createItem({ short_description: 'someone else’s' }, 'c-other');
    const paste = async (recordId: string, table: string) => {
      const res = await fetch(
        `${sim.baseUrl}/api/now/attachment/file?table_name=${table}&table_sys_id=${recordId}&file_name=image.png`,
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${DEMO_CREDENTIALS.agent.username}:${DEMO_CREDENTIALS.agent.password}`).toString('base64')}`,
            'content-type': 'image/png',
          },
          body: new Uint8Array([137, 80, 78, 71]),
        },
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { result: { sys_id: string } }).result.sys_id;
    };
    const own = await paste(inc.id, 'ZZ_YYincident');
    const theirs = await paste(other.id, 'ZZ_YYincident');
    // Pasted images are not among the record's files.
    expect(await sn.listAttachments(inc.id)).toEqual([]);
    expect(await sn.inlineFile(inc.id, `sys_attachment.do?sys_id=${own}`)).toEqual({ id: own, fileName: 'image.png' });
    expect(await sn.inlineFile(inc.id, `/sys_attachment.do?sys_id=${theirs}`)).toBeUndefined();
    expect(await sn.inlineFile(inc.id, `/sys_attachment.do?sys_id=${'0'.repeat(32)}`)).toBeUndefined();
    expect(await sn.inlineFile(inc.id, `https://evil.example/sys_attachment.do?sys_id=${own}`)).toBeUndefined();
    const file = await sn.downloadAttachment(inc.id, own);
    expect(new Uint8Array(await new Response(file.body).arrayBuffer())).toEqual(new Uint8Array([137, 80, 78, 71]));
  });

  it('never reuses an OAuth token obtained with another secret in the same warm instance', async () => {
    const good = connector({
      kind: 'oauth',
      clientId: DEMO_CREDENTIALS.oauthClient.client_id,
      clientSecret: DEMO_CREDENTIALS.oauthClient.client_secret,
    });
    expect((await good.testConnection()).ok).toBe(true);
    const wrong = await connector({
      kind: 'oauth',
      clientId: DEMO_CREDENTIALS.oauthClient.client_id,
      clientSecret: 'not-the-secret',
    }).testConnection();
    expect(!wrong.ok && wrong.error.kind).toBe('auth');
  });

  it('signs in with OAuth and renews an expired token', async () => {
    const sn = connector({
      kind: 'oauth',
      clientId: DEMO_CREDENTIALS.oauthClient.client_id,
      clientSecret: DEMO_CREDENTIALS.oauthClient.client_secret,
      ...DEMO_CREDENTIALS.integration,
    });
    expect(await sn.testConnection()).toMatchObject({ ok: true, identity: 'crosswalk.integration' });
    await fetch(`${sim.controlUrl}/expire-tokens`, { method: 'POST' });
    expect((await sn.testConnection()).ok).toBe(true);
  });

  it('tests what the sync needs beyond the table: comments, files, and what only makes it poorer when refused', async () => {
    const all = await connector().testConnection();
    expect(all.ok && all.checks.map((c) => [c.what.split(' (')[0], c.ok, c.required])).toEqual([
      ['Read incident records', true, true],
      ['Read comments and work notes', true, true],
      ['Read attachments', true, true],
      ['Read field history', true, false],
      ['Read field definitions', true, false],
      ['Read users', true, false],
    ]);
    // An instance whose ACLs keep the integration user out of the field history: said, and optional.
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        path: '/api/now/table/sys_audit',
        status: 403,
        body: { error: { message: 'User Not Authorized', detail: 'ACL' }, status: 'failure' },
      }),
    });
    const without = await connector().testConnection();
    expect(without.ok && without.checks.find((c) => c.what.startsWith('Read field history'))).toMatchObject({
      ok: false,
      required: false,
      detail: expect.stringContaining('refused (HTTP 403)'),
    });
  });

  it('types failures: bad credentials are auth, a hibernating instance is transient, 429 carries the window', async () => {
    const bad = await connector({
      kind: 'basic',
      username: 'crosswalk.integration',
      password: 'wrong',
    }).testConnection();
    expect(!bad.ok && bad.error.kind).toBe('auth');
    await fetch(`${sim.controlUrl}/hibernate`, { method: 'PUT', body: JSON.stringify({ on: true }) });
    await expect(connector().getItem('x')).rejects.toMatchObject({ kind: 'transient' });
    await fetch(`${sim.controlUrl}/hibernate`, { method: 'PUT', body: JSON.stringify({ on: false }) });
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ status: 429, headers: { 'Retry-After': '12' } }),
    });
    await expect(connector().getItem('x')).rejects.toMatchObject({
      kind: 'rate-limited',
      details: { retryAfterMs: 12_000 },
    });
  });

  it('gives up on a request that hangs, as a transient failure', async () => {
    await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ delayMs: 1_000, status: 200 }) });
    await expect(connector(undefined, 200).getItem('x')).rejects.toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('no answer within 0.2 s'),
    });
  });

  it('works on another table than incident (sc_task)', async () => {
    const tasks = new ServiceNowConnector({
      baseUrl: 'https://acme.service-now.com',
      table: 'sc_task',
      auth: { kind: 'basic', ...DEMO_CREDENTIALS.integration },
      fetch: routed(),
    });
    const task = await tasks.createItem({ short_description: 'Provision a laptop' }, 'c-task');
    expect(task.displayKey).toMatch(/^SCTASK\d{7}$/);
    expect(task.url).toContain('sc_task.do');
    expect((await tasks.findByCorrelation('c-task'))?.id).toBe(task.id);
  });

  it('finds a record by its number', async () => {
    const sn = connector();
    const created = await sn.createItem({ short_description: 'by number' }, 'c-5');
    expect((await sn.findByDisplayKey(created.displayKey.toLowerCase()))?.id).toBe(created.id);
  });

  it('searches incidents by number or by words of the short description, newest first, the words as one value', async () => {
    const sn = connector();
    const a = await sn.createItem({ short_description: 'Checkout button greyed out' }, 'c-s1');
    const b = await sn.createItem({ short_description: 'Checkout slow on mobile' }, 'c-s2');
    const byWords = await sn.searchItems('checkout', 5);
    expect(byWords.map((f) => f.displayKey)).toEqual(expect.arrayContaining([a.displayKey, b.displayKey]));
    expect(byWords[0]).toMatchObject({
      title: expect.stringContaining('Checkout'),
      status: 'New',
      url: expect.stringContaining(byWords[0]!.id),
    });
    expect((await sn.searchItems(b.displayKey, 5)).map((f) => f.id)).toEqual([b.id]);
    expect(await sn.searchItems('checkout^ORactive=true', 5)).toEqual([]);
  });

  it('searches active users by part of their name, user name or email, answering their sys_id, the text as one value', async () => {
    const sn = connector();
    expect(sn.capabilities.userSearch).toBe(true);
    const beth = sim.store.userByName(DEMO_CREDENTIALS.agent.username)!;
    expect(await sn.users.search('beth', 10)).toEqual([
      { id: beth.sys_id, name: 'Beth Agent', email: 'beth@acme.example' },
    ]);
    // The id is what the user table stores, as matching by email answers it.
    expect(await sn.users.idForEmail('beth@acme.example')).toBe(beth.sys_id);
    expect((await sn.users.search('abel.tu', 10)).map((u) => u.name)).toEqual(['Abel Tuter']);
    expect(await sn.users.search('ACME.EXAMPLE', 1)).toHaveLength(1);
    // ^OR and ^NQ inside the text stay data: nobody's name holds them.
    expect(await sn.users.search('zzz^ORactive=true', 10)).toEqual([]);
    expect(await sn.users.search('zzz^NQactive=true', 10)).toEqual([]);
    // Inactive users are not offered.
    const gone = sim.store.addUser({
      user_name: 'bethany.gone',
      name: 'Bethany Gone',
      email: 'bethany@acme.example',
      password: 'x',
      roles: [],
    });
    sim.store.get('sys_user', gone.sys_id)!.active = 'false';
    expect((await sn.users.search('beth', 10)).map((u) => u.name)).toEqual(['Beth Agent']);
  });
  it('reads a record’s task SLAs in one Table API read: the definition by name, its breach time and stage; undefined when an ACL refuses', async () => {
    const sn = connector();
    // Urgency 1 with the default impact 3 is priority 3.
    const created = await sn.createItem({ short_description: 'SLA', urgency: '1' }, 'c-sla');
    const slas = (await sn.slaOf(created.id))!;
    expect(slas).toEqual([
      { name: 'Priority 3 resolution (8 hour)', stage: 'running', breachAt: created.updatedAt + 8 * 3_600_000 },
    ]);
    const asked = sim.store.rows('task_sla').filter((r) => r.task === created.id);
    expect(asked).toHaveLength(1);
    // Past its breach time (the engine keeps it in progress, has_breached true), and completed late.
    asked[0]!.start_time = '2000-01-01 00:00:00';
    asked[0]!.planned_end_time = '2000-01-01 08:00:00';
    expect((await sn.slaOf(created.id))![0]).toMatchObject({ stage: 'breached', breachAt: Date.UTC(2000, 0, 1, 8) });
    const other = await sn.createItem({ short_description: 'SLA met', urgency: '1' }, 'c-sla-met');
    await sn.updateItem(other.id, { state: '6', close_code: 'Solution provided', close_notes: 'Done' });
    expect((await sn.slaOf(other.id))![0]).toMatchObject({ stage: 'met' });
    await fetch(`${sim.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        path: '/api/now/table/task_sla',
        status: 403,
        body: { error: { message: 'Operation Failed', detail: 'ACL Exception' }, status: 'failure' },
        times: 1,
      }),
    });
    expect(await sn.slaOf(created.id)).toBeUndefined();
  });
});
