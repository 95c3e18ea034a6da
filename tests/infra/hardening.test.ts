// Issue 11, point by point, on the synthesized template: alerts that deliver, an archive that
// survives, least privilege per prefix, bounded concurrency and retries, cost guards.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUERY_REFUSED_ERROR } from '../../functions/core/cloud/athena-errors.ts';
import { StackConfigSchema, stackConfigFromContext } from '../../infra/stack-config.ts';
import {
  actionsOf,
  logicalId,
  roleStatements,
  type Statement,
  stateMachineDefinition,
  synthStack,
  TEST_ALERT_EMAIL,
} from './synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON, read by path.
type CfnProps = any;

const { template } = synthStack();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: CfnProps }>;
const bucket = (prefix: string) => logicalId(template, 'AWS::S3::Bucket', prefix);
const role = (prefix: string) => logicalId(template, 'AWS::IAM::Role', prefix);
const topic = logicalId(template, 'AWS::SNS::Topic', 'AlertsTopic');
const stateMachine = logicalId(template, 'AWS::StepFunctions::StateMachine', 'NightlyStateMachine');
const allStatements = (): Statement[] =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
const resourcesOf = (s: Statement) => JSON.stringify(s.Resource);
const allows = (s: Statement) => s.Effect === 'Allow';

describe('1. alerts that deliver', () => {
  it('the state machine may use the alerts topic key, not only publish to the topic', () => {
    const key = logicalId(template, 'AWS::KMS::Key', 'AlertsKey');
    const statements = roleStatements(template, role('NightlyStateMachineRole'));
    const onKey = statements.filter((s) => resourcesOf(s).includes(`"${key}"`));
    expect(onKey.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    const onTopic = statements.filter((s) => resourcesOf(s).includes(`"${topic}"`));
    expect(onTopic.flatMap(actionsOf)).toContain('sns:Publish');
  });

  it.each([['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionsAborted']])(
    'an alarm on %s of the nightly state machine pages the alerts topic',
    (metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachine } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    },
  );

  it('an alarm when no run succeeded in 26 hours, missing data counting as no success', () => {
    const alarms = Object.values(resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'ExecutionsSucceeded',
    );
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!.Properties;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachine } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topic }],
    });
    expect(alarm.Period * alarm.EvaluationPeriods).toBe(26 * 3600);
    expect(alarm.DatapointsToAlarm).toBe(alarm.EvaluationPeriods);
    // CloudWatch's limit for periods of an hour or more: 7 days.
    expect(alarm.Period * alarm.EvaluationPeriods).toBeLessThanOrEqual(7 * 86400);
  });

  it('the schedule has a dead-letter queue, and a dead letter pages', () => {
    const queue = logicalId(template, 'AWS::SQS::Queue', 'NightlyScheduleDeadLetters');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      AlarmActions: [{ Ref: topic }],
    });
    // The scheduler may write there.
    const schedulerRole = logicalId(template, 'AWS::IAM::Role', 'SchedulerRoleForTarget');
    const sends = roleStatements(template, schedulerRole).filter((s) =>
      actionsOf(s).includes('sqs:SendMessage'),
    );
    expect(resourcesOf(sends[0]!)).toContain(queue);
  });

  it('the alert address is required: e-mailed, and the stack refuses to synth without one', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_ALERT_EMAIL,
      TopicArn: { Ref: topic },
    });
    expect(() => stackConfigFromContext(() => undefined)).toThrow(
      /congkhai:alertEmail: required: the address that is told when a nightly run fails/,
    );
    expect(() => stackConfigFromContext((k) => (k === 'congkhai:alertEmail' ? 'nobody' : undefined))).toThrow(
      /congkhai:alertEmail: not an e-mail address/,
    );
    expect(() => StackConfigSchema.parse({})).toThrow(/alertEmail/);
    expect(() => synthStack({ alertEmail: '' as never })).toThrow(/alertEmail/);
  });

  it('the run timeout is above the retry budget computed from the definition itself', () => {
    const definition = stateMachineDefinition(template) as {
      TimeoutSeconds?: number;
      States: Record<string, Record<string, CfnProps>>;
    };
    let budget = 0;
    const tasks = Object.entries(definition.States).filter(([, s]) => s['Type'] === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['BuildSite', 'Ingest', 'NotifyFailure', 'Publish']);
    for (const [name, state] of tasks) {
      expect(state['TimeoutSeconds'], `${name} has a task timeout`).toBeGreaterThan(0);
      // The worst case is the longest retrier that can match a timeout or any other error.
      const retriers = (state['Retry'] ?? []) as {
        ErrorEquals: string[];
        MaxAttempts?: number;
        IntervalSeconds?: number;
        BackoffRate?: number;
      }[];
      let worst = state['TimeoutSeconds'];
      for (const r of retriers) {
        const attempts = r.MaxAttempts ?? 3;
        let waits = 0;
        for (let k = 0; k < attempts; k++) waits += (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** k;
        worst = Math.max(worst, (attempts + 1) * state['TimeoutSeconds'] + waits);
      }
      budget += worst;
    }
    // 3 × 16 min + 3 min, 3 × 16 min + 6 min, 2 × 60 min + 5 min, 1 min.
    expect(budget).toBe((51 + 54 + 125 + 1) * 60);
    expect(definition.TimeoutSeconds).toBeGreaterThan(budget);
    // An attempt cannot outlive its task timeout: each timeout covers the function's or the build's own.
    const fn = (prefix: string) =>
      resources[logicalId(template, 'AWS::Lambda::Function', prefix)]!.Properties;
    expect(definition.States['Ingest']!['TimeoutSeconds']).toBeGreaterThan(fn('IngestFunction').Timeout);
    expect(definition.States['Publish']!['TimeoutSeconds']).toBeGreaterThan(fn('PublishFunction').Timeout);
    const build = Object.values(template.findResources('AWS::CodeBuild::Project'))[0] as {
      Properties: CfnProps;
    };
    expect(definition.States['BuildSite']!['TimeoutSeconds']).toBeGreaterThanOrEqual(
      (build.Properties.TimeoutInMinutes + build.Properties.QueuedTimeoutInMinutes) * 60,
    );
  });
});

