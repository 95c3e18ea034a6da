// The lake as Athena sees it: a Glue database with a `dossiers` table over the Parquet
// parts (columns from LAKE_COLUMNS, the single source of the lake schema) and a `quarantine`
// table over the quarantined rows (QUARANTINE_COLUMNS), both with partition projection on
// snapshot_date, so a new day needs no crawler and no MSCK REPAIR. Plus the workgroup every
// KPI query runs in, which enforces encryption and a bytes-scanned cutoff.
import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { LAKE_COLUMNS } from '../../functions/core/dossier-contract.ts';
import { QUARANTINE_COLUMNS } from '../../functions/core/ingest/staging-run.ts';
import { DOSSIERS_PREFIX, QUARANTINE_PREFIX } from '../../functions/core/lake-layout.ts';
import { allowBucket, allowObjects } from './s3-access.ts';

/** Where the workgroup writes query results in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena/';

/** DuckDB type (LAKE_COLUMNS) → Hive/Glue type. */
const GLUE_TYPES: Readonly<Record<string, string>> = {
  VARCHAR: 'string',
  TIMESTAMP: 'timestamp',
  BOOLEAN: 'boolean',
  BIGINT: 'bigint',
};

export function glueColumns(
  columns: ReadonlyArray<readonly [string, string]> = LAKE_COLUMNS,
): CfnTable.ColumnProperty[] {
  return columns.map(([name, duckType]) => {
    const type = GLUE_TYPES[duckType];
    if (!type) throw new Error(`No Glue type for lake column ${name} (${duckType})`);
    return { name, type };
  });
}

export interface LakeCatalogProps {
  lake: IBucket;
  athenaResults: IBucket;
  /** Glue database name (lower case, underscores). */
  databaseName: string;
  workGroupName: string;
  /** First snapshot date partition projection may produce (yyyy-MM-dd). */
  projectionStart: string;
  /** Athena cancels a query that would scan more than this. */
  bytesScannedCutoffPerQuery: number;
}

export class LakeCatalog extends Construct {
  readonly databaseName: string;
  readonly tableName = 'dossiers';
  readonly quarantineTableName = 'quarantine';
  readonly workGroupName: string;
  readonly workGroup: CfnWorkGroup;
  readonly athenaResults: IBucket;
  private readonly props: LakeCatalogProps;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    this.props = props;
    this.databaseName = props.databaseName;
    this.workGroupName = props.workGroupName;
    this.athenaResults = props.athenaResults;
    const account = Stack.of(this).account;

    const database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: 'congkhai: dossier lake (one row per dossier per snapshot date)',
      },
    });

    const snapshotTable = (
      id: string,
      name: string,
      prefix: string,
      columns: CfnTable.ColumnProperty[],
      description: string,
    ) => {
      const location = `s3://${props.lake.bucketName}/${prefix}/`;
      const table = new CfnTable(this, id, {
        catalogId: account,
        databaseName: props.databaseName,
        tableInput: {
          name,
          description,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [{ name: 'snapshot_date', type: 'date' }],
          parameters: {
            classification: 'parquet',
            EXTERNAL: 'TRUE',
            'parquet.compression': 'ZSTD',
            'projection.enabled': 'true',
            'projection.snapshot_date.type': 'date',
            'projection.snapshot_date.format': 'yyyy-MM-dd',
            'projection.snapshot_date.range': `${props.projectionStart},NOW`,
            'projection.snapshot_date.interval': '1',
            'projection.snapshot_date.interval.unit': 'DAYS',
            'storage.location.template': `${location}snapshot_date=\${snapshot_date}/`,
          },
          storageDescriptor: {
            location,
            columns,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
          },
        },
      });
      table.node.addDependency(database);
    };
    snapshotTable(
      'DossiersTable',
      this.tableName,
      DOSSIERS_PREFIX,
      glueColumns(),
      'Dossier records by snapshot date (Parquet written by the ingest function)',
    );
    snapshotTable(
      'QuarantineTable',
      this.quarantineTableName,
      QUARANTINE_PREFIX,
      glueColumns(QUARANTINE_COLUMNS),
      'Quarantined rows by snapshot date: file, line, field, reason, value, dossier_id (no citizen data)',
    );

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'congkhai KPI queries',
      recursiveDeleteOption: true,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.athenaResults.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /** What a function needs to run KPI queries: the workgroup, the catalog entries, the lake
   * (read only) and the results (Athena writes and reads them with the caller's rights).
   * `scope` carries the cdk-nag acknowledgements of the object wildcards. */
  grantQuery(scope: IConstruct, grantee: IGrantable): void {
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) =>
      `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
          'athena:GetWorkGroup',
        ],
        resources: [arn('athena', `workgroup/${this.workGroupName}`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          arn('glue', 'catalog'),
          arn('glue', `database/${this.databaseName}`),
          arn('glue', `table/${this.databaseName}/${this.tableName}`),
        ],
      }),
    );
    allowObjects(scope, grantee, {
      bucket: this.props.lake,
      actions: ['s3:GetObject'],
      prefixes: [''],
      reason:
        'Athena and the KPI run read every part of the lake (dossiers, ingest logs, registry); read only.',
    });
    allowBucket(grantee, this.props.lake, ['s3:ListBucket', 's3:GetBucketLocation']);
    allowObjects(scope, grantee, {
      bucket: this.props.athenaResults,
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      prefixes: [ATHENA_RESULTS_PREFIX],
      reason:
        'Athena writes and reads each query’s result file (named by query id) with the caller’s rights; that folder holds nothing else.',
    });
    allowBucket(grantee, this.props.athenaResults, [
      's3:ListBucket',
      's3:GetBucketLocation',
      's3:ListBucketMultipartUploads',
    ]);
  }
}
