// The site build in CodeBuild: the same Astro build as `congkhai site` on a laptop, fed with
// the version of the published data that `data/v1/latest.json` points to, synced to the site
// bucket, then a CloudFront invalidation so that HTML shows the new figures at once.
import { Duration } from 'aws-cdk-lib';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { BuildSpec, ComputeType, LinuxArmBuildImage, Project, Source } from 'aws-cdk-lib/aws-codebuild';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { PUBLISHED_VERSION_PREFIX } from '../../functions/core/lake-layout.ts';
import { acknowledge } from '../cdk-nag.ts';
import {
  acknowledgeBucketObjects,
  acknowledgeS3GrantActions,
  logicalIdOf,
  nagAccount,
  nagRegion,
} from './nag-reasons.ts';

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
];

/** Where the site build reads published data and writes the site (DESIGN.md "two homes"). */
const LOCAL_OUT = '.congkhai/public';

export interface SiteBuildProps {
  projectRoot: string;
  site: IBucket;
  distribution: Distribution;
  /** The command that builds the site from LOCAL_OUT/data/v1 into LOCAL_OUT. */
  buildCommand?: string;
}

export class SiteBuild extends Construct {
  readonly project: Project;

  constructor(scope: Construct, id: string, props: SiteBuildProps) {
    super(scope, id);

    const source = new Asset(this, 'Source', { path: props.projectRoot, exclude: SOURCE_EXCLUDES });
    const data = PUBLISHED_VERSION_PREFIX;

    this.project = new Project(this, 'Project', {
      description: 'congkhai: build the Astro site on the latest published data and publish it',
      source: Source.s3({ bucket: source.bucket, path: source.s3ObjectKey }),
      environment: {
        buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: ComputeType.SMALL,
      },
      // The default key for S3 artifacts, named explicitly.
      encryptionKey: Alias.fromAliasName(this, 'S3Key', 'alias/aws/s3'),
      timeout: Duration.minutes(30),
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
            // package.json's `node` devDependency brings Node 24 for npm scripts and npx.
            commands: ['npm install --no-audit --no-fund'],
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

    source.grantRead(this.project);
    props.site.grantReadWrite(this.project);
    props.site.grantDelete(this.project);
    props.distribution.grantCreateInvalidation(this.project);

    acknowledgeS3GrantActions(this.project);
    acknowledgeBucketObjects(
      this.project,
      props.site,
      '*',
      'The build syncs the whole site (pages and assets of any name) and reads the published data.',
    );
    const [region, account, project] = [nagRegion(this), nagAccount(this), logicalIdOf(this.project)];
    acknowledge(this.project, [
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
        reason: 'Reads its source archive from the CDK assets bucket (object name is a content hash).',
      },
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
