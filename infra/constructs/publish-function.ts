// The `publish` Lambda: lake → KPI tables (the queries/ files, run on Athena) → published
// data in the site bucket as a new dated version, then the `latest` pointer. The same core
// as `congkhai kpi`; only the engine (Athena) and the storage (S3) differ.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Size } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PUBLISHED_VERSION_PREFIX } from '../../functions/core/lake-layout.ts';
import type { LakeCatalog } from './lake-catalog.ts';
import { lambdaBundling } from './lambda-bundling.ts';
import {
  acknowledgeBucketObjects,
  acknowledgeLambdaBasics,
  acknowledgeS3GrantActions,
} from './nag-reasons.ts';

export interface PublishFunctionProps {
  projectRoot: string;
  lake: IBucket;
  site: IBucket;
  catalog: LakeCatalog;
  packageNativeModules: boolean;
}

export class PublishFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: PublishFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });
    // The SQL of queries/ and the province's congkhai.config.json ship beside the code.
    const configFile = join(props.projectRoot, 'congkhai.config.json');
    const copy = [{ from: join(props.projectRoot, 'queries'), to: 'queries' }];
    if (existsSync(configFile)) copy.push({ from: configFile, to: 'congkhai.config.json' });

    this.function = new NodejsFunction(this, 'Function', {
      description: 'congkhai publish: KPI queries on Athena → dated published data → latest pointer',
      entry: join(props.projectRoot, 'functions/publish/handler.ts'),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 2048,
      ephemeralStorageSize: Size.gibibytes(2),
      timeout: Duration.minutes(15),
      logGroup,
      environment: {
        LAKE_BUCKET: props.lake.bucketName,
        SITE_BUCKET: props.site.bucketName,
        ATHENA_DATABASE: props.catalog.databaseName,
        ATHENA_WORKGROUP: props.catalog.workGroupName,
        CONGKHAI_QUERIES_DIR: '/var/task/queries',
        ...(existsSync(configFile) ? { CONGKHAI_CONFIG: '/var/task/congkhai.config.json' } : {}),
        NODE_OPTIONS: '--enable-source-maps',
        // DuckDB wants a writable home directory; Lambda sets none.
        HOME: '/tmp',
      },
      bundling: lambdaBundling({
        packageNativeModules: props.packageNativeModules,
        packageJsonPath: join(props.projectRoot, 'package.json'),
        copy,
      }),
    });

    // Least privilege: query the lake through Athena, write published data only. Nothing on
    // the landing bucket.
    props.catalog.grantQuery(this.function);
    props.site.grantPut(this.function, `${PUBLISHED_VERSION_PREFIX}/*`);
    // HEAD of the new version's files before latest.json is moved to them.
    props.site.grantRead(this.function, `${PUBLISHED_VERSION_PREFIX}/*`);

    acknowledgeLambdaBasics(this.function);
    acknowledgeS3GrantActions(this.function);
    acknowledgeBucketObjects(
      this.function,
      props.lake,
      '*',
      'Athena reads every Parquet part of the lake; read only.',
    );
    acknowledgeBucketObjects(
      this.function,
      props.catalog.athenaResults,
      '*',
      'Athena writes and reads query results with the caller’s rights; the bucket holds nothing else.',
    );
    acknowledgeBucketObjects(
      this.function,
      props.site,
      `${PUBLISHED_VERSION_PREFIX}/*`,
      'Published data files of any table and date; nothing outside data/v1/.',
    );
  }
}
