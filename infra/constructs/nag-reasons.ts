// cdk-nag acknowledgements shared by several constructs, each with the reason it is
// acceptable. cdk-nag v3 wants each finding acknowledged by its exact id. (Our own functions
// have no managed policy: see lambda-role.ts.)
import { type CfnElement, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

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

/** Constructs CDK adds by itself at stack level (the S3 notification custom resource). */
export function acknowledgeCdkInternals(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      acknowledge(child, [
        {
          id: BASIC_EXECUTION_ROLE,
          reason:
            "CDK's own custom resource that sets the landing bucket's event notification at deploy time. CDK gives it AWSLambdaBasicExecutionRole (logs:CreateLogGroup/CreateLogStream/PutLogEvents on any log group, Resource *) and offers no option to scope it; its only other right is s3:PutBucketNotification.",
        },
      ]);
    }
  }
}
