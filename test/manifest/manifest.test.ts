import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as yaml from 'yaml';
import { EgressFilteringService } from '@forge/egress';
import { lintApp } from '../../scripts/forge-lint';
import { buildUi } from '../../scripts/build-ui';
import { implementedSystems } from '../../src/connectors/registry';
import { PAGERDUTY_HOST, SLACK_HOST, TEAMS_HOSTS } from '../../src/alerts/targets';
import { DEMO_SINKS } from '../../sandbox/sims/alert-sinks';

const root = path.resolve(__dirname, '../..');
const readManifest = () => yaml.parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as Record<string, any>;

/** A throwaway copy of the app whose manifest or code a test may break. */
function copyApp(mutate: (manifest: Record<string, any>, dir: string) => void): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crosswalk-lint-'));
  for (const entry of ['src', 'static', 'tsconfig.json', 'package.json'])
    cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  const manifest = readManifest();
  mutate(manifest, dir);
  writeFileSync(path.join(dir, 'manifest.yml'), yaml.stringify(manifest));
  return dir;
}

const errorsOf = (report: Awaited<ReturnType<typeof lintApp>>) => [
  ...report.manifestErrors,
  ...report.problems.filter((p) => p.severity === 'error').map((p) => p.message),
];

describe('manifest.yml', () => {
  beforeAll(async () => {
    await buildUi();
  }, 180_000);

  it('passes @forge/manifest validation and the offline client-side linters', async () => {
    const report = await lintApp(root);
    expect(errorsOf(report)).toEqual([]);
  }, 180_000);

  it('runs on a Node runtime Forge still deploys', () => {
    expect(['nodejs22.x', 'nodejs24.x']).toContain(readManifest().app.runtime.name);
  });

  it('declares the modules the product uses', () => {
    const { modules } = readManifest();
    expect(Object.keys(modules)).toEqual(
      expect.arrayContaining([
        'jira:projectSettingsPage',
        'jira:issuePanel',
        'trigger',
        'webtrigger',
        'scheduledTrigger',
        'consumer',
        'function',
      ]),
    );
    expect(modules.trigger[0].filter.ignoreSelf).toBe(true);
    expect(modules.scheduledTrigger[0].interval).toBe('fiveMinute');
  });

  it('fails lint when a scope the code needs is missing', async () => {
    const dir = copyApp((m) => {
      m.permissions.scopes = m.permissions.scopes.filter((s: string) => s !== 'read:jira-work');
    });
    try {
      expect(errorsOf(await lintApp(dir)).join('\n')).toMatch(/read:jira-work/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('fails lint when code fetches a host the manifest does not declare', async () => {
    // Without customer-managed egress; with it, Forge's linter only warns (customer-egress.test.ts).
    const dir = copyApp((m, d) => {
      m.permissions.external.configurable = { enabled: false };
      writeFileSync(
        path.join(d, 'src', 'stray.ts'),
        // A host no system of the registry names (every system's hosts are declared: see below).
        "import api from '@forge/api';\nexport const stray = () => api.fetch('https://collector.example.org/events');\n",
      );
      const index = path.join(d, 'src', 'index.ts');
      writeFileSync(index, readFileSync(index, 'utf8') + "export { stray } from './stray';\n");
    });
    try {
      expect(errorsOf(await lintApp(dir)).join('\n')).toMatch(/collector\.example\.org/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('declares egress for every remote system host a connection may use, https only', () => {
    const backend = (readManifest().permissions.external.fetch.backend as Array<{ address: string }>).map(
      (e) => e.address,
    );
    const egress = new EgressFilteringService(backend);
    for (const { kind: system, exampleUrls, hostPatterns } of implementedSystems()) {
      // The manifest is a declaration Forge needs; each registry entry's hosts are in it as the entry gives them.
      for (const host of hostPatterns)
        expect({ system, host, declared: backend.includes(host) }).toEqual({ system, host, declared: true });
      for (const url of exampleUrls)
        expect({ system, url, allowed: egress.isValidUrl(url) }).toEqual({ system, url, allowed: true });
    }
    expect(egress.isValidUrl('http://acme.service-now.com/')).toBe(false);
    expect(egress.isValidUrl('https://example.com/')).toBe(false);
  });

  it("declares the alert targets' hosts, and not a customer's own webhook receiver (a Jira admin approves that)", () => {
    const backend = (readManifest().permissions.external.fetch.backend as Array<{ address: string }>).map(
      (e) => e.address,
    );
    for (const host of [SLACK_HOST, ...TEAMS_HOSTS, PAGERDUTY_HOST]) expect(backend).toContain(host);
    const egress = new EgressFilteringService(backend);
    for (const url of [
      DEMO_SINKS.slackUrl,
      DEMO_SINKS.teamsUrl,
      DEMO_SINKS.teamsPowerPlatformUrl,
      DEMO_SINKS.pagerDutyUrl,
    ])
      // As validateTargetUrl stores it: Teams' URLs carry ":443", which Forge's egress filter does not match.
      expect({ url, allowed: egress.isValidUrl(new URL(url).href) }).toEqual({ url, allowed: true });
    expect(egress.isValidUrl(DEMO_SINKS.teamsUrl)).toBe(false);
    expect(egress.isValidUrl(DEMO_SINKS.webhookUrl)).toBe(false);
    // Microsoft retired the Office 365 connector webhooks; they are not declared.
    expect(egress.isValidUrl('https://acme.webhook.office.com/webhookb2/x')).toBe(false);
  });

  it("lets a Zendesk attachment download follow the redirect to Zendesk's content host, https only", () => {
    const egress = new EgressFilteringService(
      (readManifest().permissions.external.fetch.backend as Array<{ address: string }>).map((e) => e.address),
    );
    expect(egress.isValidUrl('https://acme.zdusercontent.com/attachments/token/abc/?name=receipt.pdf')).toBe(true);
    expect(egress.isValidUrl('http://acme.zdusercontent.com/attachments/token/abc/')).toBe(false);
    expect(egress.isValidUrl('https://zdusercontent.com.example.com/')).toBe(false);
  });
});
