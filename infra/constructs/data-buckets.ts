// The stack's S3 buckets, one per role in the data flow:
//   landing  → extracts dropped by the province's system (kept 30 days)
//   lake     → Parquet dossiers, quarantine and ingest logs (versioned: the history of record)
//   results  → Athena query results (kept 7 days)
//   site     → the published site and data, readable only through CloudFront (OAC)
//   logs     → S3 server access logs and CloudFront logs
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';

export const LANDING_PREFIX = 'landing/';

export class DataBuckets extends Construct {
  readonly logs: Bucket;
  readonly landing: Bucket;
  readonly lake: Bucket;
  readonly athenaResults: Bucket;
  readonly site: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const secured: BucketProps = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.logs = new Bucket(this, 'AccessLogs', {
      ...secured,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365) }],
    });
    acknowledge(this.logs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the access-log bucket itself; logging it into itself would loop.',
      },
    ]);

    const logged = (name: string): BucketProps => ({
      ...secured,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: `s3/${name}/`,
    });

    this.landing = new Bucket(this, 'Landing', {
      ...logged('landing'),
      lifecycleRules: [
        { id: 'expire-extracts', expiration: Duration.days(30) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.lake = new Bucket(this, 'Lake', {
      ...logged('lake'),
      versioned: true,
      lifecycleRules: [
        // Overwritten or deleted parts stay recoverable for a while, not forever.
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.athenaResults = new Bucket(this, 'AthenaResults', {
      ...logged('athena-results'),
      lifecycleRules: [
        {
          id: 'expire-results',
          expiration: Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.site = new Bucket(this, 'Site', {
      ...logged('site'),
      lifecycleRules: [{ id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
  }
}
