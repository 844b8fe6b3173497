import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { projectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { FailoverStateMachine } from '../constructs/failover-state-machine';
import { FailoverSteps } from '../constructs/failover-steps';
import { FailoverTopic } from '../constructs/failover-topic';
import { FailoverTrigger } from '../constructs/failover-trigger';

export interface OrchestratorStackProps extends StackProps {
  readonly config: ProjectConfig;
  /** The region this stack promotes: its own. `dr` = failover, `main` = failback. */
  readonly role: RegionRole;
}

/**
 * The failover orchestrator for one region: step Lambdas, the state machine, the notification
 * topic and (where config enables it) the alarm trigger. It depends on nothing in the other region.
 */
export class OrchestratorStack extends Stack {
  readonly stateMachine: FailoverStateMachine;
  readonly trigger?: FailoverTrigger;

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    const { config, role } = props;
    const names = projectNames(config);
    const own = names.regions[role];

    const topic = new FailoverTopic(this, 'Notifications', {
      topicName: own.topicName,
      emails: config.failover.notificationEmails,
    });
    const steps = new FailoverSteps(this, 'Steps', { config, names, role });
    this.stateMachine = new FailoverStateMachine(this, 'Failover', {
      stateMachineName: own.stateMachineName,
      steps: steps.functions,
      topic: topic.topic,
      topicKey: topic.key,
    });

    if (config.failover.alarm.regions.includes(role)) {
      const protectedRegion = names.regions[otherRole(role)];
      this.trigger = new FailoverTrigger(this, 'Trigger', {
        config,
        stateMachine: this.stateMachine.stateMachine,
        region: own.region,
        probeUrl:
          config.failover.alarm.probeUrl ??
          `http://${protectedRegion.regionalRecordName}${config.app.healthCheckPath}`,
      });
    }

    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TopicArn', { value: topic.topic.topicArn });
  }
}
