// cdk-nag acknowledgements shared by several constructs, each with the reason it is
// acceptable. cdk-nag v3 wants each finding acknowledged by its exact id.
import { type CfnElement, Stack, Token } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** A Lambda's role with the AWS-managed basic execution policy. */
export function acknowledgeLambdaBasics(scope: IConstruct): void {
  acknowledge(scope, [
    {
      id: BASIC_EXECUTION_ROLE,
      reason: 'The AWS-managed basic execution policy only lets the function write its own CloudWatch logs.',
    },
  ]);
}

/** The action groups of CDK's bucket grants (grantRead, grantReadWrite...). */
export function acknowledgeS3GrantActions(
  scope: IConstruct,
  actions: readonly string[] = [
    's3:GetObject*',
    's3:GetBucket*',
    's3:List*',
    's3:DeleteObject*',
    's3:Abort*',
  ],
): void {
  acknowledge(
    scope,
    actions.map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason:
        'CDK bucket-grant action group: the variants of one S3 verb (object versions, tags, multipart parts), limited to the buckets named in the same statement.',
    })),
  );
}

/** How cdk-nag writes the stack's region and account in a finding id: the value when the
 * stack is bound to an environment, else the pseudo parameter. */
export function nagRegion(scope: IConstruct): string {
  const { region } = Stack.of(scope);
  return Token.isUnresolved(region) ? '<AWS::Region>' : region;
}
export function nagAccount(scope: IConstruct): string {
  const { account } = Stack.of(scope);
  return Token.isUnresolved(account) ? '<AWS::AccountId>' : account;
}

/** The logical id CloudFormation gives a construct's main resource. */
export function logicalIdOf(scope: IConstruct): string {
  return Stack.of(scope).getLogicalId(scope.node.defaultChild as CfnElement);
}

/** Object-level access `<bucket ARN>/<suffix>` to a bucket this role owns the data of. */
export function acknowledgeBucketObjects(
  scope: IConstruct,
  bucket: IBucket,
  suffix: string,
  reason: string,
): void {
  acknowledge(scope, [{ id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${suffix}]`, reason }]);
}

/** Constructs CDK adds by itself at stack level (the S3 notification custom resource). */
export function acknowledgeCdkInternals(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      acknowledge(child, [
        {
          id: BASIC_EXECUTION_ROLE,
          reason:
            "CDK's own custom resource that sets the landing bucket's event notification; its managed policy only writes logs.",
        },
      ]);
    }
  }
}
