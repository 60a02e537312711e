/**
 * What an alert says, in a person's words, whichever target carries it: the connection's name and system, what is
 * wrong, since when (a UTC time and how long), how many items wait, what to check, and where to look. Each target
 * lays these parts out in its own form (Slack blocks, a Teams card, a JSON body, an email).
 */
import type { AlertMessage } from '../plan';

/** "1 h 5 min", "3 d 2 h", "12 min", "less than a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "7 Dec 2026, 23:40 UTC": the alert goes to people in many time zones, so it names the one it uses. */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** The connection as a title names it: `Zendesk connection "Support" (SUP)`. */
export function connectionLabel(m: AlertMessage): string {
  return `${m.system} connection "${m.connectionName}"${m.projectKey ? ` (${m.projectKey})` : ''}`;
}

const waitingWords = (n: number) =>
  n <= 0 ? 'No items are waiting because of it.' : n === 1 ? '1 item is waiting.' : `${n} items are waiting.`;

/** An alert's parts in plain text; each target escapes them for its own format. */
export interface AlertText {
  /** One line: what the alert is about. */
  title: string;
  /** What is wrong, in the condition's own words (empty for "cleared", which says it in the title). */
  what: string;
  /** "Since 7 Dec 2026, 23:40 UTC (for 1 h 5 min)." */
  since: string;
  /** "3 items are waiting." (empty for "cleared" and "test") */
  waiting: string;
  /** "Check: …" (empty when there is nothing to check) */
  check: string;
  linkLabel: string;
  /** The whole of it as a few sentences (a fallback text, an email's plain body). */
  plain: string;
}

export function alertText(m: AlertMessage): AlertText {
  const label = connectionLabel(m);
  const lasted = formatDuration(m.at - m.since);
  const linkLabel = "Open the connection's settings";
  let title: string;
  let what = m.words;
  let since = `Since ${formatUtc(m.since)} (for ${lasted}).`;
  let waiting = waitingWords(m.itemsWaiting);
  let check = m.check ? `Check: ${m.check}` : '';
  switch (m.event) {
    case 'started':
      title = `${label}: ${m.words}`;
      break;
    case 'reminder':
      title = `Still failing: ${label}: ${m.words}`;
      break;
    case 'cleared':
      title = `${label} is working again after ${lasted}`;
      what = m.words ? `It was: ${m.words}` : '';
      since = `From ${formatUtc(m.since)} to ${formatUtc(m.at)}.`;
      waiting = '';
      check = '';
      break;
    case 'test':
      title = `Test alert from Crosswalk: ${label}`;
      what = m.words || 'Alerts for this connection arrive here.';
      since = `Sent ${formatUtc(m.at)}.`;
      waiting = '';
      break;
  }
  const plain = [title, what, since, waiting, check, `${linkLabel}: ${m.settingsUrl}`].filter(Boolean).join('\n');
  return { title, what, since, waiting, check, linkLabel, plain };
}
