/**
 * The GitHub simulator as the model harness drives it (test/model/adapter.ts),
 * for project WEB and its connection as sandbox/demo/github-connection.ts
 * gives it (title, body as Markdown, state, labels).
 *
 * GitHub's particulars the model respects:
 * - two states: an open issue reads as To Do and a closed one as Done; Jira's
 *   other open statuses all map to `open` (never chosen by the model: they
 *   read back as To Do);
 * - no priority, no typed fields, no assignees in the mapping;
 * - every comment is public (`hasInternalComments: false`), and there are no
 *   attachments: GitHub has no upload API, so `attach` refuses loudly rather
 *   than pretend;
 * - the correlation marker is a hidden HTML comment at the end of the body
 *   (`<!-- crosswalk:… -->`): a person editing the body keeps it, and the body
 *   the model compares is the body without it;
 * - the model's types are the org's issue types `Task` and `Epic`; parents are
 *   sub-issues (any depth: Epic → Feature → Task here).
 */
import { WEB_UI_HEADER } from '.';
import * as z from 'zod';
import type { Sandbox } from '../../sandbox';
import {
  addModelIssueTypes,
  bodyFormatsOf,
  canonicalLabels,
  FAULTED_REQUESTS,
  LASTING_FAULT,
  hiddenLabel,
  modelTypeSettings,
  type RemoteAdapter,
  type RemoteFault,
} from '../../../test/model/adapter';
import { demoGitHubConnection, WEB_PROJECT } from '../../demo/github-connection';
import { DEMO_CREDENTIALS, type GitHubSim } from './index';
import type { Issue } from './store';
import { gitHubClient } from './test-client';

const MODEL_TYPES = { Task: 'Task', Epic: 'Epic' } as const;
const STATUS_OF = { open: 'To Do', closed: 'Done' } as const;
const STATE_FOR: Readonly<Record<string, 'open' | 'closed'>> = {
  'To Do': 'open',
  'In Progress': 'open',
  'In Review': 'open',
  'Waiting for customer': 'open',
  Done: 'closed',
};
const REPO_PATH = `/repos/${DEMO_CREDENTIALS.repository}`;
/** The hidden correlation marker Crosswalk's connector appends to a body it writes. */
const MARKER = /\n*<!-- crosswalk:[^>]*-->\s*$/;
const INTEGRATION = DEMO_CREDENTIALS.integration.login;

/**
 * The running GitHub simulator of a sandbox: the sandbox keeps each registered system's simulator by kind in
 * `remotes` (sandbox/systems.ts on main; this branch's Sandbox type predates it, hence the wider type here).
 */
function gitHubSimOf(sandbox: Sandbox): GitHubSim {
  const held = (sandbox as Sandbox & { remotes?: Readonly<Record<string, unknown>> }).remotes?.github;
  if (!held || typeof held !== 'object' || !('store' in held) || !('notifier' in held))
    throw new Error('This sandbox runs no GitHub simulator (sandbox.remotes.github)');
  return held as GitHubSim;
}

const savedConnection = z.object({ ok: z.literal(true), data: z.object({ config: z.object({ id: z.string() }) }) });
const issueShape = z.object({ id: z.number(), number: z.number() });

export function modelAdapter(): RemoteAdapter {
  return gitHubModelAdapter();
}

