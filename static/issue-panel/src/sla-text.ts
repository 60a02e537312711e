/**
 * How the issue panel words the remote's SLAs: "Breaches in 3 h 20 min",
 * "Breached 40 min ago", "Met", and which lozenge each stage wears (breached
 * red, less than an hour left yellow). Pure, so it is tested without a
 * browser.
 */

export interface SlaShown {
  name: string;
  stage: 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
  breachAt: string | null;
  /** Until the breach when the server read it (the remote's clock); negative once past. */
  msLeft: number | null;
}

type Appearance = 'removed' | 'moved' | 'inprogress' | 'success' | 'default';

const HOUR = 3_600_000;

/** A span of time in its two largest units: "2 d 3 h", "3 h 20 min", "40 min", "less than a minute". */
export function span(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return h ? `${d} d ${h} h` : `${d} d`;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** Where the SLA stands, in words. */
export function slaWords(s: SlaShown): string {
  if (s.stage === 'met') return 'Met';
  if (s.stage === 'cancelled') return 'Cancelled';
  if (s.stage === 'paused') return 'Paused';
  if (s.msLeft === null) return s.stage === 'breached' ? 'Breached' : 'Running';
  return s.stage === 'breached' || s.msLeft <= 0 ? `Breached ${span(s.msLeft)} ago` : `Breaches in ${span(s.msLeft)}`;
}

/** The lozenge of its stage: its label and appearance. */
export function slaLozenge(s: SlaShown): { label: string; appearance: Appearance } {
  if (s.stage === 'breached' || (s.stage === 'running' && s.msLeft !== null && s.msLeft <= 0))
    return { label: 'Breached', appearance: 'removed' };
  if (s.stage === 'running')
    return { label: 'In progress', appearance: s.msLeft !== null && s.msLeft < HOUR ? 'moved' : 'inprogress' };
  if (s.stage === 'met') return { label: 'Met', appearance: 'success' };
  return { label: s.stage === 'paused' ? 'Paused' : 'Cancelled', appearance: 'default' };
}

/** A breach time to the minute, as people read one: the time of day when it is today, else with the day too. */
export function breachTimeText(iso: string, today: Date = new Date()): string {
  const d = new Date(iso);
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString(undefined, time)
    : d.toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', ...time });
}
