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
import { lambdaRole } from './lambda-role.ts';
import { allowBucket, allowObjects } from './s3-access.ts';

export interface PublishFunctionProps {
  projectRoot: string;
  lake: IBucket;
  site: IBucket;
  catalog: LakeCatalog;
  packageNativeModules: boolean;
}

export class PublishFunction extends Construct {
  readonly function: NodejsFunction;
  /** Lambda's own timeout: the state machine's retry budget is computed from it. */
  static readonly TIMEOUT = Duration.minutes(15);

  constructor(scope: Construct, id: string, props: PublishFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR });
    // Named so that its logical id reads PublishFunctionServiceRole…
    const role = lambdaRole(this, 'FunctionServiceRole', logGroup, 'congkhai publish function');
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
      role,
      memorySize: 2048,
      ephemeralStorageSize: Size.gibibytes(2),
      timeout: PublishFunction.TIMEOUT,
      // One publish at a time, whoever starts it (the schedule, an operator, a retry): two
      // runs writing the same stable names and latest.json would interleave.
      reservedConcurrentExecutions: 1,
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

    // Least privilege: query the lake through Athena (read only), write published data under
    // data/v1/ only, never delete. Nothing on the landing bucket.
    props.catalog.grantQuery(this, role);
    allowObjects(this, role, {
      bucket: props.site,
      actions: ['s3:GetObject', 's3:PutObject'],
      prefixes: [`${PUBLISHED_VERSION_PREFIX}/`],
      reason:
        'Published data files of any table and as-of date, the stable names and latest.json (read back before it moves); nothing outside data/v1/.',
    });
    // Listing makes a missing key a 404 (absent) instead of a 403 (error).
    allowBucket(role, props.site, ['s3:ListBucket']);
  }
}
