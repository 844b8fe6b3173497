import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * CloudWatch publishes alarm actions as its service principal: the topic's policy (replaced by the
 * topic's own TLS-only policy) and the key of the SSE-KMS topic must both allow it, for this alarm
 * only (confused-deputy conditions on the alarm's ARN and account). `alarmArn` must be the alarm's
 * deterministic ARN: the key's policy is part of the key, which the alarm's topic depends on, so a
 * reference to the alarm there would be a cycle.
 */
export function allowAlarmToPublish(
  topic: sns.ITopic,
  topicKey: kms.IKey,
  alarmArn: string,
  account: string,
): void {
  const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
  const conditions = {
    ArnEquals: { 'aws:SourceArn': alarmArn },
    StringEquals: { 'aws:SourceAccount': account },
  };
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }),
  );
  topicKey.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy, `*` is the key itself.
      resources: ['*'],
      conditions,
    }),
  );
}