describe('2. an archive that survives', () => {
  it('the site bucket is versioned and old versions expire', () => {
    const site = resources[bucket('BucketsSite')]!.Properties;
    expect(site.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(site.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
    );
  });

  it('the site build can neither write nor delete under data/ (explicit Deny), nor delete versions', () => {
    const statements = roleStatements(template, role('SiteBuildProjectRole'));
    const site = bucket('BucketsSite');
    const deny = statements.filter((s) => s.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    expect(actionsOf(deny[0]!)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
    expect(deny[0]!.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [site, 'Arn'] }, '/data/*']] });
    for (const s of statements.filter(allows)) {
      expect(actionsOf(s)).not.toContain('s3:DeleteObjectVersion');
      expect(actionsOf(s).filter((a) => a.startsWith('s3:') && a.includes('*'))).toEqual([]);
    }
  });

  it('the site build installs exactly the lockfile without install scripts, one build at a time', () => {
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0] as {
      Properties: CfnProps;
    };
    const spec = project.Properties.Source.BuildSpec as string;
    expect(spec).toContain('npm ci --ignore-scripts');
    expect(spec).not.toMatch(/npm install/);
    // Only the packages package.json trusts get their scripts run.
    expect(spec).toContain('npm rebuild node esbuild');
    expect(spec).toContain('--exclude \\"data/*\\"');
    expect(project.Properties.ConcurrentBuildLimit).toBe(1);
  });

  it('raw extracts stay in the landing bucket for the configured retention (not 30 days)', () => {
    const rules = (t: typeof template) =>
      t.toJSON().Resources[logicalId(t, 'AWS::S3::Bucket', 'BucketsLanding')].Properties
        .LifecycleConfiguration.Rules as { ExpirationInDays?: number }[];
    const defaults = StackConfigSchema.parse({ alertEmail: TEST_ALERT_EMAIL });
    expect(defaults.landingRetentionDays).toBeGreaterThanOrEqual(3650);
    expect(
      rules(template)
        .map((r) => r.ExpirationInDays)
        .filter(Boolean),
    ).toEqual([defaults.landingRetentionDays]);
    const { template: longer } = synthStack({ landingRetentionDays: 7300 });
    expect(
      rules(longer)
        .map((r) => r.ExpirationInDays)
        .filter(Boolean),
    ).toEqual([7300]);
    expect(() => StackConfigSchema.parse({ alertEmail: TEST_ALERT_EMAIL, landingRetentionDays: 30 })).toThrow(
      /365/,
    );
  });
});

