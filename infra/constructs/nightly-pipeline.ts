// The nightly run: EventBridge Scheduler at 02:00 Viet Nam time starts a state machine that
// pulls and ingests the night's extract, publishes the KPI tables, then rebuilds the site.
// Any step that still fails after its retries sends a message to the alerts topic.
import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IProject } from 'aws-cdk-lib/aws-codebuild';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  DefinitionBody,
  Errors,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  StateMachine,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CodeBuildStartBuild, LambdaInvoke, SnsPublish } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EXTRACT_REFUSED_ERROR } from '../../functions/core/cloud/extract-refused-error.ts';
import { acknowledge } from '../cdk-nag.ts';
import { logicalIdOf } from './nag-reasons.ts';

export interface NightlyPipelineProps {
  ingest: IFunction;
  publish: IFunction;
  siteBuild: IProject;
  alarmTopic: ITopic;
}

export class NightlyPipeline extends Construct {
  readonly stateMachine: StateMachine;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: NightlyPipelineProps) {
    super(scope, id);

    const notifyFailure = new SnsPublish(this, 'NotifyFailure', {
      topic: props.alarmTopic,
      subject: 'congkhai: nightly run failed',
      message: TaskInput.fromObject({
        execution: JsonPath.executionId,
        error: JsonPath.stringAt('$.failure.Error'),
        cause: JsonPath.stringAt('$.failure.Cause'),
      }),
    }).next(
      new Fail(this, 'Failed', { comment: 'A step failed after its retries; the alerts topic was told.' }),
    );

    const ingest = new LambdaInvoke(this, 'Ingest', {
      comment: 'Pull the configured HTTPS extract and ingest it into the lake',
      lambdaFunction: props.ingest,
      payload: TaskInput.fromObject({ source: 'schedule' }),
      resultSelector: { 'ingest.$': '$.Payload' },
      resultPath: '$.ingest',
    });
    // An unreadable extract stays unreadable: no retry. Anything else (network, throttling): retry.
    ingest.addRetry({ errors: [EXTRACT_REFUSED_ERROR], maxAttempts: 0 });
    ingest.addRetry({ errors: [Errors.ALL], maxAttempts: 2, interval: Duration.minutes(1), backoffRate: 2 });

    const publish = new LambdaInvoke(this, 'Publish', {
      comment: 'Run the KPI queries on Athena and publish a new dated data version',
      lambdaFunction: props.publish,
      payload: TaskInput.fromObject({ source: 'schedule' }),
      resultSelector: { 'publish.$': '$.Payload' },
      resultPath: '$.publish',
    });
    publish.addRetry({ errors: [Errors.ALL], maxAttempts: 2, interval: Duration.minutes(2), backoffRate: 2 });

    const buildSite = new CodeBuildStartBuild(this, 'BuildSite', {
      comment: 'Build the site on the new data, sync it, invalidate CloudFront',
      project: props.siteBuild,
      integrationPattern: IntegrationPattern.RUN_JOB,
      resultPath: JsonPath.DISCARD,
    });
    buildSite.addRetry({ errors: [Errors.ALL], maxAttempts: 1, interval: Duration.minutes(5) });

    for (const step of [ingest, publish, buildSite]) {
      step.addCatch(notifyFailure, { errors: [Errors.ALL], resultPath: '$.failure' });
    }

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'congkhai nightly: ingest → publish → site build',
      definitionBody: DefinitionBody.fromChainable(ingest.next(publish).next(buildSite)),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }),
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });

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
    ]);

    this.schedule = new Schedule(this, 'Nightly', {
      description: 'congkhai: every night at 02:00 Viet Nam time',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.ASIA_HO_CHI_MINH }),
      target: new StepFunctionsStartExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        retryAttempts: 2,
      }),
    });
  }
}
