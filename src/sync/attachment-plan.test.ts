import { nameWithOrigin, planAttachments, splitOrigin, type SideFile } from './attachment-plan';

const f = (id: string, over: Partial<SideFile> = {}): SideFile => ({ id, fileName: `${id}.log`, contentType: 'text/plain', size: 100, ...over });
const rules = { direction: 'both' as const, maxBytes: 1000, allowedTypes: [] };

describe('planning attachment copies', () => {
  it('copies new files each way, once', () => {
    const { copies } = planAttachments([f('1')], [f('a')], rules);
    expect(copies.map((c) => [c.to, c.origin])).toEqual([
      ['remote', 'jira-att-1'],
      ['jira', 'remote-att-a'],
    ]);
    expect(planAttachments([f('1'), f('9', { origin: 'remote-att-a' })], [f('a'), f('b', { origin: 'jira-att-1' })], rules).copies).toEqual([]);
  });

  it('reports files over the size limit or of a type not allowed, instead of dropping them silently', () => {
    const { copies, skipped } = planAttachments([f('big', { size: 5000 }), f('img', { contentType: 'image/png' }), f('ok')], [], { ...rules, allowedTypes: ['text/'] });
    expect(copies.map((c) => c.from.id)).toEqual(['ok']);
    expect(skipped).toEqual(['big.log (5000 bytes) is over the 1000-byte limit', 'img.log (image/png) is not an allowed type']);
  });

  it('honours the smaller of the connection and remote limits, and the direction', () => {
    expect(planAttachments([f('1', { size: 600 })], [], rules, 500).skipped).toHaveLength(1);
    expect(planAttachments([f('1')], [f('a')], { ...rules, direction: 'to-jira' }).copies.map((c) => c.to)).toEqual(['jira']);
  });

  it('keeps the origin in the stored name and reads it back', () => {
    expect(nameWithOrigin('report.pdf', 'jira-att-7')).toBe('report~cw-jira-att-7.pdf');
    expect(splitOrigin('report~cw-jira-att-7.pdf')).toEqual({ fileName: 'report.pdf', origin: 'jira-att-7' });
    expect(splitOrigin('README')).toEqual({ fileName: 'README' });
  });
});
