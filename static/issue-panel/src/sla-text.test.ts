import { breachTimeText, slaLozenge, slaWords, span, type SlaShown } from './sla-text';

const sla = (stage: SlaShown['stage'], msLeft: number | null): SlaShown => ({
  name: 'Priority 3 resolution (8 hour)',
  stage,
  breachAt: '2026-12-07T17:00:00.000Z',
  msLeft,
});
const min = 60_000;

describe('how the panel words an SLA', () => {
  it('spans in their two largest units', () => {
    expect(span(200 * min)).toBe('3 h 20 min');
    expect(span(-40 * min)).toBe('40 min');
    expect(span(180 * min)).toBe('3 h');
    expect(span((2 * 1440 + 3 * 60 + 5) * min)).toBe('2 d 3 h');
    expect(span(1440 * min)).toBe('1 d');
    expect(span(20_000)).toBe('less than a minute');
  });

  it('the time left, how long ago it breached, or where it stands', () => {
    expect(slaWords(sla('running', 200 * min))).toBe('Breaches in 3 h 20 min');
    expect(slaWords(sla('breached', -40 * min))).toBe('Breached 40 min ago');
    // Past its breach time by the server's clock, even where the remote still says running.
    expect(slaWords(sla('running', -5 * min))).toBe('Breached 5 min ago');
    expect(slaWords(sla('met', null))).toBe('Met');
    expect(slaWords(sla('paused', null))).toBe('Paused');
    expect(slaWords(sla('cancelled', null))).toBe('Cancelled');
  });

  it('breached red, under an hour left yellow, running blue, met green, the rest grey', () => {
    expect(slaLozenge(sla('breached', -40 * min))).toEqual({ label: 'Breached', appearance: 'removed' });
    expect(slaLozenge(sla('running', -1))).toEqual({ label: 'Breached', appearance: 'removed' });
    expect(slaLozenge(sla('running', 59 * min))).toEqual({ label: 'In progress', appearance: 'moved' });
    expect(slaLozenge(sla('running', 60 * min))).toEqual({ label: 'In progress', appearance: 'inprogress' });
    expect(slaLozenge(sla('met', null))).toEqual({ label: 'Met', appearance: 'success' });
    expect(slaLozenge(sla('paused', null))).toEqual({ label: 'Paused', appearance: 'default' });
  });
});

describe('a breach time', () => {
  it('to the minute: the time of day today, with the day otherwise', () => {
    const at = new Date(2026, 11, 7, 17, 5, 30);
    expect(breachTimeText(at.toISOString(), new Date(2026, 11, 7, 9))).toBe(
      at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    );
    const other = breachTimeText(at.toISOString(), new Date(2026, 11, 6, 9));
    expect(other).not.toMatch(/:30/);
    expect(other).toContain(at.toLocaleDateString(undefined, { day: 'numeric' }));
  });
});
