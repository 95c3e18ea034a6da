// `npx cdk synth` as a fresh clone runs it: no AWS account or credentials, no Docker. The
// Lambda code is bundled by the local esbuild; cdk-nag runs inside the app and fails the
// synth on any unacknowledged finding.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { duckDbInstallCommand, lambdaBundling } from '../../infra/constructs/lambda-bundling.ts';
import { PROJECT_ROOT, TEST_ALERT_EMAIL } from './synth-stack.ts';

const out = await mkdtemp(join(tmpdir(), 'congkhai-cdk-out-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/** The environment without any AWS setting, so that nothing can reach an account. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')),
  );
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    DOCKER_HOST: 'unix:///nonexistent',
  };
}

const synth = (...args: string[]) =>
  spawnSync('npx', ['cdk', 'synth', '-q', '--no-notices', '-o', out, ...args], {
    cwd: PROJECT_ROOT,
    env: offlineEnv(),
    encoding: 'utf8',
    timeout: 180_000,
  });

describe('npx cdk synth', () => {
  const run = synth('-c', `congkhai:alertEmail=${TEST_ALERT_EMAIL}`);

  it('succeeds without credentials or Docker', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  it('refuses to synthesize without an alert address, saying which setting is missing', () => {
    const refused = synth();
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('congkhai:alertEmail: required');
  });

  it('bundles the three handlers (ingest, publish, bulk-load) as ESM with DuckDB left for the native install', async () => {
    const template = JSON.parse(await readFile(join(out, 'Congkhai.template.json'), 'utf8'));
    const functions = Object.values(
      template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>,
    )
      .filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path']?.startsWith('asset.'),
      )
      .map((r) => r.Metadata!['aws:asset:path']!);
    const bundles: string[] = [];
    for (const asset of functions) {
      const files = await readdir(join(out, asset));
      if (!files.includes('index.mjs')) continue;
      bundles.push(asset);
      const code = await readFile(join(out, asset, 'index.mjs'), 'utf8');
      expect(code).toMatch(/from\s*["']@duckdb\/node-api["']/);
      expect(code).not.toContain('duckdb.node');
    }
    expect(bundles).toHaveLength(3);
    // The publish and bulk-load bundles carry the SQL of queries/ (publish also the province's config).
    const withQueries = [];
    for (const asset of bundles) {
      const files = await readdir(join(out, asset));
      if (files.includes('queries')) {
        withQueries.push(asset);
        // Every .sql file, shared relations included, at the same relative path.
        const sqlFiles = async (dir: string) =>
          (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.sql')).sort();
        const shipped = await sqlFiles(join(out, asset, 'queries'));
        expect(shipped).toEqual(await sqlFiles(join(PROJECT_ROOT, 'queries')));
        expect(shipped).toContain(join('shared', 'dossier_events.sql'));
      }
    }
    expect(withQueries).toHaveLength(2);
  });
});

describe('DuckDB for Lambda', () => {
  it('installs the linux-arm64 binding at the pinned version only when asked', () => {
    const pkg = join(PROJECT_ROOT, 'package.json');
    const off = lambdaBundling({ packageNativeModules: false, packageJsonPath: pkg });
    const on = lambdaBundling({ packageNativeModules: true, packageJsonPath: pkg });
    expect(off.commandHooks!.afterBundling('/in', '/out')).toEqual([]);
    const [command] = on.commandHooks!.afterBundling('/in', '/out');
    expect(command).toBe(duckDbInstallCommand('/out', '1.5.6-r.1'));
    expect(command).toContain('--os=linux --cpu=arm64');
    expect(command).toContain('@duckdb/node-bindings-linux-arm64@1.5.6-r.1');
    expect(off.forceDockerBundling).toBe(false);
  });
});
