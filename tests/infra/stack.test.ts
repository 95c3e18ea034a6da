// The synthesized CloudFormation template: each resource and its key properties, and least
// privilege for the two functions.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LAKE_COLUMNS } from '../../functions/core/dossier-contract.ts';
import { StackConfigSchema } from '../../infra/stack-config.ts';
import { actionsOf, logicalId, roleStatements, stateMachineDefinition, synthStack } from './synth-stack.ts';

const { template } = synthStack();
const bucket = (prefix: string) => logicalId(template, 'AWS::S3::Bucket', prefix);
const role = (prefix: string) => logicalId(template, 'AWS::IAM::Role', prefix);

describe('buckets', () => {
  it('all five block public access, are encrypted and refuse plain HTTP', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(5);
    for (const id of Object.keys(buckets)) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('landing keeps extracts for the configured retention, lake is versioned, Athena results expire after 7 days', () => {
    const props = (id: string) => template.toJSON().Resources[id].Properties;
    expect(props(bucket('BucketsLanding')).LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        ExpirationInDays: StackConfigSchema.parse({ alertEmail: 'a@b.vn' }).landingRetentionDays,
        Status: 'Enabled',
      }),
    );
    expect(props(bucket('BucketsLake')).VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props(bucket('BucketsAthenaResults')).LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        ExpirationInDays: 7,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    );
    for (const name of ['BucketsLanding', 'BucketsLake', 'BucketsAthenaResults', 'BucketsSite']) {
      expect(props(bucket(name)).LoggingConfiguration.DestinationBucketName).toEqual({
        Ref: bucket('BucketsAccessLogs'),
      });
    }
  });

  it('the site bucket is readable only by this CloudFront distribution (OAC)', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket('BucketsSite') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('ingest function', () => {
  const ingest = logicalId(template, 'AWS::Lambda::Function', 'IngestFunction');

  it('is Node 24 on arm64 with a dead-letter queue, /tmp space and its settings', () => {
    template.hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 900,
        EphemeralStorage: { Size: 4096 },
        DeadLetterConfig: {
          TargetArn: { 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'IngestDeadLetters'), 'Arn'] },
        },
        Environment: {
          Variables: Match.objectLike({
            LAKE_BUCKET: { Ref: bucket('BucketsLake') },
            LANDING_PREFIX: 'landing/',
            PULL_SECRET_ID: { Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'IngestPullSource') },
          }),
        },
      }),
    });
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } })),
    ).toContain(ingest);
  });

  it('runs on every object created under landing/', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucket('BucketsLanding') },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'landing/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [ingest, 'Arn'] },
          },
        ],
      },
    });
  });

  it('raises an alarm on errors and on dead letters, to the encrypted alerts topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'AlertsTopic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ingest } }],
      Threshold: 1,
      AlarmActions: [{ Ref: topic }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [{ Ref: topic }],
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'AlertsKey'), 'Arn'] },
    });
  });
});

describe('catalog', () => {
  it('a Glue table over the lake with the lake columns and partition projection on snapshot_date', () => {
    const lake = bucket('BucketsLake');
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'congkhai',
      TableInput: {
        Name: 'dossiers',
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [{ Name: 'snapshot_date', Type: 'date' }],
        Parameters: {
          'projection.enabled': 'true',
          'projection.snapshot_date.type': 'date',
          'projection.snapshot_date.format': 'yyyy-MM-dd',
          'projection.snapshot_date.range': '2015-01-01,NOW',
          'projection.snapshot_date.interval': '1',
          'projection.snapshot_date.interval.unit': 'DAYS',
          'storage.location.template': {
            // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own placeholder syntax
            'Fn::Join': ['', ['s3://', { Ref: lake }, '/dossiers/snapshot_date=${snapshot_date}/']],
          },
        },
        StorageDescriptor: {
          Columns: LAKE_COLUMNS.map(([name, type]) => ({
            Name: name,
            Type: { VARCHAR: 'string', TIMESTAMP: 'timestamp', BOOLEAN: 'boolean', BIGINT: 'bigint' }[type],
          })),
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    template.resourceCountIs('AWS::Glue::Crawler', 0);
  });

  it('an Athena workgroup that enforces encrypted results and a bytes-scanned cutoff', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'congkhai',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 2_000_000_000,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: bucket('BucketsAthenaResults') }, '/athena/']],
          },
        },
      },
    });
  });
});

