#!/usr/bin/env node
// The CDK app: `npx cdk synth` (offline, no AWS account, no Docker) and `npx cdk deploy`.
// cdk-nag's AwsSolutions pack runs on every synth: an unsuppressed finding fails it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './cdk-nag.ts';
import { CongkhaiStack } from './congkhai-stack.ts';
import { stackConfigFromContext } from './stack-config.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = new App();
const config = stackConfigFromContext((key) => app.node.tryGetContext(key));

new CongkhaiStack(app, 'Congkhai', {
  config,
  projectRoot,
  description: 'congkhai: nightly public statistics of administrative-procedure dossiers',
  // Without credentials (offline synth) the account stays a CloudFormation pseudo parameter.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
