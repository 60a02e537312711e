/**
 * The SLA engine, as far as a sync partner sees it: SLA definitions
 * (`contract_sla`) and the task SLAs (`task_sla`) attached to incidents by
 * their priority, timed on a 24×7 schedule with the 2011 engine's stages (a
 * breach shows in `has_breached`, the stage stays `in_progress`).
 *
 * - An incident inserted (or given a new priority while open) gets the
 *   resolution SLA of its priority, starting now, breaching at start + duration;
 *   a priority change cancels the SLA of the old one, as the definition's
 *   start condition stops matching.
 * - On Hold pauses it (the pause condition of the demo definitions) and moves
 *   its breach time on by the time paused; Resolved or Closed completes it
 *   (`achieved`), Canceled cancels it.
 * - The timings (`has_breached`, `time_left`, percentages) are brought up to
 *   the clock whenever task SLAs are read, as the SLA engine's scheduled
 *   update and the form do on an instance.
 */
import { glideTime, type InstanceStore, type Row } from './store';

const HOUR = 3_600_000;

/** The demo definitions: one resolution SLA per priority, P5 (planning) has none. */
export const DEMO_SLA_DEFINITIONS: ReadonlyArray<{ name: string; priority: string; durationMs: number }> = [
  { name: 'Priority 1 resolution (2 hour)', priority: '1', durationMs: 2 * HOUR },
  { name: 'Priority 2 resolution (4 hour)', priority: '2', durationMs: 4 * HOUR },
  { name: 'Priority 3 resolution (8 hour)', priority: '3', durationMs: 8 * HOUR },
  { name: 'Priority 4 resolution (1 day)', priority: '4', durationMs: 24 * HOUR },
];

/** A glide duration's stored value: the time after the epoch, `1970-01-03 02:00:00` for 2 days 2 hours. */
export function glideDuration(ms: number): string {
  return glideTime(Math.max(0, Math.floor(ms / 1000) * 1000));
}

/** How a form shows a duration: `2 Days 3 Hours 5 Minutes`. */
export function durationDisplay(value: string): string {
  const ms = parseGlide(value);
  if (!value || Number.isNaN(ms)) return '';
  const s = Math.floor(ms / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'Day'],
    [Math.floor((s % 86_400) / 3600), 'Hour'],
    [Math.floor((s % 3600) / 60), 'Minute'],
    [s % 60, 'Second'],
  ];
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
  return shown.join(' ') || '0 Seconds';
}

const parseGlide = (v: string | undefined) => (v ? Date.parse(v.replace(' ', 'T') + 'Z') : NaN);

export function seedSlaDefinitions(store: InstanceStore): void {
  for (const d of DEMO_SLA_DEFINITIONS)
    store.insertRaw(
      'contract_sla',
      {
        name: d.name,
        type: 'SLA',
        target: 'resolution',
        collection: 'incident',
        duration: glideDuration(d.durationMs),
        start_condition: `active=true^priority=${d.priority}`,
        pause_condition: 'state=3',
        stop_condition: 'stateIN6,7',
        active: 'true',
      },
      'system',
    );
}

const definitionFor = (store: InstanceStore, priority: string) =>
  store
    .rows('contract_sla')
    .find(
      (d) =>
        d.active === 'true' && d.collection === 'incident' && d.start_condition === `active=true^priority=${priority}`,
    );

const slasOf = (store: InstanceStore, taskId: string) =>
  store.rows('task_sla').filter((r) => r.task === taskId && r.active === 'true');

/** The engine's business rule on incident insert and update. */
export function applySlas(store: InstanceStore, incident: Row, before: Row | undefined): void {
  const now = store.now();
  const t = glideTime(now);
  const state = incident.state ?? '1';
  let running = slasOf(store, incident.sys_id!);
  if (before && before.priority !== incident.priority) {
    for (const r of running) finish(r, 'cancelled', now);
    running = [];
  }
  if (state === '6' || state === '7' || state === '8') {
    for (const r of running) finish(r, state === '8' ? 'cancelled' : 'achieved', now);
    return;
  }
  if (!running.length) {
    const def = definitionFor(store, incident.priority ?? '');
    if (!def) return;
    const durationMs = parseGlide(def.duration);
    const end = glideTime(now + durationMs);
    running = [
      store.insertRaw(
        'task_sla',
        {
          task: incident.sys_id!,
          sla: def.sys_id!,
          stage: 'in_progress',
          has_breached: 'false',
          active: 'true',
          start_time: t,
          planned_end_time: end,
          original_breach_time: end,
          pause_duration: glideDuration(0),
          duration: glideDuration(0),
          business_duration: glideDuration(0),
          time_left: glideDuration(durationMs),
          business_time_left: glideDuration(durationMs),
          percentage: '0',
          business_percentage: '0',
          schedule: '24x7',
        },
        'system',
      ),
    ];
  }
  for (const r of running) {
    refresh(store, r, now);
    if (state === '3' && r.stage === 'in_progress') Object.assign(r, { stage: 'paused', pause_time: t });
    else if (state !== '3' && r.stage === 'paused') {
      const paused = now - parseGlide(r.pause_time);
      Object.assign(r, {
        stage: 'in_progress',
        pause_time: '',
        pause_duration: glideDuration(parseGlide(r.pause_duration) + paused),
        planned_end_time: glideTime(parseGlide(r.planned_end_time) + paused),
      });
    }
    r.sys_updated_on = t;
  }
}

function finish(r: Row, stage: 'achieved' | 'cancelled', now: number): void {
  Object.assign(r, { stage, active: 'false', end_time: glideTime(now), pause_time: '' });
}

/** Brings one task SLA's timings up to `now` (24×7: business time is actual time). */
function refresh(store: InstanceStore, r: Row, now: number): void {
  if (r.active !== 'true') return;
  const def = store.get('contract_sla', r.sla ?? '');
  const totalMs = parseGlide(def?.duration) || 1;
  const pausedMs = parseGlide(r.pause_duration) + (r.stage === 'paused' ? now - parseGlide(r.pause_time) : 0);
  const elapsed = Math.max(0, now - parseGlide(r.start_time) - pausedMs);
  const left = Math.max(0, totalMs - elapsed);
  const percentage = ((elapsed / totalMs) * 100).toFixed(2);
  Object.assign(r, {
    has_breached: elapsed >= totalMs ? 'true' : 'false',
    duration: glideDuration(elapsed),
    business_duration: glideDuration(elapsed),
    time_left: glideDuration(left),
    business_time_left: glideDuration(left),
    percentage,
    business_percentage: percentage,
  });
}

/** Every running task SLA up to the clock, before a read. */
export function refreshSlas(store: InstanceStore): void {
  const now = store.now();
  for (const r of store.rows('task_sla')) refresh(store, r, now);
}