describe('least privilege', () => {
  const ingestStatements = roleStatements(template, role('IngestFunctionServiceRole'));
  const publishStatements = roleStatements(template, role('PublishFunctionServiceRole'));
  const mentions = (statements: unknown[], id: string) => JSON.stringify(statements).includes(`"${id}"`);
  const writes = (s: { Action: string | string[] }) =>
    actionsOf(s as never).some((a) => /^s3:(Put|Delete|Abort|\*)/.test(a));

  it('the ingest role cannot touch the public site bucket', () => {
    expect(ingestStatements.length).toBeGreaterThan(0);
    expect(mentions(ingestStatements, bucket('BucketsSite'))).toBe(false);
  });

  it('the ingest role writes only the lake and the kept pulls (pulled/), and only reads landing/', () => {
    const writing = ingestStatements.filter(writes);
    expect(writing.length).toBeGreaterThan(0);
    for (const s of writing) {
      if (mentions([s], bucket('BucketsLanding'))) {
        // The raw pulled extract is kept beside the drops, never under landing/.
        expect(JSON.stringify(s.Resource)).toContain('/pulled/*');
        expect(JSON.stringify(s.Resource)).not.toContain('/landing/');
        expect(actionsOf(s)).toEqual(['s3:PutObject']);
      } else expect(mentions([s], bucket('BucketsLake'))).toBe(true);
    }
  });

  it('the publish role cannot write landing/ (it has no right on the landing bucket at all)', () => {
    expect(publishStatements.length).toBeGreaterThan(0);
    expect(mentions(publishStatements, bucket('BucketsLanding'))).toBe(false);
  });

  it('the publish role writes only data/v1/ of the site and Athena results; it only reads the lake', () => {
    for (const s of publishStatements.filter(writes)) {
      const text = JSON.stringify(s.Resource);
      const site = text.includes(bucket('BucketsSite'));
      const results = text.includes(bucket('BucketsAthenaResults'));
      expect(site || results).toBe(true);
      if (site) expect(text).toContain('/data/v1/*');
      expect(text.includes(bucket('BucketsLake'))).toBe(false);
    }
  });

  it('the publish role may run Athena only in its workgroup', () => {
    const athena = publishStatements.filter((s) => actionsOf(s).some((a) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(JSON.stringify(athena[0]!.Resource)).toContain(':workgroup/congkhai');
  });

  it('the only Resource "*" grants are X-Ray and log delivery of the state machine', () => {
    const star = roleStatements(template, role('NightlyStateMachineRole')).filter((s) => s.Resource === '*');
    expect(star.flatMap(actionsOf).every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
    for (const r of ['IngestFunctionServiceRole', 'PublishFunctionServiceRole', 'SiteBuildProjectRole']) {
      expect(roleStatements(template, role(r)).filter((s) => s.Resource === '*')).toEqual([]);
    }
  });
});

describe('nightly pipeline', () => {
  it('EventBridge Scheduler starts the state machine at 02:00 Asia/Ho_Chi_Minh', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      State: 'ENABLED',
      Target: {
        Arn: { Ref: logicalId(template, 'AWS::StepFunctions::StateMachine', 'NightlyStateMachine') },
      },
    });
  });

  it('ingest → publish → site build, with retries, and any failure → SNS', () => {
    const definition = stateMachineDefinition(template);
    expect(definition.StartAt).toBe('Ingest');
    const { Ingest, Publish, BuildSite, NotifyFailure } = definition.States;
    expect(Ingest!['Next']).toBe('Publish');
    expect(Publish!['Next']).toBe('BuildSite');
    expect(BuildSite!['End']).toBe(true);
    expect(BuildSite!['Resource']).toContain(':codebuild:startBuild.sync');
    for (const step of [Ingest, Publish, BuildSite]) {
      expect(step!['Catch']).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'NotifyFailure' },
      ]);
      expect((step!['Retry'] as unknown[]).length).toBeGreaterThan(0);
    }
    // An unreadable extract is not retried: its retrier comes before the catch-all one.
    const retriers = (Ingest!['Retry'] as { ErrorEquals: string[]; MaxAttempts: number }[]).map((r) => [
      r.ErrorEquals[0],
      r.MaxAttempts,
    ]);
    expect(retriers.findIndex(([e]) => e === 'ExtractRefusedError')).toBeLessThan(
      retriers.findIndex(([e]) => e === 'States.ALL'),
    );
    expect(retriers).toContainEqual(['ExtractRefusedError', 0]);
    expect(NotifyFailure!['Resource']).toContain(':states:::sns:publish');
    expect(NotifyFailure!['Next']).toBe('Failed');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('the site build syncs the site and invalidates CloudFront', () => {
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0] as {
      Properties: { Source: { BuildSpec: string }; Environment: { Type: string } };
    };
    const spec = project.Properties.Source.BuildSpec;
    expect(spec).toContain('data/v1/latest.json');
    expect(spec).toContain('npm run congkhai -- site build --out .congkhai/public');
    expect(spec).toContain('aws s3 sync .congkhai/public/');
    expect(spec).toContain('aws cloudfront create-invalidation');
    expect(project.Properties.Environment.Type).toBe('ARM_CONTAINER');
  });
});

