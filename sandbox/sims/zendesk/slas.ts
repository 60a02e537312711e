/**
 * SLA policies (`GET /api/v2/slas/policies`, admins only) and the SLA state of
 * a ticket as the `include=slas` side-load gives it:
 * `ticket.slas.policy_metrics: [{breach_at, stage, metric, days|hours|minutes}]`.
 *
 * The first policy (by position) whose filter the ticket matches applies, with
 * the metrics of the ticket's priority, on calendar hours:
 * - `first_reply_time` runs from creation until the first public comment by
 *   an agent after the opening one (or solving), then is `achieved`;
 * - `requester_wait_time` runs while the ticket is new, open or on hold,
 *   pauses while pending (`paused`, no `breach_at`) and is `achieved` when
 *   solved; its breach time moves on by the time paused.
 * Each active metric says when it breaches, and how long until then in its
 * largest whole unit (`hours: 3`; negative once breached), as the badge on the
 * ticket shows it; that unit field is unconfirmed against a live account.
 */
import { iso, type Priority, type Status, type Ticket, type ZendeskStore } from './store';

export type SlaMetric = 'first_reply_time' | 'next_reply_time' | 'requester_wait_time' | 'agent_work_time';

export interface SlaPolicy {
  id: number;
  title: string;
  description: string;
  position: number;
  filter: {
    all: Array<{ field: string; operator: string; value: string }>;
    any: Array<{ field: string; operator: string; value: string }>;
  };
  policy_metrics: Array<{ priority: Priority; metric: SlaMetric; target: number; business_hours: boolean }>;
  created_at: string;
  updated_at: string;
}

export interface PolicyMetricState {
  breach_at: string | null;
  stage: 'active' | 'paused' | 'achieved';
  metric: SlaMetric;
  days?: number;
  hours?: number;
  minutes?: number;
}

/** The demo policy: urgent and high tickets answered within the hour, normal within 8 hours, low within a day. */
export function seedSlaPolicies(store: ZendeskStore): void {
  const at = store.stamp();
  const targets: Array<[Priority, number, number]> = [
    ['urgent', 60, 240],
    ['high', 60, 480],
    ['normal', 480, 1440],
    ['low', 1440, 2880],
  ];
  store.slaPolicies = [
    {
      id: 360000400001,
      title: 'Standard support',
      description: 'Every ticket, by priority: first reply and requester wait time',
      position: 1,
      filter: { all: [{ field: 'status', operator: 'less_than', value: 'solved' }], any: [] },
      policy_metrics: targets.flatMap(([priority, firstReply, wait]) => [
        { priority, metric: 'first_reply_time' as const, target: firstReply, business_hours: false },
        { priority, metric: 'requester_wait_time' as const, target: wait, business_hours: false },
      ]),
      created_at: at,
      updated_at: at,
    },
  ];
}

export function policyJson(p: SlaPolicy, origin: string) {
  return { url: `${origin}/api/v2/slas/policies/${p.id}.json`, ...p };
}

const STATUS_ORDER: readonly Status[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

/** A policy applies to a ticket that matched its filter when it was made (a solved ticket keeps its policy). */
function matches(p: SlaPolicy, t: Ticket, status: Status): boolean {
  const holds = (c: { field: string; operator: string; value: string }) => {
    const actual =
      c.field === 'status' ? status : c.field === 'priority' ? t.priority : c.field === 'type' ? t.type : undefined;
    if (c.field === 'status' && (c.operator === 'less_than' || c.operator === 'greater_than')) {
      const d = STATUS_ORDER.indexOf(status) - STATUS_ORDER.indexOf(c.value as Status);
      return c.operator === 'less_than' ? d < 0 : d > 0;
    }
    return c.operator === 'is_not' ? String(actual) !== c.value : String(actual) === c.value;
  };
  return p.filter.all.every(holds) && (p.filter.any.length === 0 || p.filter.any.some(holds));
}

/** The ticket's statuses over time, from its audits: [since ms, status]. */
function statusHistory(t: Ticket): Array<[number, Status]> {
  const out: Array<[number, Status]> = [];
  for (const a of t.audits)
    for (const e of a.events)
      if (e.field_name === 'status' && typeof e.value === 'string')
        out.push([Date.parse(a.created_at), e.value as Status]);
  return out.length ? out : [[Date.parse(t.created_at), t.status]];
}

/** The largest whole unit of a time span, as the SLA badge shows it. */
function badge(ms: number): Pick<PolicyMetricState, 'days' | 'hours' | 'minutes'> {
  const minutes = Math.trunc(ms / 60_000);
  if (Math.abs(minutes) >= 1440) return { days: Math.trunc(minutes / 1440) };
  if (Math.abs(minutes) >= 60) return { hours: Math.trunc(minutes / 60) };
  return { minutes };
}

/** `ticket.slas` for the `include=slas` side-load. */
export function ticketSlas(store: ZendeskStore, t: Ticket, now: number): { policy_metrics: PolicyMetricState[] } {
  const history = statusHistory(t);
  const opened = Date.parse(t.created_at);
  const policy = [...store.slaPolicies]
    .sort((a, b) => a.position - b.position)
    .find((p) => matches(p, t, history[0]![1]));
  if (!policy || !t.priority) return { policy_metrics: [] };
  const solvedAt = history.find(([, s]) => s === 'solved' || s === 'closed')?.[0];
  const agents = new Set(store.users.filter((u) => u.role !== 'end-user').map((u) => u.id));
  const firstReply = t.comments.slice(1).find((c) => c.public && agents.has(c.author_id));
  const metrics = policy.policy_metrics
    .filter((m) => m.priority === t.priority)
    .map((m): PolicyMetricState => {
      const targetMs = m.target * 60_000;
      if (m.metric === 'requester_wait_time') {
        if (solvedAt !== undefined) return { breach_at: null, stage: 'achieved', metric: m.metric };
        // Time spent pending does not count.
        let pausedMs = 0;
        history.forEach(([since, s], i) => {
          if (s === 'pending') pausedMs += (history[i + 1]?.[0] ?? now) - since;
        });
        if (t.status === 'pending') return { breach_at: null, stage: 'paused', metric: m.metric };
        const breach = opened + pausedMs + targetMs;
        return { breach_at: iso(breach), stage: 'active', metric: m.metric, ...badge(breach - now) };
      }
      const fulfilled = firstReply ? Date.parse(firstReply.created_at) : solvedAt;
      if (fulfilled !== undefined) return { breach_at: null, stage: 'achieved', metric: m.metric };
      const breach = opened + targetMs;
      return { breach_at: iso(breach), stage: 'active', metric: m.metric, ...badge(breach - now) };
    });
  return { policy_metrics: metrics };
}
