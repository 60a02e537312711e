/**
 * Jira moves status only through workflow transitions, so reaching a mapped
 * status may take several hops (To Do → In Progress → Done). This finds the
 * shortest path through the workflow graph.
 */
export interface WorkflowTransition {
  id: string;
  name: string;
  /** Status ids the transition starts from; empty means global (from any status). */
  from: readonly string[];
  to: string;
}

export type TransitionPath = { ok: true; transitions: WorkflowTransition[] } | { ok: false; reason: string };

export function findTransitionPath(
  transitions: readonly WorkflowTransition[],
  fromStatus: string,
  toStatus: string,
  statusName: (id: string) => string = (id) => id,
): TransitionPath {
  if (fromStatus === toStatus) return { ok: true, transitions: [] };
  const previous = new Map<string, { via: WorkflowTransition; from: string }>();
  const seen = new Set([fromStatus]);
  const queue = [fromStatus];
  while (queue.length) {
    const status = queue.shift()!;
    // Prefer direct transitions over global ones, then the workflow's own order.
    const outgoing = [
      ...transitions.filter((t) => t.from.includes(status)),
      ...transitions.filter((t) => t.from.length === 0),
    ];
    for (const t of outgoing) {
      if (seen.has(t.to)) continue;
      seen.add(t.to);
      previous.set(t.to, { via: t, from: status });
      if (t.to === toStatus) {
        const path: WorkflowTransition[] = [];
        for (let at = toStatus; at !== fromStatus;) {
          const step = previous.get(at)!;
          path.unshift(step.via);
          at = step.from;
        }
        return { ok: true, transitions: path };
      }
      queue.push(t.to);
    }
  }
  return {
    ok: false,
    reason: `No workflow transition path from "${statusName(fromStatus)}" to "${statusName(toStatus)}"`,
  };
}
