// cdk-nag's AwsSolutions pack over the whole app: no finding left unacknowledged, and every
// acknowledgement carries its reason.
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from '../../infra/cdk-nag.ts';
import { synthStack } from './synth-stack.ts';

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Each entry maps rule id → reason.
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  const { app } = synthStack();

  it('finds nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement gives a reason', () => {
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.reason.trim().length, `${ack.id} at ${ack.path}`).toBeGreaterThan(30);
    }
  });

  it('the checks are not vacuous: an unsecured bucket is reported', async () => {
    const { Stack } = await import('aws-cdk-lib');
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    const { stack } = synthStack();
    const extra = new Stack(stack.node.scope as never, 'Extra');
    new Bucket(extra, 'Plain');
    const report = new AwsSolutionsChecks().validateScope(extra);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AwsSolutions-S1'),
        expect.stringContaining('AwsSolutions-S10'),
      ]),
    );
  });
});
