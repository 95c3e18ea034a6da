// A Lambda role without AWS's basic execution policy: that managed policy lets a function
// create and write ANY log group of the account (Resource "*"). This role may only create
// streams and write events in the function's own log group.
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export function lambdaRole(scope: Construct, id: string, logGroup: ILogGroup, description: string): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description,
  });
  logGroup.grantWrite(role);
  return role;
}
