// How the Lambda handlers are packaged: esbuild on this machine (never Docker), one ESM file
// per function for Node 24, with DuckDB's native binding left out of the bundle and installed
// beside it for linux-arm64 when deploying.
//
// Why a switch: the arm64 binding (@duckdb/node-bindings-linux-arm64) has to come from the
// npm registry, so installing it needs the network. `npx cdk synth` must work offline on a
// fresh clone, so by default the bundle is built without it, and CloudFormation is given a
// parameter that refuses such a template at deploy time (see guardNativeBinding). Deploy with
// `-c congkhai:packageNativeModules=true` (README.md "Deploy to AWS") to install the binding.
import { readFileSync } from 'node:fs';
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

/** The DuckDB packages: a JS loader plus a per-platform `duckdb.node`. Never bundled. */
export const DUCKDB_EXTERNALS = ['@duckdb/node-api', '@duckdb/node-bindings'];

/** Version of @duckdb/node-api pinned in package.json, so the Lambda runs what the tests ran. */
export function duckDbVersion(packageJsonPath: string): string {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { dependencies?: Record<string, string> };
  const version = pkg.dependencies?.['@duckdb/node-api'];
  if (!version) throw new Error(`${packageJsonPath} has no @duckdb/node-api dependency`);
  return version.replace(/^[\^~]/, '');
}

/** The npm command that installs DuckDB for Lambda (linux, arm64, glibc) into the asset folder. */
export function duckDbInstallCommand(outputDir: string, version: string): string {
  return [
    'npm install',
    `--prefix "${outputDir}"`,
    '--no-save --no-package-lock --no-audit --no-fund --omit=dev --omit=optional',
    // Pick the package for the Lambda's platform, not for the machine that deploys.
    '--os=linux --cpu=arm64',
    `@duckdb/node-api@${version}`,
    `@duckdb/node-bindings@${version}`,
    `@duckdb/node-bindings-linux-arm64@${version}`,
  ].join(' ');
}

export interface LambdaBundlingProps {
  /** Install the linux-arm64 DuckDB binding into the asset (needs the npm registry). */
  packageNativeModules: boolean;
  /** Path of the project's package.json (for the pinned DuckDB version). */
  packageJsonPath: string;
  /** Files or folders copied beside the bundle (e.g. queries/): absolute source → asset-relative target. */
  copy?: ReadonlyArray<{ from: string; to: string }>;
}

export function lambdaBundling(props: LambdaBundlingProps): BundlingOptions {
  const version = duckDbVersion(props.packageJsonPath);
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: 'node24',
    mainFields: ['module', 'main'],
    // CommonJS dependencies (iconv-lite, csv-parse's cjs parts) call require() inside ESM.
    banner:
      "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    externalModules: DUCKDB_EXTERNALS,
    // Bundle the AWS SDK: the Lambda then runs exactly the SDK version the tests ran.
    bundleAwsSDK: true,
    sourceMap: true,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        ...(props.copy ?? []).map(({ from, to }) => `cp -R "${from}" "${outputDir}/${to}"`),
        ...(props.packageNativeModules ? [duckDbInstallCommand(outputDir, version)] : []),
      ],
    },
  };
}

/**
 * Without the native binding the functions would fail at their first import of DuckDB.
 * Such a template stays fine to synthesize and inspect, but CloudFormation refuses to deploy
 * it: the parameter's default is not one of its allowed values.
 */
export function guardNativeBinding(scope: Construct, packageNativeModules: boolean): void {
  if (packageNativeModules) return;
  const stack = Stack.of(scope);
  new CfnParameter(stack, 'DuckDbBindingPackaged', {
    type: 'String',
    default: 'no',
    allowedValues: ['yes'],
    description:
      'Synthesized without the linux-arm64 DuckDB binding: deploy with -c congkhai:packageNativeModules=true (README.md "Deploy to AWS").',
  });
  const reason =
    'Intended: this parameter exists only to make CloudFormation refuse a template without the DuckDB binding.';
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F2012', reason });
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::W2001', reason });
}
