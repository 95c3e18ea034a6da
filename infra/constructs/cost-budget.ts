// A monthly AWS Budgets budget for the account's spend: the operator is e-mailed, and the
// alerts topic told, when actual spend passes 80% and 100% of it or the month's forecast
// passes 100%. A runaway query or a loop shows up within a day, not on the invoice.

import { Stack } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Alerts } from './alerts.ts';

export interface CostBudgetProps {
  alerts: Alerts;
  monthlyUsd: number;
}

export class CostBudget extends Construct {
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const budgets = new ServicePrincipal('budgets.amazonaws.com');
    const account = Stack.of(this).account;
    // Budgets publishes to the (encrypted) alerts topic as itself, for this account only.
    props.alerts.topic.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [budgets],
        actions: ['sns:Publish'],
        resources: [props.alerts.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    props.alerts.key.grant(budgets, 'kms:Decrypt', 'kms:GenerateDataKey*');

    const subscribers = [
      { subscriptionType: 'EMAIL', address: props.alerts.email },
      { subscriptionType: 'SNS', address: props.alerts.topic.topicArn },
    ];
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: {
        notificationType,
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
      },
      subscribers,
    });
    this.budget = new CfnBudget(this, 'Monthly', {
      budget: {
        budgetName: `congkhai-${Stack.of(this).stackName}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [notify('ACTUAL', 80), notify('ACTUAL', 100), notify('FORECASTED', 100)],
    });
  }
}
