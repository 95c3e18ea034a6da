// Where the stack tells a person that something went wrong: ingest errors, dead letters,
// failed, timed-out or aborted nightly runs, a night without a successful run, and the cost
// budget all go to one SNS topic, e-mailed to the operator (a required address).
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IGrantable, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../cdk-nag.ts';

export interface AlertsProps {
  /** Who is told. Required: alerts that reach no one are no alerts. */
  email: string;
}

export class Alerts extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly email: string;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    if (!props.email?.includes('@')) {
      throw new Error(
        'congkhai:alertEmail is required: the address told when a nightly run fails (-c congkhai:alertEmail=ops@example.gov.vn)',
      );
    }
    this.email = props.email;
    // A customer key, because CloudWatch alarms cannot publish to a topic encrypted with
    // the AWS-managed SNS key.
    this.key = new Key(this, 'Key', {
      description: 'congkhai alerts topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
    });
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'congkhai alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /** Publish to the topic: sns:Publish and, because the topic is encrypted, the key. */
  grantPublish(grantee: IGrantable): void {
    this.topic.grantPublish(grantee);
    this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }

  /** An alarm on `metric` (≥ threshold in one period unless told otherwise) that pages. */
  alarm(
    scope: Construct,
    id: string,
    props: {
      description: string;
      metric: IMetric;
      threshold?: number;
      comparisonOperator?: ComparisonOperator;
      evaluationPeriods?: number;
      treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    const alarm = new Alarm(scope, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold ?? 1,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: props.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  /** A dead-letter queue (encrypted, 14 days) whose first message pages. */
  deadLetterQueue(
    scope: Construct,
    ids: { queue: string; alarm: string },
    props: { of: string; alarmDescription: string },
  ): Queue {
    const queue = new Queue(scope, ids.queue, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(queue, [
      { id: 'AwsSolutions-SQS3', reason: `This queue is the dead-letter queue of ${props.of}.` },
    ]);
    this.alarm(scope, ids.alarm, {
      description: props.alarmDescription,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    });
    return queue;
  }
}
