// Exact S3 rights, per prefix. CDK's bucket grants (grantRead, grantReadWrite, grantDelete)
// hand out action groups such as s3:DeleteObject* (which includes s3:DeleteObjectVersion: a
// version delete cannot be undone, even on a versioned bucket) on the whole bucket. Here each
// statement names exact actions and exactly the prefixes a role's code uses, and the
// cdk-nag acknowledgement of each object wildcard says what lives under it.
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';
import { logicalIdOf } from './nag-reasons.ts';

/** Object-level actions a role may be given. Never s3:DeleteObjectVersion. */
export type ObjectAction =
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:DeleteObject'
  | 's3:AbortMultipartUpload'
  | 's3:ListMultipartUploadParts';

/** Bucket-level actions: listing (so that a missing key is a 404, not a 403) and location. */
export type BucketAction = 's3:ListBucket' | 's3:GetBucketLocation' | 's3:ListBucketMultipartUploads';

export interface ObjectGrant {
  bucket: IBucket;
  actions: readonly ObjectAction[];
  /** Key prefixes ('dossiers/', 'data/v1/'), or '' for every key of the bucket. */
  prefixes: readonly string[];
  /** What the role's code does there: the cdk-nag acknowledgement of the wildcard. */
  reason: string;
}

/** Allow exact object actions on `<bucket>/<prefix>*` for each prefix. */
export function allowObjects(scope: IConstruct, grantee: IGrantable, grant: ObjectGrant): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...grant.actions],
      resources: grant.prefixes.map((prefix) => grant.bucket.arnForObjects(`${prefix}*`)),
    }),
  );
  const bucketId = logicalIdOf(grant.bucket);
  acknowledge(
    scope,
    grant.prefixes.map((prefix) => ({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason: grant.reason,
    })),
  );
}

/** Allow exact bucket-level actions (no object is read or written by these). */
export function allowBucket(grantee: IGrantable, bucket: IBucket, actions: readonly BucketAction[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: [...actions], resources: [bucket.bucketArn] }),
  );
}

/** An explicit Deny that no Allow (present or future) of the same role can override. */
export function denyObjects(
  grantee: IGrantable,
  bucket: IBucket,
  actions: readonly ObjectAction[],
  prefix: string,
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.DENY,
      actions: [...actions],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
}
