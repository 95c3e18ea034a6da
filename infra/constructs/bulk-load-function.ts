// The `bulk-load` Lambda: for an extract too big for the ingest function, it sends Athena the
// validator SQL over the raw CSV in landing/ (functions/core/cloud/bulk-load.ts). It reads
// only the head of each file itself; Athena reads the rest and writes the lake's tables with
// this function's rights. Started by an operator (`aws lambda invoke`), never by an event.
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DOSSIERS_PREFIX, INGEST_LOG_PREFIX, QUARANTINE_PREFIX } from '../../functions/core/lake-layout.ts';
import { acknowledge } from '../cdk-nag.ts';
import type { Alerts } from './alerts.ts';
import { LANDING_PREFIX } from './data-buckets.ts';
import type { LakeCatalog } from './lake-catalog.ts';
import { lambdaBundling } from './lambda-bundling.ts';
import { nagAccount, nagRegion } from './nag-reasons.ts';
import { nodeFunctionBase } from './node-function.ts';
import { allowBucket, allowObjects } from './s3-access.ts';

/** The external tables a bulk load creates and drops (bulk-load.ts names them so). */
export const BULK_LOAD_TABLE_PATTERN = 'bulk_load_*';

export interface BulkLoadFunctionProps {
  projectRoot: string;
  landing: IBucket;
  lake: IBucket;
  catalog: LakeCatalog;
  alerts: Alerts;
  packageNativeModules: boolean;
}

export class BulkLoadFunction extends Construct {
  readonly function: NodejsFunction;
  readonly errorAlarm: Alarm;
  static readonly TIMEOUT = Duration.minutes(15);

  constructor(scope: Construct, id: string, props: BulkLoadFunctionProps) {
    super(scope, id);
    const { role, props: base } = nodeFunctionBase(this, {
      projectRoot: props.projectRoot,
      entry: 'functions/bulk-load/handler.ts',
      roleDescription: 'congkhai bulk-load function',
    });
    const { catalog } = props;

    this.function = new NodejsFunction(this, 'Function', {
      ...base,
      description: 'congkhai bulk load: the validator SQL on Athena over a landing/ CSV → the lake tables',
      // It only reads a file's head and waits for Athena.
      memorySize: 512,
      timeout: BulkLoadFunction.TIMEOUT,
      // One load at a time: two loads of the same file would both find the lake without it.
      reservedConcurrentExecutions: 1,
      environment: {
        LAKE_BUCKET: props.lake.bucketName,
        LANDING_BUCKET: props.landing.bucketName,
        LANDING_PREFIX,
        ATHENA_DATABASE: catalog.databaseName,
        ATHENA_WORKGROUP: catalog.workGroupName,
        CONGKHAI_QUERIES_DIR: '/var/task/queries',
        NODE_OPTIONS: '--enable-source-maps',
        HOME: '/tmp',
      },
      bundling: lambdaBundling({
        packageNativeModules: props.packageNativeModules,
        packageJsonPath: join(props.projectRoot, 'package.json'),
        // The validator SQL ships beside the code, as the queries of publish do.
        copy: [{ from: join(props.projectRoot, 'queries'), to: 'queries' }],
      }),
    });

    // Athena in the lake's workgroup, the catalog read, the lake read, the results folder.
    catalog.grantQuery(this, role);
    const stack = Stack.of(this);
    const glue = (resource: string) =>
      `arn:${stack.partition}:glue:${stack.region}:${stack.account}:${resource}`;
    const database = catalog.databaseName;
    const allowTables = (actions: string[], tables: string[]) =>
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions,
          resources: [
            glue('catalog'),
            glue(`database/${database}`),
            ...tables.map((table) => glue(`table/${database}/${table}`)),
          ],
        }),
      );
    // The external table of each load: created, read, dropped; no other table.
    allowTables(['glue:CreateTable', 'glue:GetTable', 'glue:DeleteTable'], [BULK_LOAD_TABLE_PATTERN]);
    // The two lake tables it inserts into (partition projection: no partition is created).
    allowTables(
      ['glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      [catalog.tableName, catalog.quarantineTableName],
    );
    acknowledge(this, [
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:glue:${nagRegion(this)}:${nagAccount(this)}:table/${database}/${BULK_LOAD_TABLE_PATTERN}]`,
        reason:
          'Each bulk load creates, reads and drops its own external table, named bulk_load_<extract id>; no other table of the database matches.',
      },
    ]);
    // Athena reads the raw file (and units.csv beside it) with this role; read only.
    allowObjects(this, role, {
      bucket: props.landing,
      actions: ['s3:GetObject'],
      prefixes: [LANDING_PREFIX],
      reason:
        'Extracts and units.csv under landing/, any name: the function reads a head, Athena reads the whole file with the same rights; read only.',
    });
    allowBucket(role, props.landing, ['s3:ListBucket', 's3:GetBucketLocation']);
    // Athena writes the inserted Parquet files with this role; the function writes the log.
    allowObjects(this, role, {
      bucket: props.lake,
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      prefixes: [`${DOSSIERS_PREFIX}/`, `${QUARANTINE_PREFIX}/`],
      reason:
        'Athena INSERT INTO writes new Parquet files (named by the query) into the snapshot_date partition folders of the two lake tables; never deletes.',
    });
    allowObjects(this, role, {
      bucket: props.lake,
      actions: ['s3:PutObject'],
      prefixes: [`${INGEST_LOG_PREFIX}/`],
      reason: 'The ingest log of each loaded file, named by snapshot date and extract id, written last.',
    });

    this.errorAlarm = props.alerts.alarm(this, 'ErrorAlarm', {
      description: 'congkhai bulk load failed (a statement failed on Athena, or a file was refused)',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    });
  }
}
