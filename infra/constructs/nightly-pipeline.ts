// The nightly run: EventBridge Scheduler at 02:00 Viet Nam time starts a state machine that
// pulls and ingests the night's extract, publishes the KPI tables, then rebuilds the site.
// Any step that still fails after its retries sends a message to the alerts topic; alarms
// page on failed, timed-out and aborted runs and on a day without a successful run.
import { Duration, TimeZone } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IProject } from 'aws-cdk-lib/aws-codebuild';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  DefinitionBody,
  Errors,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CodeBuildStartBuild, LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { QUERY_REFUSED_ERROR } from '../../functions/core/cloud/athena-errors.ts';
import { EXTRACT_REFUSED_ERROR } from '../../functions/core/cloud/extract-refused-error.ts';
import { acknowledge } from '../cdk-nag.ts';
import type { Alerts } from './alerts.ts';
import { logicalIdOf } from './nag-reasons.ts';
import { runTimeout, type StepLimit, type StepRetry } from './retry-budget.ts';

export interface NightlyPipelineProps {
  ingest: IFunction;
  publish: IFunction;
  siteBuild: IProject;
  alerts: Alerts;
  /** Longest one attempt of each step may run (the function's or the build's own limits). */
  ingestTimeout: Duration;
  publishTimeout: Duration;
  siteBuildTimeout: Duration;
}

/** Slack above a function's own timeout before Step Functions gives up on an attempt. */
const INVOKE_SLACK = Duration.minutes(1);
const plus = (a: Duration, b: Duration) => Duration.seconds(a.toSeconds() + b.toSeconds());

/** The retries of each step; the run timeout is computed from them (retry-budget.ts). */
export const RETRIES = {
  ingest: { maxAttempts: 2, interval: Duration.minutes(1), backoffRate: 2 },
  publish: { maxAttempts: 2, interval: Duration.minutes(2), backoffRate: 2 },
  siteBuild: { maxAttempts: 1, interval: Duration.minutes(5), backoffRate: 1 },
} satisfies Record<string, StepRetry>;
const NOTIFY_TIMEOUT = Duration.minutes(1);

/** A night without a successful run for this long pages the operator. */
export const NO_SUCCESS_WINDOW_HOURS = 26;

