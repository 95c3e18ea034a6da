// cdk-nag v3 (AwsSolutions rules as a CDK policy-validation plugin). It is CommonJS whose
// named exports Node's ESM loader cannot detect, so it is imported once here.
import { Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks } = cdkNag;

/** Acknowledge cdk-nag findings on a construct (and its children), each with its reason.
 * A finding id is a rule ('AwsSolutions-S1') or one finding of it
 * ('AwsSolutions-IAM5[Action::s3:GetObject*]'). */
export function acknowledge(
  scope: IConstruct,
  findings: ReadonlyArray<{ id: string; reason: string }>,
): void {
  for (const finding of findings) Validations.of(scope).acknowledge(finding);
}
