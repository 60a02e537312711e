/**
 * One manual-clock sandbox with every system the registry implements paired to its demo project, driven through
 * the model's adapters (test/model/adapters.ts): for tests that must hold for every system, iterating the registry.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems, type SystemDefinition } from '../../src/connectors/registry';
import type { RemoteAdapter } from '../model/adapter';
import { ADAPTERS } from '../model/adapters';

export interface PairedSystem {
  system: SystemDefinition;
  remote: RemoteAdapter;
  project: { id: string; key: string };
  /** Who administers the project in Jira (its Administrators role), as the Jira client names people. */
  person: { as: 'admin' | 'project-lead' };
}

export interface EverySystem {
  sandbox: Sandbox;
  jira: ReturnType<Sandbox['jiraClient']>;
  paired: PairedSystem[];
  /** Delivers every remote's notifications and works until nothing more happens. */
  quiet(): Promise<void>;
  /** The issue panel's answer for an issue, as the site admin sees it. */
  panel(issueId: string, projectId: string): Promise<PanelAnswer>;
  /** The settings page's resolver, as the project's admin calls it. */
  settings(p: PairedSystem, functionKey: string, payload: unknown): Promise<ResolverAnswer>;
  /** The project's connection: its id and its settings as the page edits them (without what the server keeps). */
  connectionOf(p: PairedSystem): Promise<{ id: string; config: Record<string, any> }>;
  /** Each paired project's admin adds these of the site's issue types to the project's issue type scheme. */
  addIssueTypes(types: readonly string[]): Promise<void>;
  /** An issue made in Jira by the project's admin (with any more `fields`) and its remote item once synced. */
  pairedIssue(
    p: PairedSystem,
    summary: string,
    fields?: Record<string, unknown>,
  ): Promise<{ id: string; key: string; remoteId: string }>;
}

export interface ResolverAnswer {
  ok: boolean;
  data?: any;
  error?: { message: string; problems?: unknown };
}

export interface PanelAnswer {
  linked: boolean;
  reason?: string;
  problems?: Array<{ part: string; kind: string; message: string }>;
  lastError?: { kind: string; message: string } | null;
}

/** `only`: one system alone, where a test needs the app's every run to be about that system (crash positions). */
export async function startEverySystem(opts: { only?: string } = {}): Promise<EverySystem> {
  const sandbox = await startSandbox({
    clock: 'manual',
    scheduleTriggers: false,
    ...(opts.only ? { pair: [opts.only] } : {}),
  });
  await sandbox.settle();
  const jira = sandbox.jiraClient();
  const paired: PairedSystem[] = [];
  for (const system of implementedSystems().filter((s) => !opts.only || s.kind === opts.only)) {
    const adapter = ADAPTERS[system.kind];
    if (!adapter) throw new Error(`${system.label} has no model adapter (test/model/adapters.ts)`);
    const remote = adapter();
    await remote.setup(sandbox);
    const project = sandbox.jira.site.state.projects.find((p) => p.key === remote.projectKey)!;
    const adminId = project.roles.Administrators[0]!;
    const role = sandbox.jira.site.state.users.find((u) => u.accountId === adminId)!.role;
    if (role !== 'admin' && role !== 'project-lead') throw new Error(`${project.key} is administered by a ${role}`);
    paired.push({ system, remote, project: { id: project.id, key: project.key }, person: { as: role } });
  }
  const settings = async (p: PairedSystem, functionKey: string, payload: unknown): Promise<ResolverAnswer> => {
    const answer = (await sandbox.platform.invokeResolver({
      installationId: sandbox.installationId,
      moduleKey: 'crosswalk-settings',
      functionKey,
      payload,
      accountId: jira.userId(p.person.as),
      context: { extension: { type: 'jira:projectSettingsPage', project: p.project } },
    })) as { body: ResolverAnswer };
    return answer.body;
  };
  const quiet = async () => {
    for (let round = 0; round < 20; round++) {
      const before = sandbox.platform.meter.invocations().length;
      for (const p of paired) await p.remote.notifications.deliver();
      await sandbox.platform.settle();
      if (sandbox.platform.meter.invocations().length === before) return;
    }
    throw new Error('The sandbox did not become quiet');
  };
  return {
    sandbox,
    jira,
    paired,
    quiet,
    async panel(issueId, projectId) {
      const answer = (await sandbox.platform.invokeResolver({
        installationId: sandbox.installationId,
        moduleKey: 'crosswalk-panel',
        functionKey: 'getIssueSync',
        accountId: jira.userId('admin'),
        context: { extension: { issue: { id: issueId }, project: { id: projectId } } },
      })) as { body: { data: PanelAnswer } };
      return answer.body.data;
    },
    settings,
    async addIssueTypes(types) {
      for (const p of paired)
        for (const type of types) {
          const added = await fetch(`${sandbox.sims.jira.controlUrl}/projects/${p.project.key}/issue-types/${type}`, {
            method: 'PUT',
          });
          if (!added.ok) throw new Error(`${p.project.key} did not take ${type}: ${await added.text()}`);
        }
    },
    async connectionOf(p) {
      const listed = await settings(p, 'listConnections', {});
      const { id, jiraProjectId: _project, credentialRev: _rev, ...config } = listed.data.connections[0].config;
      return { id: id as string, config };
    },
    async pairedIssue(p, summary, fields = {}) {
      sandbox.platform.manualClock.advance(1000);
      const created = await jira.request(p.person, 'POST', '/rest/api/3/issue', {
        fields: { project: { key: p.project.key }, issuetype: { name: 'Task' }, summary, ...fields },
      });
      if (created.status !== 201) throw new Error(`Could not create an issue in ${p.project.key}: ${created.text}`);
      await quiet();
      const remoteId = p.remote.remotesForIssue(created.json.id)[0];
      if (!remoteId) throw new Error(`${created.json.key} did not reach ${p.system.label}`);
      return { id: created.json.id as string, key: created.json.key as string, remoteId };
    },
  };
}
