/**
 * Rich content survives the round trip, for every system the registry implements: a Jira description with a
 * heading, a table, a nested list, a code block, a mention and a panel reaches the remote in the remote's own body
 * format, and an unrelated remote edit leaves Jira's document exactly as it was (panel and all). Where the remote's
 * description can be edited there, an edit of one paragraph replaces that paragraph alone in Jira: every other block
 * keeps Jira's own nodes. Comments keep their formatting both ways.
 */
import type { AdfNode } from '../../src/content/adf';
import { parseBody } from '../../src/content/rich';
import { implementedSystems } from '../../src/connectors/registry';
import { validateAdf } from '../support/adf-schema';
import { startEverySystem, type EverySystem, type PairedSystem } from '../support/every-system';

let world: EverySystem;

beforeAll(async () => {
  world = await startEverySystem();
}, 180_000);
afterAll(() => world?.sandbox.stop());

const pairedFor = (kind: string): PairedSystem => world.paired.find((p) => p.system.kind === kind)!;

const text = (t: string, ...marks: string[]): AdfNode => ({
  type: 'text',
  text: t,
  ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}),
});
const para = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const item = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content });
const cell = (type: 'tableHeader' | 'tableCell', t: string): AdfNode => ({ type, content: [para(text(t))] });

/** A description as a Jira user writes it, mentioning `mentioned` (an account id). */
function richDescription(mentioned: string) {
  return {
    version: 1 as const,
    type: 'doc' as const,
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [text('Reproduction')] },
      para(text('Saving fails for '), text('every', 'strong'), text(' user; ask '), {
        type: 'mention',
        attrs: { id: mentioned, text: '@Ada Admin' },
      }),
      {
        type: 'bulletList',
        content: [
          item(para(text('Open the form')), { type: 'bulletList', content: [item(para(text('as a guest')))] }),
          item(para(text('Press Save'))),
        ],
      },
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', 'Browser'), cell('tableHeader', 'Result')] },
          { type: 'tableRow', content: [cell('tableCell', 'Firefox'), cell('tableCell', 'fails')] },
        ],
      },
      { type: 'codeBlock', attrs: { language: 'ts' }, content: [text('save(form);')] },
      { type: 'panel', attrs: { panelType: 'warning' }, content: [para(text('Customer data at risk.'))] },
      para(text('Last paragraph.')),
    ],
  };
}

const issueFields = async (p: PairedSystem, key: string) =>
  (await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${key}?fields=description,comment`)).json.fields as {
    description: { content: AdfNode[] };
    comment: { comments: Array<{ body: { content: AdfNode[] } }> };
  };

/** Every node of a document, depth first. */
const nodesOf = (nodes: readonly AdfNode[]): AdfNode[] => nodes.flatMap((n) => [n, ...nodesOf(n.content ?? [])]);
const typesIn = (nodes: readonly AdfNode[]) => new Set(nodesOf(nodes).map((n) => n.type));
const marksIn = (nodes: readonly AdfNode[]) =>
  new Set(nodesOf(nodes).flatMap((n) => (n.marks ?? []).map((m) => m.type)));

/** A small PNG, as a screenshot is. */
const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);

/** As a Jira user pasting a screenshot into the editor: the file is attached to the issue; its media id is returned. */
async function pasteIntoJira(p: PairedSystem, issueKey: string, fileName: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), fileName);
  const up = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${issueKey}/attachments`, form, {
    'x-atlassian-token': 'no-check',
  });
  expect(up.status).toBe(200);
  const id = (up.json as Array<{ id: string }>)[0]!.id;
  const redirect = await world.jira.request(p.person, 'GET', `/rest/api/3/attachment/content/${id}`);
  return /\/file\/([0-9a-f-]{36})\//.exec(redirect.headers.get('location') ?? '')![1]!;
}

/** An image a person shows in a body of the remote's format: an `<img>` in HTML, `![name](src)` in Markdown. */
const imageMarkup = (format: string, src: string, name: string) =>
  format === 'markdown' ? `![${name}](${src})` : `<img src="${src}">`;

/** Said once on an issue whose Jira files stay in Jira, the remote taking no files (`attachments.upload` false). */
const staysInJira = (notices: readonly string[] | undefined) =>
  (notices ?? []).filter((n) => n.startsWith('Jira attachments stay in Jira: '));

