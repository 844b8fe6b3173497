import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { projectNames, type RegionNames } from '../config/names';
import { regionResources } from '../config/resources';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { probeUrlOf, triggerNames } from '../config/trigger-names';
import { FailoverDashboard } from '../constructs/failover-dashboard';
import { FailoverNotifier } from '../constructs/failover-notifier';
import { FailoverStateMachine } from '../constructs/failover-state-machine';
import { FailoverSteps } from '../constructs/failover-steps';
import { FailoverTopic } from '../constructs/failover-topic';
import { FailoverTrigger, PROBE_METRIC, PROBE_NAMESPACE } from '../constructs/failover-trigger';
import { ReadinessEvaluator } from '../constructs/readiness-evaluator';
import { RunRecordBucket } from '../constructs/run-record-bucket';
import { RunRecorder } from '../constructs/run-recorder';
import { TrafficClaimAlarm } from '../constructs/traffic-claim-alarm';
import { pinLogicalId } from './pin-logical-id';

/**
 * Logical id of the probe schedule's permission to invoke the probe, as deployed: CDK builds it from
 * the probe's path, which began with this stack's former construct id (`MainOrchestrator`, …).
 */
const FORMER_PROBE_PERMISSION_ID: Readonly<Record<RegionRole, string>> = {
  main: 'TriggerProbeScheduleAllowEventRuleMainOrchestratorTriggerProbeFunctionEC7C22C4DD9CE8F9',
  dr: 'TriggerProbeScheduleAllowEventRuleDrOrchestratorTriggerProbeFunctionFAFED2295E397411',
};

/**
 * What says this region reaches the outside (an HTTP answer of whatever status counts): its own load balancer through
 * its public regional name (a pilot-light region answers 503 with no tasks), and its regional STS
 * endpoint. Plain strings: the drill replays the probe's environment verbatim.
 *
 * The load balancer stays on plain HTTP (port 80) on purpose: its permanent redirect to HTTPS is an
 * answer, and it comes without a TLS handshake, so a certificate problem in this region (pending,
 * expired, missing a name) cannot make the probe think it is blind and withhold its failure share.
 */
function controlUrls(own: RegionNames): string[] {
  const suffix = own.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return [`http://${own.regionalRecordName}/`, `https://sts.${own.region}.${suffix}/`];
}

function contextProject(scope: Construct): string | undefined {
  const value: unknown = scope.node.tryGetContext('project');
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface OrchestratorStackProps extends StackProps {
  readonly config: ProjectConfig;
  /** The region this stack promotes: its own. `dr` = failover, `main` = failback. */
  readonly role: RegionRole;
  /**
   * `project-config/<configName>.yml`, named in the notifications' rerun command.
   * @default the app's `project` context (`cdk synth -c project=<name>`)
   */
  readonly configName?: string;
}

/**
 * The failover orchestrator for one region: step Lambdas, the state machine, the notification
 * topic, the alarm over this region's traffic claim (the claim this state machine publishes; the
 * DNS stack's health checks read it) and (where config enables it) the alarm trigger. It depends
 * on nothing in the other region.
 */
export class OrchestratorStack extends Stack {
  readonly stateMachine: FailoverStateMachine;
  readonly trafficClaim: TrafficClaimAlarm;
  readonly readiness: ReadinessEvaluator;
  /** This region's run records: written at the end of every execution, kept when the stack goes. */
  readonly runRecords: RunRecordBucket;
  readonly trigger?: FailoverTrigger;

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    const { config, role } = props;
    const names = projectNames(config);
    const own = names.regions[role];

    const configName = props.configName ?? contextProject(this) ?? '<config name>';
    const topic = new FailoverTopic(this, 'Notifications', {
      topicName: own.topicName,
      emails: config.failover.notificationEmails,
    });
    // In this region: the claim is published here, and must be readable while the other region is down.
    this.trafficClaim = new TrafficClaimAlarm(this, 'TrafficClaim', {
      project: config.project,
      role,
      alarmName: own.trafficClaimAlarmName,
    });
    const steps = new FailoverSteps(this, 'Steps', { config, names, role });
    const notifier = new FailoverNotifier(this, 'Notifier', {
      names,
      role,
      configName,
      topicName: own.topicName,
      topicKey: topic.key,
      databases: regionResources(config, names, role).databases,
    });
    this.runRecords = new RunRecordBucket(this, 'RunRecords', { bucketName: own.runRecordBucketName });
    // Names the bucket and the state machine by their deterministic names: no reference, no cycle.
    const recorder = new RunRecorder(this, 'Recorder', { names, role });
    // The orchestrator check reads every Lambda the definition calls (itself included: see the construct).
    this.readiness = new ReadinessEvaluator(this, 'Readiness', {
      config,
      names,
      role,
      topic: topic.topic,
      topicKey: topic.key,
      functions: [...Object.values(steps.functions), notifier.function, recorder.function],
    });
    this.stateMachine = new FailoverStateMachine(this, 'Failover', {
      stateMachineName: own.stateMachineName,
      steps: steps.functions,
      notifier: notifier.function,
      readiness: this.readiness.function,
      recorder: recorder.function,
      topic: topic.topic,
      topicKey: topic.key,
    });

    if (config.failover.alarm.regions.includes(role)) {
      const protectedRegion = names.regions[otherRole(role)];
      this.trigger = new FailoverTrigger(this, 'Trigger', {
        config,
        stateMachine: this.stateMachine.stateMachine,
        own,
        topic: topic.topic,
        topicKey: topic.key,
        configName,
        probeUrl: probeUrlOf(config, protectedRegion),
        controlUrls: controlUrls(own),
      });
      // Only a trigger that builds its own alarm has the probe; keep its permission's deployed id.
      if (this.trigger.alarm) pinLogicalId(this.trigger, CfnPermission, FORMER_PROBE_PERMISSION_ID[role]);
    }

    const alarm = config.failover.alarm;
    new FailoverDashboard(this, 'Dashboard', {
      dashboardName: triggerNames(own).dashboardName,
      project: config.project,
      role,
      regions: { main: names.regions.main.region, dr: names.regions.dr.region },
      ...(this.trigger?.alarm === undefined
        ? {}
        : {
            probe: {
              namespace: PROBE_NAMESPACE,
              metricName: PROBE_METRIC,
              periodSeconds: alarm.periodSeconds,
            },
          }),
      alarms: [
        ...(this.trigger?.alarm === undefined ? [] : [this.trigger.alarm]),
        ...(this.trigger?.probeAlarm === undefined ? [] : [this.trigger.probeAlarm.alarm]),
        ...(this.trigger === undefined ? [] : [this.trigger.deadLetters.alarm]),
        this.readiness.alarm,
        this.trafficClaim.alarm,
      ],
      stateMachine: this.stateMachine.stateMachine,
      clusterIdentifiers: own.databases.map((d) => d.dbClusterIdentifier),
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TopicArn', { value: topic.topic.topicArn });
  }
}
