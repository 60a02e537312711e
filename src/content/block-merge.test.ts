import type { AdfNode } from './adf';
import { mergeDocuments as mergeBlocks } from './block-merge';

const p = (text: string): AdfNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const panel = (text: string): AdfNode => ({ type: 'panel', attrs: { panelType: 'warning' }, content: [p(text)] });
const doc = (...content: AdfNode[]) => ({ version: 1 as const, type: 'doc' as const, content });
/** A projection that sees a panel as its text and an expand not at all, as a poorer format would. */
const key = (b: AdfNode): string =>
  b.type === 'expand' ? '' : b.type === 'panel' ? key(b.content![0]!) : (b.content ?? []).map((t) => t.text).join('');
const expand: AdfNode = { type: 'expand', attrs: { title: 'Logs' }, content: [p('trace')] };

describe('merging a remote edit into the Jira document block by block', () => {
  it('keeps the Jira node of every block the edit left unchanged at the projection', () => {
    const merged = mergeBlocks(doc(panel('Careful'), p('old')), doc(p('Careful'), p('new')), key);
    expect(merged.content).toEqual([panel('Careful'), p('new')]);
  });

  it('takes the incoming node for a changed block, even where Jira had something richer', () => {
    const merged = mergeBlocks(doc(panel('Careful')), doc(p('Very careful')), key);
    expect(merged.content).toEqual([p('Very careful')]);
  });

  it('matches repeated blocks in order, each keeping its own node', () => {
    const a = { ...p('same'), attrs: { localId: 'a' } };
    const b = { ...p('same'), attrs: { localId: 'b' } };
    const merged = mergeBlocks(doc(a, b), doc(p('same'), p('same'), p('same')), key);
    expect(merged.content).toEqual([a, b, p('same')]);
  });

  it('keeps a block the remote cannot see after the block it followed, even when blocks move', () => {
    const merged = mergeBlocks(doc(p('one'), expand, p('two')), doc(p('zero'), p('one'), p('two')), key);
    expect(merged.content).toEqual([p('zero'), p('one'), expand, p('two')]);
  });

  it('keeps an unseen block near where it stood when the block it followed was edited', () => {
    const merged = mergeBlocks(doc(p('one'), expand, p('two')), doc(p('ONE'), p('two')), key);
    expect(merged.content).toEqual([p('ONE'), expand, p('two')]);
  });

  it('keeps unseen blocks at the start and when the remote emptied the field', () => {
    expect(mergeBlocks(doc(expand, p('one')), doc(p('one')), key).content).toEqual([expand, p('one')]);
    expect(mergeBlocks(doc(p('one'), expand), doc(), key).content).toEqual([expand]);
  });

  it('is the incoming document when Jira had none', () => {
    expect(mergeBlocks(null, doc(p('x')), key).content).toEqual([p('x')]);
  });
});
