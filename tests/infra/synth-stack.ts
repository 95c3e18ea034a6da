// The stack as the tests see it: synthesized in-process, offline, without bundling the
// Lambda code (tests/infra/cdk-synth.test.ts runs the real `cdk synth` with bundling).
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CongkhaiStack } from '../../infra/congkhai-stack.ts';
import { type StackConfig, StackConfigSchema } from '../../infra/stack-config.ts';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export const TEST_ALERT_EMAIL = 'ops@example.gov.vn';

export function synthStack(config: Partial<StackConfig> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CongkhaiStack(app, 'Congkhai', {
    config: StackConfigSchema.parse({ alertEmail: TEST_ALERT_EMAIL, ...config }),
    projectRoot: PROJECT_ROOT,
    env: { region: 'ap-southeast-1' },
  });
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** The logical id of the one resource of a type whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the inline policies attached to a role. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties?.['Roles']).includes(`"${roleLogicalId}"`))
    .flatMap((p) => (p.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** A state machine definition (Fn::Join of strings and tokens) as JSON, tokens replaced by a marker. */
export function stateMachineDefinition(template: Template): {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, Record<string, unknown>>;
} {
  const [machine] = Object.values(
    template.findResources('AWS::StepFunctions::StateMachine'),
  ) as Resources[string][];
  const definition = machine!.Properties!['DefinitionString'] as { 'Fn::Join': [string, unknown[]] };
  const text = definition['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text);
}
