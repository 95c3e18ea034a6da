// The overdue reference key in the stack: a Secrets Manager secret whose value Secrets Manager
// generates (no value in the template), kept when the stack is deleted, named to the publish
// function by its ARN, and readable by the publish role alone.
import { describe, expect, it } from 'vitest';
import { actionsOf, logicalId, type Statement, synthStack } from './synth-stack.ts';

const { template } = synthStack();
const secretId = logicalId(template, 'AWS::SecretsManager::Secret', 'PublishReferenceKey');
const publishRole = logicalId(template, 'AWS::IAM::Role', 'PublishFunctionServiceRole');

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };

describe('the overdue reference key secret', () => {
  it('exists with a generated value, never a value in the template, and is retained', () => {
    const secret = template.toJSON()['Resources'][secretId] as Resource;
    expect(secret.Properties?.['GenerateSecretString']).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    expect(secret.Properties).not.toHaveProperty('SecretString');
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('is named to the publish function by its ARN', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const named = Object.entries(functions).filter(([, fn]) =>
      JSON.stringify(fn.Properties?.['Environment'] ?? {}).includes(`"${secretId}"`),
    );
    expect(named.map(([id]) => id)).toEqual([
      logicalId(template, 'AWS::Lambda::Function', 'PublishFunction'),
    ]);
    const env = (named[0]![1].Properties!['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(env['REFERENCE_KEY_SECRET_ARN']).toEqual({ Ref: secretId });
  });

  it('only the publish role may read it, and only read it', () => {
    const policies = template.findResources('AWS::IAM::Policy') as Record<string, Resource>;
    const readers: { roles: string; actions: string[] }[] = [];
    for (const policy of Object.values(policies)) {
      const statements = (policy.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement;
      for (const statement of statements) {
        if (!JSON.stringify(statement.Resource).includes(`"${secretId}"`)) continue;
        readers.push({ roles: JSON.stringify(policy.Properties!['Roles']), actions: actionsOf(statement) });
      }
    }
    expect(readers).toHaveLength(1);
    expect(readers[0]!.roles).toBe(JSON.stringify([{ Ref: publishRole }]));
    expect(readers[0]!.actions.sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    // No resource policy opens it to anyone else.
    expect(Object.keys(template.findResources('AWS::SecretsManager::ResourcePolicy'))).toEqual([]);
  });
});
