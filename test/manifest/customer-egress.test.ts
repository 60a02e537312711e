/**
 * Customer-managed egress in manifest.yml (forge-platform.md §6): a customer's
 * own host (Azure DevOps Server, a ServiceNow instance on its own domain)
 * cannot be declared, so the manifest enables `permissions.external.configurable`
 * and a Jira admin approves the host at run time. Forge's validator accepts it,
 * and Forge's linter then reports a fetch to an undeclared host as a warning
 * (it may be approved later) rather than an error.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as yaml from 'yaml';
import { lintApp } from '../../scripts/forge-lint';
import { buildUi } from '../../scripts/build-ui';
import { implementedSystems } from '../../src/connectors/registry';

const root = path.resolve(__dirname, '../..');
const manifest = () => yaml.parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as Record<string, any>;

describe('customer-managed egress in manifest.yml', () => {
  beforeAll(async () => {
    await buildUi();
  }, 180_000);

  it('is enabled, next to the static egress of the hosts every customer shares', () => {
    expect(manifest().permissions.external.configurable).toEqual({ enabled: true });
    // Only systems a customer may host on its own domain ask for it.
    expect(
      implementedSystems()
        .filter((s) => s.customerHosts)
        .map((s) => s.kind)
        .sort(),
    ).toEqual(['azure-devops', 'servicenow']);
  });

  it("makes Forge's linter warn, not fail, about a fetch to a host the manifest does not list", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crosswalk-lint-'));
    try {
      for (const entry of ['src', 'static', 'tsconfig.json', 'package.json', 'manifest.yml'])
        cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
      writeFileSync(
        path.join(dir, 'src', 'stray.ts'),
        "import api from '@forge/api';\nexport const stray = () => api.fetch('https://devops.contoso.com/DefaultCollection');\n",
      );
      const index = path.join(dir, 'src', 'index.ts');
      writeFileSync(index, readFileSync(index, 'utf8') + "export { stray } from './stray';\n");
      const report = await lintApp(dir);
      expect(report.manifestErrors).toEqual([]);
      const about = report.problems.filter((p) => p.message.includes('devops.contoso.com'));
      expect(about.map((p) => p.severity)).toEqual(['warning']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