/** The adapter; with `preset`, on that simulator before (or without) `setup`, as its own test drives it. */
export function gitHubModelAdapter(preset?: GitHubSim): RemoteAdapter {
  let current: GitHubSim | undefined = preset;
  const sim = (): GitHubSim => {
    if (!current) throw new Error('The GitHub model adapter has not been set up');
    return current;
  };
  let withTypes = false;
  let connectionId = 'web-github';
  // A person works in GitHub's web pages, which count against no REST limit (the integration's calls do).
  const agent = () => gitHubClient(sim(), DEMO_CREDENTIALS.agent.token, { [WEB_UI_HEADER]: 'person' });
  const control = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${sim().controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  const issue = (id: string): Issue => {
    const repo = sim().store.repoByName(DEMO_CREDENTIALS.owner, DEMO_CREDENTIALS.repo);
    const found = repo && sim().store.issueByNumber(repo.id, Number(id));
    if (!found) throw new Error(`No issue #${id} in ${DEMO_CREDENTIALS.repository}`);
    return found;
  };
  const labelsOf = (i: Issue) => i.labelIds.map((id) => sim().store.labels.get(id)?.name ?? '');
  const ok = async (what: string, res: Promise<{ status: number; text: string }>) => {
    const { status, text } = await res;
    if (status >= 300) throw new Error(`GitHub ${what} answered ${status}: ${text.slice(0, 200)}`);
  };
  const marker = (issueId: string) => new RegExp(`<!-- crosswalk:crosswalk:[0-9a-f]+:${connectionId}:${issueId} -->`);
  const withoutMarker = (body: string | null) => (body ?? '').replace(MARKER, '');
  const keepMarker = (id: string, body: string) => {
    const kept = MARKER.exec(issue(id).body ?? '')?.[0];
    return kept ? `${body}${kept}` : body;
  };

  return {
    name: 'github',
    projectKey: WEB_PROJECT.key,
    get connectionId() {
      return connectionId;
    },
    labels: true,
    // Only the statuses GitHub's two states tell apart.
    statuses: ['To Do', 'Done'],
    priorities: [],
    typed: [],
    timeZone: 'UTC',
    // GitHub refuses a title over 256 characters rather than cut it; Jira's own limit (255) is lower.
    summaryLimit: 256,
    hasInternalComments: false,
    // The issue's type (the org's issue types; the connection maps no type, so the rules' value stays).
    ruleChoice: { field: 'type', bugHighest: 'Bug', task: 'Task', fallback: 'Feature', other: 'Epic' },
    // Not the state reason, listed first: GitHub takes one only beside a closing state, and a new issue is open.
    createDefaultField: 'milestone',
    modelTypes: MODEL_TYPES,
    async setup(s, opts) {
      current = gitHubSimOf(s);
      withTypes = Boolean(opts?.types);
      const lead = s.jira.site.state.users.find((u) => u.role === 'project-lead');
      if (!lead) throw new Error('The demo site has no project lead');
      let project = s.jira.site.state.projects.find((p) => p.key === WEB_PROJECT.key);
      if (!project) {
        const made = await s.jiraClient().request({ as: 'admin' }, 'POST', '/rest/api/3/project', {
          key: WEB_PROJECT.key,
          name: WEB_PROJECT.name,
          leadAccountId: lead.accountId,
          projectTypeKey: 'software',
        });
        if (made.status !== 201) throw new Error(`Could not make project ${WEB_PROJECT.key}: ${made.status}`);
        project = s.jira.site.state.projects.find((p) => p.key === WEB_PROJECT.key);
      }
      if (!project) throw new Error(`Project ${WEB_PROJECT.key} was not made`);
      if (withTypes) await addModelIssueTypes(s, WEB_PROJECT.key);
      const save = (existing?: string) =>
        s.platform.invokeResolver({
          installationId: s.installationId,
          moduleKey: 'crosswalk-settings',
          functionKey: 'saveConnection',
          accountId: lead.accountId,
          context: { extension: { type: 'jira:projectSettingsPage', project: { id: project.id, key: project.key } } },
          payload: {
            ...(existing ? { connectionId: existing } : {}),
            settings: {
              ...demoGitHubConnection,
              // Issues of the model's types (of type Task, without them) made by people become Jira issues.
              remoteFilter: withTypes
                ? [{ field: 'type', op: 'IN', values: Object.values(MODEL_TYPES) }]
                : [{ field: 'type', op: '=', value: MODEL_TYPES.Task }],
              ...modelTypeSettings(MODEL_TYPES, opts),
            },
            credential: { token: DEMO_CREDENTIALS.integration.token },
          },
        });
      // The sandbox may have paired WEB already (its demo): that connection is changed, never a second one made.
      const parse = (saved: Awaited<ReturnType<typeof save>>) =>
        savedConnection.safeParse(saved.ok ? saved.body : undefined);
      let saved = await save(connectionId);
      let answer = parse(saved);
      if (!answer.success) {
        saved = await save();
        answer = parse(saved);
      }
      if (!answer.success) throw new Error(`Could not configure the model connection: ${JSON.stringify(saved)}`);
      connectionId = answer.data.data.config.id;
      sim().notifier.paused = true;
    },
    remotesForIssue(issueId) {
      const repo = sim().store.repoByName(DEMO_CREDENTIALS.owner, DEMO_CREDENTIALS.repo);
      return sim()
        .store.issuesOf(repo?.id ?? -1)
        .filter((i) => marker(issueId).test(i.body ?? ''))
        .map((i) => String(i.number));
    },
    read(id) {
      const i = issue(id);
      return {
        id,
        summary: i.title,
        status: STATUS_OF[i.state],
        priority: '',
        labels: canonicalLabels(labelsOf(i)),
        comments: sim()
          .store.commentsOf(i.id)
          .map((c) => ({ text: c.body, internal: false })),
        files: [],
      };
    },
    field(id, name) {
      const i = issue(id);
      const fields: Record<string, string> = {
        title: i.title,
        body: withoutMarker(i.body),
        state: i.state,
        labels: labelsOf(i).join(','),
        type: i.typeId === null ? '' : (sim().store.issueTypes.get(i.typeId)?.name ?? ''),
        milestone: i.milestoneId === null ? '' : (sim().store.milestones.get(i.milestoneId)?.title ?? ''),
      };
      return fields[name] ?? '';
    },
    async create(summary, raw = {}) {
      const res = await agent()('POST', `${REPO_PATH}/issues`, {
        title: summary,
        body: `Reported on the website: ${summary}`,
        type: MODEL_TYPES.Task,
        ...raw,
      });
      if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text.slice(0, 200)}`);
      return String(issueShape.parse(res.json).number);
    },
    async setFields(id, raw) {
      await ok('edit', agent()('PATCH', `${REPO_PATH}/issues/${id}`, raw));
    },
    hierarchy: {
      // GitHub nests sub-issues of any type up to 8 levels; the demo uses the org's types top to bottom.
      levels: [
        { jira: 'Epic', remote: 'Epic' },
        { jira: 'Story', remote: 'Feature' },
        { jira: 'Sub-task', remote: 'Task' },
      ],
      parentOf(id) {
        const parentId = issue(id).parentId;
        const parent = parentId === null ? undefined : sim().store.issues.get(parentId);
        return parent ? String(parent.number) : '';
      },
      async setParent(id, parentId) {
        const child = issue(id);
        if (!parentId) {
          const parent = child.parentId === null ? undefined : sim().store.issues.get(child.parentId);
          if (parent)
            await ok(
              'parent removal',
              agent()('DELETE', `${REPO_PATH}/issues/${parent.number}/sub_issue`, { sub_issue_id: child.id }),
            );
          return;
        }
        // The parent it has already: nothing to do (GitHub refuses the same sub-issue twice).
        if (child.parentId !== null && sim().store.issues.get(child.parentId)?.number === Number(parentId)) return;
        await ok(
          'parent',
          agent()('POST', `${REPO_PATH}/issues/${parentId}/sub_issues`, {
            sub_issue_id: child.id,
            replace_parent: true,
          }),
        );
      },
    },
    typeMap: {
      types: [
        { jira: 'Bug', remote: 'Bug', status: { 'To Do': 'open', 'In Progress': 'open', Done: 'closed' } },
        { jira: 'Story', remote: 'Feature', status: { 'To Do': 'open', 'In Progress': 'open', Done: 'closed' } },
        { jira: 'Task', remote: 'Task', status: { 'To Do': 'open', 'In Progress': 'open', Done: 'closed' } },
      ],
      unmapped: 'Epic',
    },
    async edit(id, change) {
      const patch: Record<string, unknown> = {};
      if (change.summary !== undefined) patch.title = change.summary;
      if (change.status !== undefined) {
        const state = STATE_FOR[change.status];
        if (!state) throw new Error(`GitHub has no state for ${change.status}`);
        patch.state = state;
      }
      // A person changes the labels they mean and leaves the filter's and Crosswalk's as they are.
      if (change.labels !== undefined)
        patch.labels = [...labelsOf(issue(id)).filter(hiddenLabel), ...change.labels.split(',').filter(Boolean)];
      if (Object.keys(patch).length) await ok('edit', agent()('PATCH', `${REPO_PATH}/issues/${id}`, patch));
    },
    async comment(id, text) {
      // GitHub has no internal comments: the model never asks for one here (hasInternalComments is false).
      await ok('comment', agent()('POST', `${REPO_PATH}/issues/${id}/comments`, { body: text }));
    },
    attach() {
      return Promise.reject(new Error('GitHub has no attachment API: the model must not attach files on GitHub'));
    },
    async fault(kind: RemoteFault, on: boolean) {
      if (kind === 'refuse-writes') {
        if (on)
          await control('/faults', {
            user: INTEGRATION,
            method: 'PATCH',
            path: '/issues/',
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [{ resource: 'Issue', code: 'custom', message: 'The issue cannot be updated: it is locked' }],
              documentation_url: 'https://docs.github.com/rest/issues/issues#update-an-issue',
            },
            times: LASTING_FAULT,
          });
        else await control('/faults', undefined, 'DELETE');
        return;
      }
      const clearFaults = () => control('/faults', undefined, 'DELETE');
      switch (kind) {
        case 'rate-limit':
        case 'rate-limit-lasting':
          // The secondary limit's answer: a 403 naming it, with `retry-after`.
          if (on)
            await control('/faults', {
              user: INTEGRATION,
              status: 403,
              headers: { 'retry-after': '30' },
              body: {
                message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
                documentation_url: 'https://docs.github.com/rest',
              },
              times: kind === 'rate-limit-lasting' ? LASTING_FAULT : FAULTED_REQUESTS['rate-limit'],
            });
          else await clearFaults();
          return;
        case 'server-error':
          if (on)
            await control('/faults', {
              user: INTEGRATION,
              status: 502,
              body: { message: 'Server Error' },
              times: FAULTED_REQUESTS['server-error'],
            });
          else await clearFaults();
          return;
        case 'timeout':
          if (on) await control('/faults', { user: INTEGRATION, drop: true, times: FAULTED_REQUESTS.timeout });
          else await clearFaults();
          return;
        case 'outage':
          await control('/outage', { on }, 'PUT');
          return;
        case 'bad-credentials':
          // An admin revoked the integration's token (people sign in with their own).
          await control('/credentials', { integrationRevoked: on }, 'PUT');
          return;
      }
    },
    notifications: {
      async deliver() {
        sim().notifier.paused = false;
        await sim().notifier.flush();
        sim().notifier.paused = true;
      },
      duplicateLast() {
        // GitHub's redelivery: the same delivery again, under its GUID.
        const last = sim().notifier.deliveries.at(-1);
        if (last) sim().notifier.queue.push({ ...last, redelivery: true });
      },
      lose() {
        const n = sim().notifier.queue.length;
        sim().notifier.queue.length = 0;
        return n;
      },
    },
    async writesByCrosswalk() {
      const log = z
        .object({ writesByLogin: z.record(z.string(), z.number()) })
        .parse(await (await control('/log', undefined, 'GET')).json());
      return log.writesByLogin[INTEGRATION] ?? 0;
    },
    get format() {
      return bodyFormatsOf('github');
    },
    bodies: {
      description: (id) => withoutMarker(issue(id).body),
      async setDescription(id, body) {
        await ok('description', agent()('PATCH', `${REPO_PATH}/issues/${id}`, { body: keepMarker(id, body) }));
      },
      async comment(id, body) {
        await ok('comment', agent()('POST', `${REPO_PATH}/issues/${id}/comments`, { body }));
      },
      comments: (id) =>
        sim()
          .store.commentsOf(issue(id).id)
          .map((c) => c.body),
      async pasteImage(_id, fileName, bytes) {
        const res = await control('/assets', {
          name: fileName,
          contentType: 'image/png',
          base64: bytes.toString('base64'),
        });
        return z.object({ url: z.string() }).parse(await res.json()).url;
      },
      // GitHub's `@login` needs the connection's user table to pair a person: the model's mapping pairs none.
    },
  };
}
