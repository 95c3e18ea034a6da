// The congkhai stack only wires the constructs together; each concern lives in its own
// construct under infra/constructs/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alerts } from './constructs/alerts.ts';
import { BulkLoadFunction } from './constructs/bulk-load-function.ts';
import { CostBudget } from './constructs/cost-budget.ts';
import { DataBuckets } from './constructs/data-buckets.ts';
import { IngestFunction } from './constructs/ingest-function.ts';
import { LakeCatalog } from './constructs/lake-catalog.ts';
import { guardNativeBinding } from './constructs/lambda-bundling.ts';
import { acknowledgeCdkInternals } from './constructs/nag-reasons.ts';
import { NightlyPipeline } from './constructs/nightly-pipeline.ts';
import { PublishFunction } from './constructs/publish-function.ts';
import { SiteBuild, trustedInstallScripts } from './constructs/site-build.ts';
import { SiteDistribution } from './constructs/site-distribution.ts';
import type { StackConfig } from './stack-config.ts';

export interface CongkhaiStackProps extends StackProps {
  config: StackConfig;
  /** The repository root (entry points, package.json, the site sources). */
  projectRoot: string;
}

export class CongkhaiStack extends Stack {
  readonly buckets: DataBuckets;
  readonly catalog: LakeCatalog;
  readonly ingest: IngestFunction;
  readonly publish: PublishFunction;
  readonly bulkLoad: BulkLoadFunction;
  readonly cdn: SiteDistribution;
  readonly siteBuild: SiteBuild;
  readonly pipeline: NightlyPipeline;
  readonly alerts: Alerts;
  readonly budget: CostBudget;

  constructor(scope: Construct, id: string, props: CongkhaiStackProps) {
    super(scope, id, props);
    const { config, projectRoot } = props;
    guardNativeBinding(this, config.packageNativeModules);

    const alerts = new Alerts(this, 'Alerts', { email: config.alertEmail });
    this.alerts = alerts;
    this.budget = new CostBudget(this, 'Budget', { alerts, monthlyUsd: config.monthlyBudgetUsd });
    this.buckets = new DataBuckets(this, 'Buckets', {
      landingRetentionDays: config.landingRetentionDays,
      noncurrentVersionDays: config.noncurrentVersionDays,
    });
    this.catalog = new LakeCatalog(this, 'Catalog', {
      lake: this.buckets.lake,
      athenaResults: this.buckets.athenaResults,
      databaseName: config.databaseName,
      workGroupName: config.workGroupName,
      projectionStart: config.lakeStartDate,
      bytesScannedCutoffPerQuery: config.bytesScannedCutoffPerQuery,
    });
    this.ingest = new IngestFunction(this, 'Ingest', {
      projectRoot,
      landing: this.buckets.landing,
      lake: this.buckets.lake,
      alerts,
      packageNativeModules: config.packageNativeModules,
      maxExtractBytes: config.maxExtractBytes,
    });
    this.publish = new PublishFunction(this, 'Publish', {
      projectRoot,
      lake: this.buckets.lake,
      site: this.buckets.site,
      catalog: this.catalog,
      packageNativeModules: config.packageNativeModules,
    });
    this.bulkLoad = new BulkLoadFunction(this, 'BulkLoad', {
      projectRoot,
      landing: this.buckets.landing,
      lake: this.buckets.lake,
      catalog: this.catalog,
      alerts,
      packageNativeModules: config.packageNativeModules,
    });
    this.cdn = new SiteDistribution(this, 'Cdn', { site: this.buckets.site, logs: this.buckets.logs });
    this.siteBuild = new SiteBuild(this, 'SiteBuild', {
      projectRoot,
      site: this.buckets.site,
      distribution: this.cdn.distribution,
      trustedScripts: trustedInstallScripts(
        JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as Record<string, never>,
      ),
    });
    this.pipeline = new NightlyPipeline(this, 'Nightly', {
      ingest: this.ingest.function,
      publish: this.publish.function,
      siteBuild: this.siteBuild.project,
      alerts,
      ingestTimeout: IngestFunction.TIMEOUT,
      publishTimeout: PublishFunction.TIMEOUT,
      // A build may first wait in the queue (one build at a time), then run.
      siteBuildTimeout: Duration.seconds(
        SiteBuild.TIMEOUT.toSeconds() + SiteBuild.QUEUED_TIMEOUT.toSeconds(),
      ),
    });

    new CfnOutput(this, 'LandingBucket', {
      value: this.buckets.landing.bucketName,
      description: 'Drop extracts under landing/ in this bucket',
    });
    new CfnOutput(this, 'PullSecret', {
      value: this.ingest.pullSecret.secretName,
      description: 'Put the HTTPS pull source here (README.md "Deploy to AWS")',
    });
    new CfnOutput(this, 'SiteUrl', { value: `https://${this.cdn.distribution.distributionDomainName}/` });
    new CfnOutput(this, 'StateMachine', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlertsTopic', {
      value: alerts.topic.topicArn,
      description: 'Every alarm and failed run is published here (subscribe an on-call tool to page a phone)',
    });
    new CfnOutput(this, 'PublishFunction', { value: this.publish.function.functionName });
    new CfnOutput(this, 'BulkLoadFunction', {
      value: this.bulkLoad.function.functionName,
      description:
        'Invoke with {"landing": "s3://<landing bucket>/landing/<file or folder/>"} for an extract too big for ingest',
    });
    new CfnOutput(this, 'ScheduleDeadLetters', { value: this.pipeline.scheduleDeadLetters.queueUrl });

    acknowledgeCdkInternals(this);
  }
}
