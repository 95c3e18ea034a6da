// What a congkhai Lambda shares with the others: Node 24 on ARM, bundled from the repository
// with its lock file, its own log group kept a year, and a role that may write only there.
import { join } from 'node:path';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { lambdaRole } from './lambda-role.ts';

export interface NodeFunctionBase {
  role: Role;
  props: NodejsFunctionProps & Required<Pick<NodejsFunctionProps, 'entry' | 'role' | 'logGroup'>>;
}

/** The log group, the role (logical id …FunctionServiceRole…) and the common function props. */
export function nodeFunctionBase(
  scope: Construct,
  options: { projectRoot: string; entry: string; roleDescription: string },
): NodeFunctionBase {
  const logGroup = new LogGroup(scope, 'Logs', { retention: RetentionDays.ONE_YEAR });
  const role = lambdaRole(scope, 'FunctionServiceRole', logGroup, options.roleDescription);
  return {
    role,
    props: {
      entry: join(options.projectRoot, options.entry),
      handler: 'handler',
      projectRoot: options.projectRoot,
      depsLockFilePath: join(options.projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      role,
      logGroup,
    },
  };
}
