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
      // An edit of formatting alone is an edit: the copy follows it.
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
      expect(copies[0]).toMatch(/<strong>Deploy<\/strong>/);
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
});
