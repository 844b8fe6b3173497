import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { NOTIFY_DATABASE_FIELDS, NOTIFY_ENV } from '../../lambdas/notify/env';
import { DATABASES_ENV, type DatabaseResource, databasesEnvironment } from '../../lambdas/shared/resources';
import { NOTIFIER } from '../../lambdas/shared/steps';
import type { ProjectNames } from '../config/names';
import { otherRole, type RegionRole } from '../config/schema';
import { StepLambda } from './step-lambda';

export interface FailoverNotifierProps {
  readonly names: ProjectNames;
  /** The region whose runs it reports on (the stack's own). */
  readonly role: RegionRole;
  /** `project-config/<configName>.yml`: the notices print the CLI command that finishes a run. */
  readonly configName: string;
  /** The topic's deterministic name (the environment carries plain strings only). */
  readonly topicName: string;
  /** The topic's encryption key: publishing to an SSE-KMS topic needs GenerateDataKey and Decrypt. */
  readonly topicKey: kms.IKey;
  /** This region's view of the databases (`regionResources`): the notices read each writer live. */
  readonly databases: readonly DatabaseResource[];
}

/**
 * The Lambda that turns a run's state into a readable notification (start, success, failure, no
 * action) and publishes it on the region's topic; it reads the writer's region live, in this region.
 */
export class FailoverNotifier extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: FailoverNotifierProps) {
    super(scope, id);
    const { names, role } = props;
    const own = names.regions[role];
    const topicArn = own.arn('sns', props.topicName);
    this.function = new StepLambda(this, NOTIFIER.label, {
      entry: NOTIFIER.folder,
      description: 'Publish the failover run’s notifications as readable text',
      envNames: NOTIFY_ENV,
      environment: {
        PROJECT: names.project,
        CONFIG_NAME: props.configName,
        TARGET_ROLE: role,
        TARGET_REGION: own.region,
        SOURCE_REGION: names.regions[otherRole(role)].region,
        TOPIC_ARN: topicArn,
        [DATABASES_ENV]: databasesEnvironment(props.databases, NOTIFY_DATABASE_FIELDS),
        STATE_MACHINE_ARN: own.stateMachineArn,
      },
      statements: [
        { actions: ['sns:Publish'], resources: [topicArn] },
        { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.topicKey.keyArn] },
        { actions: ['rds:DescribeGlobalClusters'], resources: own.databases.map((d) => d.globalClusterArn) },
      ],
    }).function;
  }
}