describe('3. least privilege per prefix', () => {
  it('no role may delete object versions, and no S3 action is a wildcard', () => {
    for (const s of allStatements().filter(allows)) {
      expect(actionsOf(s)).not.toContain('s3:DeleteObjectVersion');
      expect(actionsOf(s).filter((a) => /^s3:.*\*/.test(a))).toEqual([]);
    }
  });

  it('ingest writes exactly the lake folders its code writes, deletes only stale quarantine parts', () => {
    const statements = roleStatements(template, role('IngestFunctionServiceRole')).filter(allows);
    const lake = bucket('BucketsLake');
    const landing = bucket('BucketsLanding');
    const objects = (b: string, suffix: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [b, 'Arn'] }, suffix]],
    });
    const resourcesFor = (action: string) =>
      statements
        .filter((s) => actionsOf(s).includes(action))
        .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resourcesFor('s3:PutObject')).toEqual(
      expect.arrayContaining([
        objects(lake, '/dossiers/*'),
        objects(lake, '/quarantine/*'),
        objects(lake, '/ingest_log/*'),
        objects(lake, '/registry/*'),
        objects(landing, '/pulled/*'),
      ]),
    );
    expect(resourcesFor('s3:PutObject')).toHaveLength(5);
    expect(resourcesFor('s3:DeleteObject')).toEqual([objects(lake, '/quarantine/*')]);
    expect(resourcesFor('s3:GetObject')).toContainEqual(objects(landing, '/landing/*'));
  });

  it('publish writes only data/v1/ of the site and athena/ of the results bucket, deletes nothing', () => {
    const statements = roleStatements(template, role('PublishFunctionServiceRole')).filter(allows);
    const puts = statements
      .filter((s) => actionsOf(s).includes('s3:PutObject'))
      .flatMap((s) => s.Resource as unknown[]);
    expect(puts).toEqual(
      expect.arrayContaining([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket('BucketsSite'), 'Arn'] }, '/data/v1/*']] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket('BucketsAthenaResults'), 'Arn'] }, '/athena/*']] },
      ]),
    );
    expect(puts).toHaveLength(2);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
  });

  it('the functions have no managed policy: they write only their own log group', () => {
    for (const [prefix, logs] of [
      ['IngestFunctionServiceRole', 'IngestLogs'],
      ['PublishFunctionServiceRole', 'PublishLogs'],
    ] as const) {
      const id = role(prefix);
      expect(resources[id]!.Properties.ManagedPolicyArns).toBeUndefined();
      const logStatements = roleStatements(template, id).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logStatements).toHaveLength(1);
      expect(logStatements[0]!.Resource).toEqual({
        'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', logs), 'Arn'],
      });
      expect(actionsOf(logStatements[0]!).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    }
  });

  it('the site build reads exactly its source archive, not the whole assets bucket', () => {
    const statements = roleStatements(template, role('SiteBuildProjectRole')).filter(allows);
    const assets = statements.filter((s) => resourcesOf(s).includes('cdk-hnb659fds-assets'));
    for (const s of assets) {
      expect(resourcesOf(s)).not.toMatch(/assets-[^"]*\/\*"/);
      expect(
        actionsOf(s).every((a) =>
          ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketLocation'].includes(a),
        ),
      ).toBe(true);
    }
    expect(assets.length).toBeGreaterThan(0);
  });
});

describe('4. pulls bounded', () => {
  it('the ingest function is told the largest extract it may download', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ MAX_EXTRACT_BYTES: '2000000000', PULLED_PREFIX: 'pulled/' }),
      },
    });
  });
});

describe('5. concurrency and retries', () => {
  it('one publish at a time (reserved concurrency 1), one site build at a time', () => {
    const fn = (prefix: string) =>
      resources[logicalId(template, 'AWS::Lambda::Function', prefix)]!.Properties;
    expect(fn('PublishFunction').ReservedConcurrentExecutions).toBe(1);
    expect(fn('IngestFunction').ReservedConcurrentExecutions).toBeGreaterThanOrEqual(1);
    template.hasResourceProperties('AWS::CodeBuild::Project', { ConcurrentBuildLimit: 1 });
  });

  it('a query Athena refused is not retried; other publish errors are', () => {
    const { Publish } = stateMachineDefinition(template).States;
    const retriers = (Publish!['Retry'] as { ErrorEquals: string[]; MaxAttempts: number }[]).map((r) => [
      r.ErrorEquals.join(','),
      r.MaxAttempts,
    ]);
    expect(retriers[0]).toEqual([QUERY_REFUSED_ERROR, 0]);
    expect(retriers.at(-1)).toEqual(['States.ALL', 2]);
  });
});

describe('6. cost guards', () => {
  it('the Athena cutoff is at most 2 GB by default, from the stack config', () => {
    const cutoff = (t: typeof template) =>
      (Object.values(t.findResources('AWS::Athena::WorkGroup'))[0] as { Properties: CfnProps }).Properties
        .WorkGroupConfiguration.BytesScannedCutoffPerQuery;
    expect(cutoff(template)).toBeLessThanOrEqual(2e9);
    expect(cutoff(template)).toBe(
      StackConfigSchema.parse({ alertEmail: TEST_ALERT_EMAIL }).bytesScannedCutoffPerQuery,
    );
    expect(cutoff(synthStack({ bytesScannedCutoffPerQuery: 500_000_000 }).template)).toBe(500_000_000);
  });

  it('a monthly cost budget notifies the alert address and the alerts topic', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 20, Unit: 'USD' } },
      NotificationsWithSubscribers: Match.arrayWith([
        {
          Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 100 }),
          Subscribers: [
            { SubscriptionType: 'EMAIL', Address: TEST_ALERT_EMAIL },
            { SubscriptionType: 'SNS', Address: { Ref: topic } },
          ],
        },
        Match.objectLike({ Notification: Match.objectLike({ NotificationType: 'FORECASTED' }) }),
      ]),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });
});
