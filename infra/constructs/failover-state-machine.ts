import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  NOTIFIER,
  READINESS,
  RECORDER,
  STEP_LIST,
  type StepKey,
  TOPIC_SUBSTITUTION,
} from '../../lambdas/shared/steps';
import { FAILOVER_ASL_PATH } from '../../statemachines/definition';

/** The Lambda of each step of `lambdas/shared/steps.ts`, by step key. */
export type FailoverStepFunctions = Readonly<Record<StepKey, lambda.IFunction>>;

export interface FailoverStateMachineProps {
  /** Deterministic: the preflight Lambda's IAM policy names it without a reference cycle. */
  readonly stateMachineName: string;
  readonly steps: FailoverStepFunctions;
  /** Publishes the readable notifications; the raw fallback publishes to `topic` directly. */
  readonly notifier: lambda.IFunction;
  /** Evaluates this region's readiness at the start of a run (`ReadinessEvaluator`). */
  readonly readiness: lambda.IFunction;
  /** Writes the run record before each final notice (`RunRecorder`). */
  readonly recorder: lambda.IFunction;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
}

/**
 * The Standard state machine that promotes this region, loaded from `statemachines/failover.asl.json`
 * with each step's function ARN substituted under the step's `substitution` key, and the topic ARN
 * under {@link TOPIC_SUBSTITUTION}. Logs every event and traces with X-Ray.
 */
export class FailoverStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: FailoverStateMachineProps) {
    super(scope, id);
    const { steps } = props;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(FAILOVER_ASL_PATH),
      definitionSubstitutions: {
        ...Object.fromEntries(STEP_LIST.map((s) => [s.substitution, steps[s.key].functionArn])),
        [NOTIFIER.substitution]: props.notifier.functionArn,
        [READINESS.substitution]: props.readiness.functionArn,
        [RECORDER.substitution]: props.recorder.functionArn,
        [TOPIC_SUBSTITUTION]: props.topic.topicArn,
      },
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    const role = this.stateMachine.role;
    const functions = [...Object.values(steps), props.notifier, props.readiness, props.recorder];
    for (const fn of functions) fn.grantInvoke(role);
    props.topic.grantPublish(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: [props.topicKey.keyArn],
      }),
    );
    const acknowledge = (finding: string, reason: string) =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    acknowledge(
      'Action::kms:GenerateDataKey*',
      'Publishing to the encrypted topic needs GenerateDataKey and its variants, on the topic’s own key only.',
    );
    acknowledge(
      'Resource::*',
      'Step Functions log delivery and X-Ray tracing actions have no resource-level permissions.',
    );
    for (const fn of functions) {
      const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      acknowledge(
        `Resource::<${logicalId}.Arn>:*`,
        'CDK grants invoke on the versions and aliases of our own function.',
      );
    }
  }
}
