// The bulk-load function in the synthesized template: started by an operator only, with the
// Athena, Glue and S3 rights its statements need and no more; the quarantine table it
// inserts into, beside the dossiers table.
import { describe, expect, it } from 'vitest';
import { QUARANTINE_COLUMNS } from '../../functions/core/ingest/staging-run.ts';
import { actionsOf, logicalId, roleStatements, type Statement, synthStack } from './synth-stack.ts';

const { template } = synthStack();
const bucket = (prefix: string) => logicalId(template, 'AWS::S3::Bucket', prefix);
const fn = logicalId(template, 'AWS::Lambda::Function', 'BulkLoadFunction');
const statements = roleStatements(
  template,
  logicalId(template, 'AWS::IAM::Role', 'BulkLoadFunctionServiceRole'),
).filter((s) => s.Effect === 'Allow');
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const withAction = (action: string) => statements.filter((s) => actionsOf(s).includes(action));
const objects = (id: string, suffix: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket(id), 'Arn'] }, suffix]],
});
const glueTable = (table: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:glue:ap-southeast-1:`,
      { Ref: 'AWS::AccountId' },
      `:table/congkhai/${table}`,
    ],
  ],
});

describe('bulk-load function', () => {
  it('runs the bulk-load handler on Node 24 with the lake, landing and Athena settings, one at a time', () => {
    const props = template.toJSON().Resources[fn].Properties;
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Timeout).toBe(900);
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(props.Environment.Variables).toMatchObject({
      LAKE_BUCKET: { Ref: bucket('BucketsLake') },
      LANDING_BUCKET: { Ref: bucket('BucketsLanding') },
      LANDING_PREFIX: 'landing/',
      ATHENA_DATABASE: 'congkhai',
      ATHENA_WORKGROUP: 'congkhai',
      CONGKHAI_QUERIES_DIR: '/var/task/queries',
    });
  });

  it('is started by an operator only: no event source, no S3 notification', () => {
    expect(JSON.stringify(template.findResources('Custom::S3BucketNotifications'))).not.toContain(fn);
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toEqual([]);
  });

  it('alarms on its errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
    });
  });
});

describe('bulk-load role: least privilege', () => {
  it('Athena only in the lake workgroup', () => {
    const athena = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(JSON.stringify(athena[0]!.Resource)).toContain(':workgroup/congkhai');
  });

  it('creates and drops only its own bulk_load_* tables; reads the two lake tables', () => {
    for (const action of ['glue:CreateTable', 'glue:DeleteTable']) {
      const tables = withAction(action)
        .flatMap(resourcesOf)
        .filter((r) => JSON.stringify(r).includes(':table/'));
      expect(tables).toEqual([glueTable('bulk_load_*')]);
    }
    const read = withAction('glue:GetTable').flatMap(resourcesOf);
    expect(read).toEqual(expect.arrayContaining([glueTable('dossiers'), glueTable('quarantine')]));
    const all = statements.flatMap(actionsOf);
    for (const action of ['glue:UpdateTable', 'glue:DeleteDatabase', 'glue:CreateDatabase', 'glue:*'])
      expect(all).not.toContain(action);
  });

  it('reads landing/ only; writes only dossiers/, quarantine/ and ingest_log/ of the lake; deletes nothing', () => {
    const landingReads = withAction('s3:GetObject')
      .flatMap(resourcesOf)
      .filter((r) => JSON.stringify(r).includes(bucket('BucketsLanding')));
    expect(landingReads).toEqual([objects('BucketsLanding', '/landing/*')]);
    const puts = withAction('s3:PutObject').flatMap(resourcesOf);
    expect(puts).toEqual(
      expect.arrayContaining([
        objects('BucketsLake', '/dossiers/*'),
        objects('BucketsLake', '/quarantine/*'),
        objects('BucketsLake', '/ingest_log/*'),
        objects('BucketsAthenaResults', '/athena/*'),
      ]),
    );
    expect(puts).toHaveLength(4);
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain(bucket('BucketsSite'));
  });
});

describe('quarantine table', () => {
  it('a Glue table over quarantine/ with the quarantine columns and projection on snapshot_date', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'congkhai',
      TableInput: {
        Name: 'quarantine',
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [{ Name: 'snapshot_date', Type: 'date' }],
        Parameters: {
          'projection.enabled': 'true',
          'projection.snapshot_date.type': 'date',
          'storage.location.template': {
            'Fn::Join': [
              '',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own placeholder syntax
              ['s3://', { Ref: bucket('BucketsLake') }, '/quarantine/snapshot_date=${snapshot_date}/'],
            ],
          },
        },
        StorageDescriptor: {
          Columns: QUARANTINE_COLUMNS.map(([name, type]) => ({
            Name: name,
            Type: type === 'BIGINT' ? 'bigint' : 'string',
          })),
        },
      },
    });
  });
});