export class NightlyPipeline extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedule: Schedule;
  readonly scheduleDeadLetters: Queue;
  /** Every step's worst case, from which the run timeout is computed. */
  readonly steps: readonly StepLimit[];

  constructor(scope: Construct, id: string, props: NightlyPipelineProps) {
    super(scope, id);

    const ingestLimit = { attemptTimeout: plus(props.ingestTimeout, INVOKE_SLACK), retry: RETRIES.ingest };
    const publishLimit = { attemptTimeout: plus(props.publishTimeout, INVOKE_SLACK), retry: RETRIES.publish };
    const siteLimit = { attemptTimeout: props.siteBuildTimeout, retry: RETRIES.siteBuild };
    this.steps = [ingestLimit, publishLimit, siteLimit, { attemptTimeout: NOTIFY_TIMEOUT }];

    const notifyFailure = new SnsPublish(this, 'NotifyFailure', {
      topic: props.alerts.topic,
      subject: 'congkhai: nightly run failed',
      message: TaskInput.fromObject({
        execution: JsonPath.executionId,
        error: JsonPath.stringAt('$.failure.Error'),
        cause: JsonPath.stringAt('$.failure.Cause'),
      }),
      taskTimeout: Timeout.duration(NOTIFY_TIMEOUT),
    }).next(
      new Fail(this, 'Failed', { comment: 'A step failed after its retries; the alerts topic was told.' }),
    );

    const ingest = new LambdaInvoke(this, 'Ingest', {
      comment: 'Pull the configured HTTPS extract and ingest it into the lake',
      lambdaFunction: props.ingest,
      payload: TaskInput.fromObject({ source: 'schedule' }),
      resultSelector: { 'ingest.$': '$.Payload' },
      resultPath: '$.ingest',
      taskTimeout: Timeout.duration(ingestLimit.attemptTimeout),
      // The catch-all retrier below covers Lambda's service errors too; one retry policy,
      // so that the budget is what the definition says.
      retryOnServiceExceptions: false,
    });
    // An unreadable extract stays unreadable: no retry. Anything else (network, throttling): retry.
    ingest.addRetry({ errors: [EXTRACT_REFUSED_ERROR], maxAttempts: 0 });
    ingest.addRetry({ errors: [Errors.ALL], ...RETRIES.ingest });

    const publish = new LambdaInvoke(this, 'Publish', {
      comment: 'Run the KPI queries on Athena and publish a new dated data version',
      lambdaFunction: props.publish,
      payload: TaskInput.fromObject({ source: 'schedule' }),
      resultSelector: { 'publish.$': '$.Payload' },
      resultPath: '$.publish',
      taskTimeout: Timeout.duration(publishLimit.attemptTimeout),
      retryOnServiceExceptions: false,
    });
    // A query Athena refused (SQL error, bytes-scanned cutoff) fails the same way again.
    publish.addRetry({ errors: [QUERY_REFUSED_ERROR], maxAttempts: 0 });
    publish.addRetry({ errors: [Errors.ALL], ...RETRIES.publish });

    const buildSite = new CodeBuildStartBuild(this, 'BuildSite', {
      comment: 'Build the site on the new data, sync it, invalidate CloudFront',
      project: props.siteBuild,
      integrationPattern: IntegrationPattern.RUN_JOB,
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(siteLimit.attemptTimeout),
    });
    buildSite.addRetry({ errors: [Errors.ALL], ...RETRIES.siteBuild });

    for (const step of [ingest, publish, buildSite]) {
      step.addCatch(notifyFailure, { errors: [Errors.ALL], resultPath: '$.failure' });
    }

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'congkhai nightly: ingest → publish → site build',
      definitionBody: DefinitionBody.fromChainable(ingest.next(publish).next(buildSite)),
      // Above the worst case of every retry (retry-budget.ts): a run is never cut short
      // while a step still has attempts left.
      timeout: runTimeout(this.steps),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    // SnsPublish grants sns:Publish only; the topic is encrypted, so the key too.
    props.alerts.grantPublish(this.stateMachine);

    acknowledge(this.stateMachine, [
      ...[props.ingest, props.publish].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason: 'Invoking a function includes its versions and aliases (CDK LambdaInvoke grant).',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords and the CloudWatch Logs delivery actions take no resource.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'What AWS documents for publishing to an SSE-KMS encrypted SNS topic (kms:GenerateDataKey* with kms:Decrypt); the statement names only the alerts key.',
      },
    ]);

    // Alarms: a run that failed, timed out or was stopped, and a day without a success (the
    // schedule did not fire, a run hangs, or nothing started at all).
    const period = Duration.minutes(5);
    props.alerts.alarm(this, 'RunFailedAlarm', {
      description: 'congkhai nightly run failed (see the execution in Step Functions)',
      metric: this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
    });
    props.alerts.alarm(this, 'RunTimedOutAlarm', {
      description: 'congkhai nightly run timed out',
      metric: this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
    });
    props.alerts.alarm(this, 'RunAbortedAlarm', {
      description: 'congkhai nightly run was aborted (stopped by hand or by a redeploy)',
      metric: this.stateMachine.metricAborted({ period, statistic: 'Sum' }),
    });
    props.alerts.alarm(this, 'NoSuccessAlarm', {
      description: `congkhai: no successful nightly run in ${NO_SUCCESS_WINDOW_HOURS} hours`,
      metric: this.stateMachine.metricSucceeded({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: NO_SUCCESS_WINDOW_HOURS,
      // No run at all reports no data: that is the failure this alarm is for.
      treatMissingData: TreatMissingData.BREACHING,
    });

    // A start the scheduler could not deliver (after its retries) is kept here and pages.
    this.scheduleDeadLetters = props.alerts.deadLetterQueue(
      this,
      { queue: 'ScheduleDeadLetters', alarm: 'ScheduleDeadLetterAlarm' },
      {
        of: 'the nightly schedule',
        alarmDescription:
          'congkhai: the scheduler could not start the nightly run (see its dead-letter queue)',
      },
    );

    this.schedule = new Schedule(this, 'Nightly', {
      description: 'congkhai: every night at 02:00 Viet Nam time',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.ASIA_HO_CHI_MINH }),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        retryAttempts: 2,
        deadLetterQueue: this.scheduleDeadLetters,
      }),
    });
  }
}