const inlineImage = (media: string): AdfNode => ({
  type: 'mediaSingle',
  attrs: { layout: 'center' },
  content: [{ type: 'media', attrs: { type: 'file', id: media, collection: '' } }],
});

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('takes a rich Jira description in its own format and leaves Jira whole after an unrelated edit there', async () => {
    const p = pairedFor(kind);
    const format = p.system.capabilities.descriptionFormat;
    const mentioned = world.jira.userId('admin');
    const description = richDescription(mentioned);
    const issue = await world.pairedIssue(p, `Rich description toward ${p.system.label}`, { description });

    const body = p.remote.bodies.description(issue.remoteId);
    if (format !== 'text') {
      // What the remote could not hold is said on the issue (its panel is a quote there); Jira keeps it whole.
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(shown.notices?.join(' ')).toMatch(/description holds what .* cannot: .*panel/);
    }
    expect(body).not.toContain(mentioned);
    expect(body).toContain('@Ada Admin');
    const arrived = parseBody(format, body).doc.content;
    if (format === 'html') {
      expect(body).toMatch(/<h2[ >]/);
      expect(body).toMatch(/<th[ >]/);
      expect(body).toMatch(/<code class="language-ts">/);
      const expected = ['heading', 'paragraph', 'text', 'bulletList', 'listItem', 'table', 'tableRow', 'tableHeader'];
      // The panel arrives as a quote: the remote has no panels.
      expect(typesIn(arrived)).toEqual(new Set([...expected, 'tableCell', 'codeBlock', 'blockquote']));
      expect(marksIn(arrived)).toEqual(new Set(['strong']));
      // The nested list stays nested.
      const outer = arrived.find((n) => n.type === 'bulletList')!;
      expect(outer.content![0]!.content!.map((n) => n.type)).toEqual(['paragraph', 'bulletList']);
    } else {
      // Plain text keeps the words and the list and code conventions.
      for (const words of ['Reproduction', '- Open the form', '- as a guest', 'Firefox', 'save(form);', 'at risk'])
        expect(body).toContain(words);
    }

    await p.remote.edit(issue.remoteId, { summary: `Rich description toward ${p.system.label}, renamed` });
    await world.quiet();
    const after = await issueFields(p, issue.key);
    expect(after.description.content).toEqual(description.content);
  });

  it('replaces only the paragraph an edit there changed, keeping every other Jira block as Jira had it', async () => {
    const p = pairedFor(kind);
    if (!p.remote.bodies.setDescription) {
      // The remote keeps its description as it was made (Zendesk's first comment): nothing there to edit.
      expect(p.system.capabilities.fixedAfterCreate?.description).toBeDefined();
      return;
    }
    const description = richDescription(world.jira.userId('admin'));
    const issue = await world.pairedIssue(p, `Edited description from ${p.system.label}`, { description });
    const body = p.remote.bodies.description(issue.remoteId);
    expect(body).toContain('Last paragraph.');
    world.sandbox.platform.manualClock.advance(60_000);
    await p.remote.bodies.setDescription(issue.remoteId, body.replace('Last paragraph.', 'Last paragraph, edited.'));
    await world.quiet();

    const after = (await issueFields(p, issue.key)).description;
    expect(validateAdf(after).valid).toBe(true);
    expect(after.content.slice(0, -1)).toEqual(description.content.slice(0, -1));
    expect(after.content.at(-1)).toEqual(para(text('Last paragraph, edited.')));
  });

  it('copies a formatted comment both ways with its formatting', async () => {
    const p = pairedFor(kind);
    const format = p.system.capabilities.commentFormat;
    const issue = await world.pairedIssue(p, `Rich comments with ${p.system.label}`);
    world.sandbox.platform.manualClock.advance(1000);
    const posted = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: {
        version: 1,
        type: 'doc',
        content: [
          para(text('Fixed in '), text('build 42', 'strong'), text(', see '), text('notes', 'em')),
          { type: 'orderedList', content: [item(para(text('Deploy'))), item(para(text('Verify')))] },
          { type: 'panel', attrs: { panelType: 'note' }, content: [para(text('Rollback is manual.'))] },
        ],
      },
    });
    expect(posted.status).toBe(201);
    await world.quiet();
    if (format !== 'text') {
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(shown.notices?.join(' ')).toMatch(/Jira comment \d+ was simplified in .*: .*panel/);
    }
    const copy = p.remote.bodies.comments(issue.remoteId).find((c) => c.includes('build 42'))!;
    expect(copy).toBeDefined();
    if (format === 'html') {
      expect(copy).toMatch(/<strong>build 42<\/strong>/);
      expect(copy).toMatch(/<em>notes<\/em>/);
      expect(copy).toMatch(/<ol[ >]/);
    } else {
      expect(copy).toContain('1. Deploy');
    }

    if (p.system.capabilities.commentEdit) {
      // An edit of formatting alone is an edit: the copy follows it, unless the remote keeps a public comment as
      // written (a Freshservice reply was emailed): the issue then says why.
      const id = (posted.json as { id: string }).id;
      world.sandbox.platform.manualClock.advance(60_000);
      const edited = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${issue.key}/comment/${id}`, {
        body: {
          version: 1,
          type: 'doc',
          content: [
            para(text('Fixed in '), text('build 42', 'strong'), text(', see '), text('notes', 'em')),
            { type: 'orderedList', content: [item(para(text('Deploy', 'strong'))), item(para(text('Verify')))] },
            { type: 'panel', attrs: { panelType: 'note' }, content: [para(text('Rollback is manual.'))] },
          ],
        },
      });
      expect(edited.status).toBe(200);
      await world.quiet();
      const copies = p.remote.bodies.comments(issue.remoteId).filter((c) => c.includes('build 42'));
      expect(copies).toHaveLength(1);
      // Where the remote lets no public comment be edited once written (a Freshservice reply was emailed), the copy
      // stays as it was and the issue says why, once, without failing the sync.
      const editable = p.system.capabilities.commentEditVisibilities;
      if (editable && !editable.includes('public')) {
        expect(copies[0]).toBe(copy);
        const shown = (await world.panel(issue.id, p.project.id)) as {
          lastError?: unknown;
          notices?: string[];
        };
        expect(shown.lastError ?? null).toBeNull();
        expect(shown.notices?.filter((n) => n.includes(p.system.texts.commentEditRefused))).toHaveLength(1);
      } else expect(copies[0]).toMatch(format === 'html' ? /<strong>Deploy<\/strong>/ : /\*\*Deploy\*\*/);
    }

    world.sandbox.platform.manualClock.advance(60_000);
    const remoteComment =
      format === 'html'
        ? '<p>Seen <strong>again</strong> on <a href="https://example.com/logs">the logs</a></p><ul><li>Chrome</li><li>Edge</li></ul>'
        : 'Seen again on the logs\n\n- Chrome\n- Edge';
    await p.remote.bodies.comment(issue.remoteId, remoteComment);
    await world.quiet();
    const comments = (await issueFields(p, issue.key)).comment.comments;
    const arrived = comments.find((c) => JSON.stringify(c.body).includes('Chrome'))!.body;
    expect(validateAdf(arrived).valid).toBe(true);
    expect(typesIn(arrived.content)).toContain('bulletList');
    if (format === 'html') {
      expect(marksIn(arrived.content)).toEqual(new Set(['strong', 'link']));
      const link = nodesOf(arrived.content).find((n) => n.marks?.some((m) => m.type === 'link'))!;
      expect(link.marks![0]!.attrs).toEqual({ href: 'https://example.com/logs' });
    }
  });

  it('shows a screenshot pasted into a Jira description inline where it can, and Jira keeps it after an edit there', async () => {
    const p = pairedFor(kind);
    const format = p.system.capabilities.descriptionFormat;
    const issue = await world.pairedIssue(p, `Screenshot toward ${p.system.label}`, {
      description: { version: 1, type: 'doc', content: [para(text('Draft.'))] },
    });
    world.sandbox.platform.manualClock.advance(1000);
    const media = await pasteIntoJira(p, issue.key, 'checkout.png');
    const description = {
      version: 1,
      type: 'doc',
      content: [para(text('The form fails:')), inlineImage(media), para(text('after Save.'))],
    };
    const edited = await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${issue.key}`, {
      fields: { description },
    });
    expect(edited.status).toBe(204);
    await world.quiet();

    const files = p.system.capabilities.attachments.upload ? 1 : 0;
    // The file crosses once, whatever the remote's description can hold; where the remote takes no files (GitHub),
    // it stays in Jira, and the issue says so once.
    expect(p.remote.read(issue.remoteId).files.filter((f) => f === 'checkout.png')).toHaveLength(files);
    const body = p.remote.bodies.description(issue.remoteId);
    if (!files) {
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(staysInJira(shown.notices)).toHaveLength(1);
    }
    if (format === 'html' && p.remote.bodies.setDescription) {
      // Shown inline as the remote's own file, where it stood; never Jira's URL.
      expect(body).toMatch(/<p>The form fails:<\/p><p><img src="[^"]+"><\/p><p>after Save\.<\/p>/);
      expect(body).not.toContain(world.sandbox.jira.baseUrl);
    } else if (!p.remote.bodies.setDescription) {
      // Kept as it was made (Zendesk's first comment): the edit is said on the issue, not written.
      expect(body).toContain('Draft.');
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(shown.notices?.join(' ')).toMatch(/The Jira description changed after .* was created, and was not copied/);
    } else {
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(shown.notices?.join(' ')).toMatch(/an inline image/);
      expect(body).toContain('The form fails:');
    }

    world.sandbox.platform.manualClock.advance(60_000);
    await p.remote.edit(issue.remoteId, { summary: `Screenshot toward ${p.system.label}, renamed` });
    await world.quiet();
    expect((await issueFields(p, issue.key)).description.content).toEqual(description.content);
    expect(p.remote.read(issue.remoteId).files.filter((f) => f === 'checkout.png')).toHaveLength(files);
  });

  it('copies an inline screenshot in a comment both ways, shown where it stood', async () => {
    const p = pairedFor(kind);
    if (!p.remote.bodies.pasteImage) {
      // Plain-text comments hold no image: the file crosses as a file, the comment as its words.
      expect(p.system.capabilities.commentFormat).toBe('text');
      return;
    }
    const issue = await world.pairedIssue(p, `Screenshots in comments with ${p.system.label}`);
    world.sandbox.platform.manualClock.advance(1000);
    const media = await pasteIntoJira(p, issue.key, 'jira-shot.png');
    const posted = await world.jira.request(p.person, 'POST', `/rest/api/3/issue/${issue.key}/comment`, {
      body: { version: 1, type: 'doc', content: [para(text('Seen here:')), inlineImage(media)] },
    });
    expect(posted.status).toBe(201);
    await world.quiet();
    const copy = p.remote.bodies.comments(issue.remoteId).find((c) => c.includes('Seen here:'))!;
    expect(copy).not.toContain(world.sandbox.jira.baseUrl);
    const format = p.system.capabilities.commentFormat;
    if (p.system.capabilities.attachments.upload) expect(copy).toMatch(/<img src="[^"]+">/);
    else {
      // The remote takes no files (GitHub): the screenshot stays in Jira, the comment crosses as its words, and the
      // issue says both.
      expect(copy).not.toMatch(/<img|!\[/);
      const shown = (await world.panel(issue.id, p.project.id)) as { notices?: string[] };
      expect(staysInJira(shown.notices)).toHaveLength(1);
      expect(shown.notices?.join(' ')).toMatch(/an inline image/);
    }

    // An image a person pastes there (GitHub keeps it at a URL of its own) is copied into Jira, shown where it stood.
    world.sandbox.platform.manualClock.advance(60_000);
    const src = await p.remote.bodies.pasteImage(issue.remoteId, 'remote-shot.png', PNG);
    const shot = imageMarkup(format, src, 'remote-shot.png');
    await p.remote.bodies.comment(
      issue.remoteId,
      format === 'markdown' ? `Also here:\n\n${shot}\n\nThanks` : `<p>Also here:</p><p>${shot}</p><p>Thanks</p>`,
    );
    await world.quiet();
    const arrived = (await issueFields(p, issue.key)).comment.comments.find((c) =>
      JSON.stringify(c.body).includes('Also here:'),
    )!.body;
    expect(validateAdf(arrived).valid).toBe(true);
    expect(arrived.content.map((n) => n.type)).toEqual(['paragraph', 'mediaSingle', 'paragraph']);
    const files = (await world.jira.request(p.person, 'GET', `/rest/api/3/issue/${issue.key}?fields=attachment`)).json
      .fields.attachment as Array<{ id: string; filename: string }>;
    const copied = files.filter((f) => f.filename === 'remote-shot.png');
    expect(copied).toHaveLength(1);
    const redirect = await world.jira.request(p.person, 'GET', `/rest/api/3/attachment/content/${copied[0]!.id}`);
    expect(redirect.headers.get('location')).toContain(`/file/${String(arrived.content[1]!.content![0]!.attrs!.id)}/`);
  });

  it('crosses a mention of someone the user table pairs as that person there, and theirs back as the Jira person', async () => {
    const p = pairedFor(kind);
    const lead = world.jira.userId('project-lead');
    const issue = await world.pairedIssue(p, `Mentions with ${p.system.label}`, {
      description: {
        version: 1,
        type: 'doc',
        content: [para(text('Over to '), { type: 'mention', attrs: { id: lead, text: '@Lee Lead' } })],
      },
    });
    const body = p.remote.bodies.description(issue.remoteId);
    expect(body).not.toContain(lead);
    const markup = p.remote.bodies.mention;
    if (!markup) {
      // The remote's bodies name nobody: the mention is the person's name, as a reader there needs it.
      expect(body).toContain('@Lee Lead');
      return;
    }
    expect(markup.role).toBe('project-lead');
    // The remote's own mention of the person the table pairs, under the name the Jira document gave.
    const attribute = /data-[\w-]+="[^"]+"/.exec(markup.markup)![0];
    expect(body).toContain(attribute);
    expect(body).toContain('@Lee Lead</a>');

    world.sandbox.platform.manualClock.advance(60_000);
    await p.remote.bodies.comment(issue.remoteId, `<p>Thanks ${markup.markup}, on it.</p>`);
    await world.quiet();
    const arrived = (await issueFields(p, issue.key)).comment.comments.find((c) =>
      JSON.stringify(c.body).includes('on it.'),
    )!.body;
    expect(validateAdf(arrived).valid).toBe(true);
    const mention = nodesOf(arrived.content).find((n) => n.type === 'mention')!;
    expect(mention.attrs).toMatchObject({ id: lead });
    // Jira's document is as it was: the remote's markup reads back as the same mention.
    world.sandbox.platform.manualClock.advance(60_000);
    await p.remote.edit(issue.remoteId, { summary: `Mentions with ${p.system.label}, renamed` });
    await world.quiet();
    expect((await issueFields(p, issue.key)).description.content).toEqual([
      para(text('Over to '), { type: 'mention', attrs: { id: lead, text: '@Lee Lead' } }),
    ]);
  });

  it('says so where a screenshot in a new issue cannot be shown, since the description is kept as it was made', async () => {
    const p = pairedFor(kind);
    // The issue is made, its screenshot attached and the description saved before the first sync runs (as Jira's
    // create dialog does with a pasted image): the item is created before the file has crossed.
    world.sandbox.platform.holdProductEvents();
    const created = await world.jira.request(p.person, 'POST', '/rest/api/3/issue', {
      fields: {
        project: { key: p.project.key },
        issuetype: { name: 'Task' },
        summary: `New issue with a screenshot for ${p.system.label}`,
      },
    });
    expect(created.status).toBe(201);
    const key = created.json.key as string;
    const media = await pasteIntoJira(p, key, 'new-issue.png');
    const description = {
      version: 1,
      type: 'doc',
      content: [para(text('It looks like this:')), inlineImage(media)],
    };
    expect(
      (await world.jira.request(p.person, 'PUT', `/rest/api/3/issue/${key}`, { fields: { description } })).status,
    ).toBe(204);
    await world.sandbox.platform.releaseProductEvents();
    await world.quiet();
    const remoteId = p.remote.remotesForIssue(created.json.id)[0]!;
    const body = p.remote.bodies.description(remoteId);
    const shown = (await world.panel(created.json.id, p.project.id)) as { notices?: string[] };
    const notices = shown.notices?.join(' ') ?? '';
    if (p.system.capabilities.fixedAfterCreate?.description) {
      expect(body).not.toMatch(/<img/);
      expect(notices).toMatch(
        /The Jira description shows an image .* was created without, and was not copied: .* The image's file is attached there\./,
      );
    } else if (p.system.capabilities.descriptionFormat === 'html') {
      // Written again once its file has crossed: shown where it stood.
      expect(body).toMatch(/<p>It looks like this:<\/p><p><img src="[^"]+"><\/p>/);
    } else {
      expect(notices).toMatch(/an inline image/);
    }
    expect((await issueFields(p, key)).description.content).toEqual(description.content);
  });
});
