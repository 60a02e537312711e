/**
 * `npm start`: builds the Custom UI if needed, starts the sandbox with durable
 * storage in .sandbox-data/, and prints where everything is.
 * `npm start -- --json` prints one JSON line with every URL first.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildUi } from '../scripts/build-ui';
import { startSandbox } from './sandbox';
import { DEMO_SINKS } from './sims/alert-sinks';
import { seedDemo } from './demo/seed';
import { systemFor } from '../src/connectors/registry';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const root = path.resolve(__dirname, '..');
  const log = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');

  const missing = ['settings', 'issue-panel', 'admin'].some(
    (p) => !existsSync(path.join(root, 'static', p, 'build', 'index.html')),
  );
  if (missing) {
    log('Building the Custom UI…');
    await buildUi();
  }
  const dataDir = path.join(root, '.sandbox-data');
  // The simulators start from their seed every time, so stored links would point at items that no longer exist.
  if (!process.argv.includes('--keep-data') && existsSync(dataDir)) {
    log('Starting from a fresh demo site (pass --keep-data to keep .sandbox-data).');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const sandbox = await startSandbox({ port: portArg ? Number(portArg.slice(7)) : 8480, dataDir });
  // A few issues already in sync, so the panels show something at once (not with --keep-data, whose issues are there already; --empty skips it).
  const seeded =
    process.argv.includes('--keep-data') || process.argv.includes('--empty') ? [] : await seedDemo(sandbox, log);
  const summary = {
    host: sandbox.hostUrl,
    platform: sandbox.platformUrl,
    installationId: sandbox.installationId,
    sims: sandbox.sims,
    alertSinks: { baseUrl: sandbox.alertSinks.baseUrl, controlUrl: sandbox.alertSinks.controlUrl, urls: DEMO_SINKS },
    users: sandbox.users.map((u) => ({
      name: u.displayName,
      role: u.role,
      email: u.email,
      apiToken: u.apiToken,
      accountId: u.accountId,
    })),
  };
  if (json) process.stdout.write(JSON.stringify(summary) + '\n');
  log('');
  log(`Crosswalk sandbox is up.`);
  log(`  Jira-like site:   ${sandbox.hostUrl}`);
  log(`  Project settings: ${sandbox.hostUrl}/projects/DEMO/settings/crosswalk`);
  log(`  An issue:         ${sandbox.hostUrl}/browse/DEMO-1`);
  if (seeded.length) log(`  Already in sync:  ${seeded.map((k) => `${sandbox.hostUrl}/browse/${k}`).join('  ')}`);
  log(
    '  On an issue page: edit, move, comment (public or internal), attach; "Linked items" opens the remote item in its simulator’s web view, where you can edit, comment and attach as its demo agent.',
  );
  log(`  Forge platform:   ${sandbox.platformUrl}`);
  log(`  Jira simulator:   ${sandbox.sims.jira.baseUrl} (control API ${sandbox.sims.jira.controlUrl})`);
  for (const [kind, sim] of Object.entries(sandbox.remotes)) {
    const label = `${systemFor(kind)?.label ?? kind}:`;
    log(`  ${label.padEnd(17)} ${sim.instanceUrl} → ${sim.baseUrl} (control API ${sim.controlUrl})`);
  }
  log(
    `  Alert sinks:      Slack, Teams, PagerDuty, alerts.acme.example → ${sandbox.alertSinks.baseUrl} (control API ${sandbox.alertSinks.controlUrl}, what arrived at /received)`,
  );
  log('  Users (switch at the top right of the page; Basic auth email:apiToken for the Jira API):');
  for (const u of sandbox.users) log(`    ${u.displayName.padEnd(14)} ${u.role.padEnd(13)} ${u.email}:${u.apiToken}`);
  log('Press Ctrl+C to stop.');

  const stop = () => {
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
