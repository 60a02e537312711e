/**
 * Counted nouns for every page: "1 sync", "2 syncs", "1 person has", "3 people
 * have". One helper, so no page says "1 syncs" again. Pure (tested without a
 * browser).
 */

/** `n` with the word that agrees with it; `many` defaults to `one` + "s". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Since when something holds, in the reader's own time zone: "since 10:42" today, "since 5 Dec, 10:42" before.
 * `now` and the time zone offset are parameters so the words are tested without a clock.
 */
export function sinceTime(iso: string, now = Date.now(), offsetMinutes = new Date(iso).getTimezoneOffset()): string {
  const local = (ms: number) => new Date(ms - offsetMinutes * 60_000);
  const at = local(Date.parse(iso));
  const today = local(now);
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
  const sameDay =
    at.getUTCFullYear() === today.getUTCFullYear() &&
    at.getUTCMonth() === today.getUTCMonth() &&
    at.getUTCDate() === today.getUTCDate();
  return sameDay ? `since ${time}` : `since ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}, ${time}`;
}

/** "3 min ago", "2 h ago", "4 days ago" for a past time; "never" without one. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${count(Math.round(ms / 86_400_000), 'day')} ago`;
}