describe('CDN', () => {
  const distribution = () =>
    (
      Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as {
        Properties: { DistributionConfig: Record<string, unknown> };
      }
    ).Properties.DistributionConfig;
  const cachePolicyTtl = (ref: { Ref: string }) =>
    template.toJSON().Resources[ref.Ref].Properties.CachePolicyConfig.DefaultTTL as number;

  it('serves the bucket through OAC, HTTPS only', () => {
    const config = distribution();
    const origins = config['Origins'] as { OriginAccessControlId: unknown; S3OriginConfig: unknown }[];
    expect(origins).toHaveLength(1);
    expect(origins[0]!.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [
        logicalId(template, 'AWS::CloudFront::OriginAccessControl', 'CdnDistributionOrigin'),
        'Id',
      ],
    });
    expect((config['DefaultCacheBehavior'] as Record<string, unknown>)['ViewerProtocolPolicy']).toBe(
      'redirect-to-https',
    );
  });

  it('caches dated data for a year, latest data and HTML for minutes', () => {
    const config = distribution();
    const behaviors = config['CacheBehaviors'] as { PathPattern: string; CachePolicyId: { Ref: string } }[];
    const ttl = Object.fromEntries(behaviors.map((b) => [b.PathPattern, cachePolicyTtl(b.CachePolicyId)]));
    expect(ttl).toEqual({ 'data/v1/archive/*': 365 * 86400, 'data/v1/*': 300 });
    expect(
      cachePolicyTtl((config['DefaultCacheBehavior'] as { CachePolicyId: { Ref: string } }).CachePolicyId),
    ).toBe(300);
    // Order matters: CloudFront takes the first matching pattern.
    expect(behaviors.map((b) => b.PathPattern)).toEqual(['data/v1/archive/*', 'data/v1/*']);
  });

  it('adds HSTS, CSP, nosniff and frame options to every response', () => {
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies) as {
      Properties: { ResponseHeadersPolicyConfig: Record<string, unknown> };
    }[]) {
      const headers = policy.Properties.ResponseHeadersPolicyConfig['SecurityHeadersConfig'] as Record<
        string,
        Record<string, unknown>
      >;
      expect(headers['StrictTransportSecurity']).toMatchObject({
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
      });
      expect(headers['ContentSecurityPolicy']!['ContentSecurityPolicy']).toContain("default-src 'self'");
      expect(headers['ContentSecurityPolicy']!['ContentSecurityPolicy']).toContain("frame-ancestors 'none'");
      expect(headers['ContentTypeOptions']).toEqual({ Override: true });
      expect(headers['FrameOptions']).toEqual({ FrameOption: 'DENY', Override: true });
    }
  });
});

describe('DuckDB binding guard', () => {
  it('a template built without the arm64 binding carries a parameter CloudFormation will refuse', () => {
    expect(template.toJSON().Parameters.DuckDbBindingPackaged).toMatchObject({
      Default: 'no',
      AllowedValues: ['yes'],
    });
  });

  it('packaging the binding removes the guard', () => {
    const { template: packaged } = synthStack({ packageNativeModules: true });
    expect(packaged.toJSON().Parameters?.DuckDbBindingPackaged).toBeUndefined();
  });
});
