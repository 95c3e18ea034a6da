// The site build in CodeBuild: the same Astro build as `congkhai site` on a laptop, fed with
// the version of the published data that `data/v1/latest.json` points to, synced to the site
// bucket, then a CloudFront invalidation so that HTML shows the new figures at once.
//
// The build runs third-party code (npm packages), so it is kept away from the data: it may
// read data/v1/ but an explicit Deny stops it writing or deleting anything under data/ (the
// publish function owns it), dependencies install from the lockfile without install scripts
// (only the two packages package.json's allowScripts trusts are rebuilt), and one build runs
// at a time.
import { Duration } from 'aws-cdk-lib';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { BuildSpec, ComputeType, LinuxArmBuildImage, Project, Source } from 'aws-cdk-lib/aws-codebuild';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { PUBLISHED_VERSION_PREFIX } from '../../functions/core/lake-layout.ts';
import { acknowledge } from '../cdk-nag.ts';
import { logicalIdOf, nagAccount, nagRegion } from './nag-reasons.ts';
import { allowBucket, allowObjects, denyObjects } from './s3-access.ts';

/** What of the repository CodeBuild needs: everything but installed, built and local files. */
export const SOURCE_EXCLUDES = [
  'node_modules',
  '**/node_modules',
  '.git',
  'cdk.out',
  '.congkhai',
  'site/dist',
  'site/.astro',
  'test-results',
  '.bench',
  // Transient folders of local builds running beside a synth (Astro's per-build folder, test logs).
  '.astro',
  '.astro-build-*',
  'test-output.log',
];

/** Where the site build reads published data and writes the site (docs/design.md "Data flow"). */
const LOCAL_OUT = '.congkhai/public';

/** The folder of the site bucket that only the publish function writes. */
export const DATA_PREFIX = 'data/';

/** Packages whose install scripts run (package.json "allowScripts"): Node 24 itself and esbuild. */
export function trustedInstallScripts(packageJson: { allowScripts?: Record<string, boolean> }): string[] {
  return Object.entries(packageJson.allowScripts ?? {})
    .filter(([, allowed]) => allowed)
    .map(([name]) => name);
}

export interface SiteBuildProps {
  projectRoot: string;
  site: IBucket;
  distribution: Distribution;
  /** The command that builds the site from LOCAL_OUT/data/v1 into LOCAL_OUT. */
  buildCommand?: string;
  /** package.json's allowScripts: the only packages whose install scripts run. */
  trustedScripts: readonly string[];
}

export class SiteBuild extends Construct {
  readonly project: Project;
  static readonly TIMEOUT = Duration.minutes(30);
  /** At most one build at a time: a second one waits this long in the queue, then fails. */
  static readonly QUEUED_TIMEOUT = Duration.minutes(30);

  constructor(scope: Construct, id: string, props: SiteBuildProps) {
    super(scope, id);

    const source = new Asset(this, 'Source', { path: props.projectRoot, exclude: SOURCE_EXCLUDES });
    const data = PUBLISHED_VERSION_PREFIX;
    // CodeBuild's S3 source grants read on its key through the bucket's grantRead, which hands
    // out action groups (s3:GetObject*, s3:List*...). Exactly the source archive instead.
    const sourceBucket = Bucket.fromBucketName(this, 'SourceBucket', source.s3BucketName);
    sourceBucket.grantRead = (grantee: IGrantable) =>
      Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resourceArns: [sourceBucket.arnForObjects(source.s3ObjectKey)],
      });

    this.project = new Project(this, 'Project', {
      description: 'congkhai: build the Astro site on the latest published data and publish it',
      source: Source.s3({ bucket: sourceBucket, path: source.s3ObjectKey }),
      environment: {
        buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: ComputeType.SMALL,
      },
      // The default key for S3 artifacts, named explicitly.
      encryptionKey: Alias.fromAliasName(this, 'S3Key', 'alias/aws/s3'),
      timeout: SiteBuild.TIMEOUT,
      queuedTimeout: SiteBuild.QUEUED_TIMEOUT,
      concurrentBuildLimit: 1,
      logging: {
        cloudWatch: { logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR }) },
      },
      environmentVariables: {
        SITE_BUCKET: { value: props.site.bucketName },
        DISTRIBUTION_ID: { value: props.distribution.distributionId },
        SITE_DOMAIN: { value: props.distribution.distributionDomainName },
        ASTRO_TELEMETRY_DISABLED: { value: '1' },
      },
      buildSpec: BuildSpec.fromObject({
        version: '0.2',
        phases: {
          install: {
            'runtime-versions': { nodejs: 22 },
            commands: [
              // Exactly the lockfile, and no package's install script runs...
              'npm ci --ignore-scripts --no-audit --no-fund',
              // ...but those of package.json's allowScripts: the `node` devDependency brings
              // Node 24 for npm scripts and npx, esbuild checks its binary.
              `npm rebuild ${props.trustedScripts.join(' ')}`,
            ],
          },
          build: {
            commands: [
              `aws s3 cp "s3://$SITE_BUCKET/${data}/latest.json" latest.json`,
              `VERSION_PREFIX=$(node -p "require('./latest.json').prefix")`,
              `mkdir -p ${LOCAL_OUT}/${data}`,
              `aws s3 sync "s3://$SITE_BUCKET/$VERSION_PREFIX" ${LOCAL_OUT}/${data}/ --no-progress`,
              props.buildCommand ??
                `npm run congkhai -- site build --out ${LOCAL_OUT} --site-url "https://$SITE_DOMAIN/"`,
              // Data stays as the publish function wrote it; only pages and assets change here.
              `aws s3 sync ${LOCAL_OUT}/ "s3://$SITE_BUCKET/" --delete --exclude "data/*" --no-progress`,
              'aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"',
            ],
          },
        },
      }),
    });

    props.distribution.grantCreateInvalidation(this.project);
    // Site bucket: read the published data; write and delete pages and assets of any name;
    // never anything under data/ (explicit Deny); never an object version.
    allowObjects(this, this.project, {
      bucket: props.site,
      actions: ['s3:GetObject'],
      prefixes: [`${data}/`],
      reason: 'Reads latest.json and the data version it points to (any table, any as-of date); read only.',
    });
    allowObjects(this, this.project, {
      bucket: props.site,
      actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      prefixes: [''],
      reason:
        'Syncs the built pages and assets, which have any name; everything under data/ is denied to this role by an explicit Deny.',
    });
    denyObjects(
      this.project,
      props.site,
      ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      DATA_PREFIX,
    );
    allowBucket(this.project, props.site, ['s3:ListBucket']);
    // Source.s3 also reads the bucket's location before fetching the archive.
    this.project.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [sourceBucket.bucketArn] }),
    );

    const [region, account, project] = [nagRegion(this), nagAccount(this), logicalIdOf(this.project)];
    acknowledge(this.project, [
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/<${project}>:*]`,
        reason: "CodeBuild's default policy: the log streams of this project's own log group.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/<${project}>-*]`,
        reason: "CodeBuild's default policy: this project's own test report groups.",
      },
    ]);
  }
}
