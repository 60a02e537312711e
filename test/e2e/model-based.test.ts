/**
 * Model-based: random edits and comments on both sides, interleaved with
 * crashes, duplicated events and lost notifications. Whatever the sequence,
 * once quiet (and after the safety-net sweep) both sides agree, every comment
 * exists once on each side, and there is one incident per issue.
 */
import fc from 'fast-check';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { adf, jiraClient } from '../../sandbox/sims/jira/test-client';
import { serviceNowClient } from '../../sandbox/sims/servicenow/test-client';

let sandbox: Sandbox;
let jira: ReturnType<typeof jiraClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  jira = sandbox.jiraClient();
}, 60_000);
afterAll(() => sandbox.stop());

interface World {
  issue: { id: string; key: string };
  incidentId: string;
  jiraComments: string[];
  snComments: string[];
}

const snAgent = (method: string, path: string, body: unknown) => serviceNowClient(sandbox.sims.servicenow, sandbox.sims.servicenow.credentials.agent)(method, path, body);

type Step =
  | { kind: 'editJira'; text: string }
  | { kind: 'editSn'; text: string }
  | { kind: 'commentJira'; text: string }
  | { kind: 'commentSn'; text: string }
  | { kind: 'crashNext'; at: number }
  | { kind: 'duplicateLastEvent' }
  | { kind: 'loseNotifications' }
  | { kind: 'settle' };

const word = fc.stringMatching(/^[a-z]{3,8}$/);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('editJira' as const), text: word }),
  fc.record({ kind: fc.constant('editSn' as const), text: word }),
  fc.record({ kind: fc.constant('commentJira' as const), text: word }),
  fc.record({ kind: fc.constant('commentSn' as const), text: word }),
  fc.record({ kind: fc.constant('crashNext' as const), at: fc.integer({ min: 1, max: 10 }) }),
  fc.constant({ kind: 'duplicateLastEvent' as const }),
  fc.constant({ kind: 'loseNotifications' as const }),
  fc.constant({ kind: 'settle' as const }),
);

async function apply(world: World, s: Step, run: number): Promise<void> {
  switch (s.kind) {
    case 'editJira':
      await jira.request({ as: 'member' }, 'PUT', `/rest/api/3/issue/${world.issue.key}`, { fields: { summary: `jira ${s.text} ${run}` } });
      return;
    case 'editSn':
      await snAgent('PATCH', `/api/now/table/incident/${world.incidentId}`, { short_description: `sn ${s.text} ${run}` });
      return;
    case 'commentJira':
      world.jiraComments.push(`jira says ${s.text}`);
      await jira.request({ as: 'member' }, 'POST', `/rest/api/3/issue/${world.issue.key}/comment`, { body: adf(`jira says ${s.text}`) });
      return;
    case 'commentSn':
      world.snComments.push(`sn says ${s.text}`);
      await snAgent('PATCH', `/api/now/table/incident/${world.incidentId}`, { comments: `sn says ${s.text}` });
      return;
    case 'crashNext':
      sandbox.platform.injectCrash({ functionKey: 'sync-worker', atOutboundCall: s.at });
      return;
    case 'duplicateLastEvent': {
      const last = sandbox.jira.site.events.at(-1);
      if (last && !last.selfGenerated) sandbox.platform.deliverProductEvent(sandbox.installationId, last);
      return;
    }
    case 'loseNotifications':
      sandbox.servicenow.notifier.queue.length = 0;
      return;
    case 'settle':
      await sandbox.settle();
      return;
  }
}

describe('random sequences converge', () => {
  it('both sides agree, every comment exists once on each side, one incident per issue', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 10 }), async (steps) => {
        run++;
        const issue = (await jira.request({ as: 'member' }, 'POST', '/rest/api/3/issue', { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: `model run ${run}` } })).json as { id: string; key: string };
        await sandbox.platform.settle();
        const incident = sandbox.servicenow.store.rows('incident').find((r) => r.correlation_id === `crosswalk:demo-servicenow:${issue.id}`)!;
        const world: World = { issue, incidentId: incident.sys_id!, jiraComments: [], snComments: [] };
        for (const s of steps) await apply(world, s, run);
        // Quiet: no crash pending, deliveries done, then the safety net sweeps.
        sandbox.platform.clearFaults();
        await sandbox.settle();
        sandbox.platform.manualClock.advance(60_000);
        await sandbox.platform.runScheduledTrigger(sandbox.installationId, 'reconcile-sweep');
        await sandbox.platform.settle();

        const incidents = sandbox.servicenow.store.rows('incident').filter((r) => r.correlation_id === `crosswalk:demo-servicenow:${issue.id}`);
        const jiraIssue = sandbox.jira.site.state.issues.find((i) => i.id === issue.id)!;
        const journal = sandbox.servicenow.store.rows('sys_journal_field').filter((j) => j.element_id === world.incidentId).map((j) => (j.value ?? '').split('\n')[0]!);
        const jiraTexts = jiraIssue.comments.map((c) => JSON.stringify(c.body));
        const everyComment = [...world.jiraComments.map((t) => ({ t, from: 'jira' })), ...world.snComments.map((t) => ({ t, from: 'sn' }))];
        const onceEach = everyComment.every(({ t, from }) => {
          const inSn = journal.filter((v) => v.endsWith(t)).length;
          const inJira = jiraTexts.filter((b) => b.includes(t)).length;
          // Identical texts may be written more than once by the sequence itself.
          const written = everyComment.filter((c) => c.t === t && c.from === from).length;
          return inSn === written && inJira === written;
        });
        return incidents.length === 1 && incidents[0]!.short_description === jiraIssue.summary.slice(0, 160) && onceEach;
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 12), seed: Number(process.env.MODEL_SEED ?? 42), endOnFailure: true },
    );
  }, Number(process.env.MODEL_RUNS ?? 12) * 5_000 + 60_000);
});
