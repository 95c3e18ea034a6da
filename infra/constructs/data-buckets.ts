// The stack's S3 buckets, one per role in the data flow:
//   landing  → raw extracts (dropped by the province's system, or pulled nightly), kept as long
//              as the lake may have to be rebuilt from them (config: landingRetentionDays)
//   lake     → Parquet dossiers, quarantine and ingest logs (versioned: the history of record)
//   results  → Athena query results (kept 7 days)
//   site     → the published site and data, readable only through CloudFront (OAC); versioned,
//              so a bad build or a deleted archive version can be restored
//   logs     → S3 server access logs and CloudFront logs
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';

export const LANDING_PREFIX = 'landing/';
/** Where the nightly pull keeps what it downloaded (raw, before ingest). */
export const PULLED_PREFIX = 'pulled/';

export interface DataBucketsProps {
  /** Days a raw extract stays in the landing bucket. */
  landingRetentionDays: number;
  /** Days an overwritten or deleted object of the lake or the site stays recoverable. */
  noncurrentVersionDays: number;
}

export class DataBuckets extends Construct {
  readonly logs: Bucket;
  readonly landing: Bucket;
  readonly lake: Bucket;
  readonly athenaResults: Bucket;
  readonly site: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketsProps) {
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
        {
          // The raw extracts are the only way to rebuild the lake (a new ingest rule, a lost
          // part): kept for landingRetentionDays, in a cheaper class once no longer fresh.
          id: 'keep-extracts',
          expiration: Duration.days(props.landingRetentionDays),
          transitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
        },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.lake = new Bucket(this, 'Lake', {
      ...logged('lake'),
      versioned: true,
      lifecycleRules: [
        // Overwritten or deleted parts stay recoverable for a while, not forever.
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays),
        },
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

    // Versioned: the dated archive is meant to be immutable, and a site build that syncs with
    // --delete must not be able to lose it. Old versions are kept noncurrentVersionDays.
    this.site = new Bucket(this, 'Site', {
      ...logged('site'),
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-old-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays),
        },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
