// The `ingest` Lambda: extract → lake, the same core as `congkhai ingest`. Runs on every
// object created under landing/ (asynchronous: retried by Lambda, then parked in a DLQ) and
// from the nightly state machine, which asks it to pull from the province's HTTPS source
// (URL and credential in a Secrets Manager secret, validated by zod at run time).
import { join } from 'node:path';
import { Duration, SecretValue, Size } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';
import { LANDING_PREFIX } from './data-buckets.ts';
import { lambdaBundling } from './lambda-bundling.ts';
import {
  acknowledgeBucketObjects,
  acknowledgeLambdaBasics,
  acknowledgeS3GrantActions,
} from './nag-reasons.ts';

export interface IngestFunctionProps {
  projectRoot: string;
  landing: Bucket;
  lake: IBucket;
  alarmTopic: ITopic;
  packageNativeModules: boolean;
}

export class IngestFunction extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly pullSecret: Secret;
  readonly errorAlarm: Alarm;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the ingest function.' },
    ]);

    // Filled in by the operator (README.md "Deploy to AWS"); '{}' means "no scheduled pull".
    this.pullSecret = new Secret(this, 'PullSource', {
      description: 'congkhai: HTTPS extract source {url, headerName, headerValue, fileName?}',
      secretStringValue: SecretValue.unsafePlainText('{}'),
    });
    acknowledge(this.pullSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason: 'The credential is issued by the province source system; it is rotated by its owner there.',
      },
    ]);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });

    this.function = new NodejsFunction(this, 'Function', {
      description: 'congkhai ingest: extract (landing/ object or HTTPS pull) → Parquet in the lake',
      entry: join(props.projectRoot, 'functions/ingest/handler.ts'),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // DuckDB converts a 1M-row extract in seconds but wants memory and /tmp space.
      memorySize: 3008,
      ephemeralStorageSize: Size.gibibytes(4),
      timeout: Duration.minutes(15),
      logGroup,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      environment: {
        LAKE_BUCKET: props.lake.bucketName,
        LANDING_BUCKET: props.landing.bucketName,
        LANDING_PREFIX,
        PULL_SECRET_ID: this.pullSecret.secretArn,
        NODE_OPTIONS: '--enable-source-maps',
        // DuckDB wants a writable home directory; Lambda sets none.
        HOME: '/tmp',
      },
      bundling: lambdaBundling({
        packageNativeModules: props.packageNativeModules,
        packageJsonPath: join(props.projectRoot, 'package.json'),
      }),
    });

    // Least privilege: read the landing area, read/write the lake, read the pull secret.
    // Nothing on the public site bucket.
    props.landing.grantRead(this.function, `${LANDING_PREFIX}*`);
    props.lake.grantReadWrite(this.function);
    this.pullSecret.grantRead(this.function);

    this.function.addEventSource(
      new S3EventSource(props.landing, {
        events: [EventType.OBJECT_CREATED],
        filters: [{ prefix: LANDING_PREFIX }],
      }),
    );

    this.errorAlarm = new Alarm(this, 'ErrorAlarm', {
      alarmDescription: 'congkhai ingest failed (an extract was refused or the function crashed)',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    const deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'congkhai ingest gave up on an S3 event (see the dead-letter queue)',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));

    acknowledgeLambdaBasics(this.function);
    acknowledgeS3GrantActions(this.function);
    acknowledgeBucketObjects(
      this.function,
      props.landing,
      `${LANDING_PREFIX}*`,
      'Extracts can have any name under landing/; read only.',
    );
    acknowledgeBucketObjects(
      this.function,
      props.lake,
      '*',
      'The ingest function writes the lake: dossiers/, quarantine/ and ingest_log/ parts of any snapshot date.',
    );
  }
}
