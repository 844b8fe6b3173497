import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface FailoverTopicProps {
  readonly topicName: string;
  /** Subscribed by email; each address confirms once. */
  readonly emails: readonly string[];
}

/** The encrypted SNS topic every failover outcome (success, no action, failure) is published to. */
export class FailoverTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FailoverTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `${props.topicName}: encrypts failover notifications`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}
