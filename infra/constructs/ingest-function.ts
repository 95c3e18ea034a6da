// The `ingest` Lambda: extract → lake, the same core as `congkhai ingest`. Runs on every
// object created under landing/ (asynchronous: retried by Lambda, then parked in a DLQ) and
// from the nightly state machine, which asks it to pull from the province's HTTPS source
// (URL and credential in a Secrets Manager secret, validated by zod at run time).
import { join } from 'node:path';
import { Duration, SecretValue, Size } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DOSSIERS_PREFIX,
  INGEST_LOG_PREFIX,
  QUARANTINE_PREFIX,
  REGISTRY_PREFIX,
} from '../../functions/core/lake-layout.ts';
import { acknowledge } from '../cdk-nag.ts';
import type { Alerts } from './alerts.ts';
import { LANDING_PREFIX, PULLED_PREFIX } from './data-buckets.ts';
import { lambdaBundling } from './lambda-bundling.ts';
import { nodeFunctionBase } from './node-function.ts';
import { allowBucket, allowObjects } from './s3-access.ts';

/** What ingest writes in the lake (functions/core/lake-layout.ts), each a folder. */
export const INGEST_LAKE_PREFIXES = [
  DOSSIERS_PREFIX,
  QUARANTINE_PREFIX,
  INGEST_LOG_PREFIX,
  REGISTRY_PREFIX,
].map((p) => `${p}/`);

export interface IngestFunctionProps {
  projectRoot: string;
  landing: Bucket;
  lake: IBucket;
  alerts: Alerts;
  packageNativeModules: boolean;
  /** Largest extract (bytes) downloaded from the pull source or from landing/. */
  maxExtractBytes: number;
}

export class IngestFunction extends Construct {
  readonly function: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly pullSecret: Secret;
  readonly errorAlarm: Alarm;
  /** Lambda's own timeout: the state machine's retry budget is computed from it. */
  static readonly TIMEOUT = Duration.minutes(15);

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);

    this.deadLetterQueue = props.alerts.deadLetterQueue(
      this,
      { queue: 'DeadLetters', alarm: 'DeadLetterAlarm' },
      {
        of: 'the ingest function',
        alarmDescription: 'congkhai ingest gave up on an S3 event (see the dead-letter queue)',
      },
    );

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

    // The shared Lambda base; the role's logical id reads IngestFunctionServiceRole…
    const { role, props: base } = nodeFunctionBase(this, {
      projectRoot: props.projectRoot,
      entry: 'functions/ingest/handler.ts',
      roleDescription: 'congkhai ingest function',
    });

    this.function = new NodejsFunction(this, 'Function', {
      ...base,
      description: 'congkhai ingest: extract (landing/ object or HTTPS pull) → Parquet in the lake',
      // DuckDB converts a 1M-row extract in seconds but wants memory and /tmp space.
      memorySize: 3008,
      ephemeralStorageSize: Size.gibibytes(4),
      timeout: IngestFunction.TIMEOUT,
      // A burst of dropped files (or a replay) is ingested two at a time, not all at once.
      reservedConcurrentExecutions: 2,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      environment: {
        LAKE_BUCKET: props.lake.bucketName,
        LANDING_BUCKET: props.landing.bucketName,
        LANDING_PREFIX,
        PULLED_PREFIX,
        PULL_SECRET_ID: this.pullSecret.secretArn,
        MAX_EXTRACT_BYTES: String(props.maxExtractBytes),
        NODE_OPTIONS: '--enable-source-maps',
        // DuckDB wants a writable home directory; Lambda sets none.
        HOME: '/tmp',
      },
      bundling: lambdaBundling({
        packageNativeModules: props.packageNativeModules,
        packageJsonPath: join(props.projectRoot, 'package.json'),
      }),
    });

    // Least privilege. Landing: read the province's drops, keep what the pull downloaded
    // (pulled/ only: outside landing/, so keeping it starts no second ingest). Lake: write
    // exactly the folders ingest writes; delete only a stale quarantine part (an extract
    // re-ingested without bad rows); never an object version. Nothing on the site bucket.
    allowObjects(this, role, {
      bucket: props.landing,
      actions: ['s3:GetObject'],
      prefixes: [LANDING_PREFIX],
      reason: 'Extracts and units.csv dropped under landing/ by the province, any name; read only.',
    });
    allowObjects(this, role, {
      bucket: props.landing,
      actions: ['s3:PutObject'],
      prefixes: [PULLED_PREFIX],
      reason:
        'The raw extract each nightly pull downloaded, kept under pulled/<time>-<name> to rebuild the lake.',
    });
    allowObjects(this, role, {
      bucket: props.lake,
      actions: ['s3:GetObject', 's3:PutObject'],
      prefixes: INGEST_LAKE_PREFIXES,
      reason:
        'The lake folders ingest writes and re-reads (lake-layout.ts): parts and logs are named by snapshot date and extract id.',
    });
    allowObjects(this, role, {
      bucket: props.lake,
      actions: ['s3:DeleteObject'],
      prefixes: [`${QUARANTINE_PREFIX}/`],
      reason:
        'A re-ingested extract without bad rows removes its stale quarantine part (a delete marker: the bucket is versioned).',
    });
    // Listing makes a missing key a 404 (absent) instead of a 403 (error).
    allowBucket(role, props.landing, ['s3:ListBucket']);
    allowBucket(role, props.lake, ['s3:ListBucket']);
    this.pullSecret.grantRead(role);

    this.function.addEventSource(
      new S3EventSource(props.landing, {
        events: [EventType.OBJECT_CREATED],
        filters: [{ prefix: LANDING_PREFIX }],
      }),
    );

    this.errorAlarm = props.alerts.alarm(this, 'ErrorAlarm', {
      description: 'congkhai ingest failed (an extract was refused or the function crashed)',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    });
  }
}
