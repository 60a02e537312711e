/**
 * Offline `forge lint`: the CLI needs a login, so we call @forge/lint's
 * client-side linters directly, with the Jira OpenAPI spec from ../shared/specs
 * instead of downloading it (forge-platform.md §6), and validate the manifest
 * with @forge/manifest's full validator.
 *
 * Usage: tsx scripts/forge-lint.ts [appDir]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as yaml from 'yaml';

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface LintReport {
  manifestErrors: string[];
  problems: LintProblem[];
}

const SPEC_CANDIDATES = [
  path.resolve(__dirname, '../../shared/specs/jira/swagger-v3.v3.json'),
  path.resolve(process.cwd(), '../shared/specs/jira/swagger-v3.v3.json'),
];

function configureLocalSwagger(): void {
  const jiraSpec = SPEC_CANDIDATES.find((p) => existsSync(p));
  if (!jiraSpec) throw new Error(`Jira OpenAPI spec not found; looked in ${SPEC_CANDIDATES.join(', ')}`);
  // Specs for products we do not call: an empty path list is enough for the linter.
  const empty = path.join(mkdtempSync(path.join(os.tmpdir(), 'forge-lint-')), 'empty-spec.json');
  writeFileSync(empty, JSON.stringify({ paths: {} }));
  Object.assign(process.env, {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: jiraSpec,
    LOCAL_JSM_SWAGGER: empty,
    LOCAL_JSW_SWAGGER: empty,
    LOCAL_CONF_SWAGGER: empty,
    LOCAL_CONF_V2_SWAGGER: empty,
    LOCAL_BB_SWAGGER: empty,
    FORGE_DISABLE_ANALYTICS: 'true',
  });
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|jsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const silentLogger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} };

export async function lintApp(appDir: string): Promise<LintReport> {
  configureLocalSwagger();
  const previousCwd = process.cwd();
  // The linters resolve tsconfig and handler files relative to the working directory, as the CLI does.
  process.chdir(appDir);
  try {
    const { validate } = await import('@forge/manifest');
    const { lint } = await import('@forge/lint');
    const validation = await validate(false, path.join(appDir, 'manifest.yml'));
    const manifestErrors = (validation.errors ?? []).map(
      (e) => `${e.message}${e.reference ? ` (${e.reference})` : ''}`,
    );
    const manifest = yaml.parse(readFileSync(path.join(appDir, 'manifest.yml'), 'utf8')) as object;
    const files = sourceFiles(path.join(appDir, 'src')).map((f) => path.relative(appDir, f));
    const statsig = { getDeprecatedRuntimes: async () => [] as string[] };
    const results = await lint(
      files,
      manifest as never,
      'development',
      silentLogger as never,
      statsig as never,
      {
        linter: { mode: 'client-side' },
      } as never,
    );
    const problems: LintProblem[] = results.flatMap((r) => [
      ...r.errors.map((e) => ({
        file: r.file,
        line: e.line,
        column: e.column,
        message: e.message,
        severity: 'error' as const,
      })),
      ...r.warnings.map((w) => ({
        file: r.file,
        line: w.line,
        column: w.column,
        message: w.message,
        severity: 'warning' as const,
      })),
    ]);
    return { manifestErrors, problems };
  } finally {
    process.chdir(previousCwd);
  }
}

if (require.main === module) {
  const appDir = path.resolve(process.argv[2] ?? '.');
  lintApp(appDir).then(
    (report) => {
      for (const e of report.manifestErrors) console.log(`manifest error: ${e}`);
      for (const p of report.problems) console.log(`${p.severity}: ${p.file}:${p.line}:${p.column} ${p.message}`);
      const errors = report.manifestErrors.length + report.problems.filter((p) => p.severity === 'error').length;
      console.log(errors ? `${errors} lint error(s)` : 'No lint errors');
      process.exitCode = errors ? 1 : 0;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
