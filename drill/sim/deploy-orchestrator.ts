import { iamArn } from '../synth/cfn-template';
import type { OrchestratorWiring } from '../synth/wiring';
import type { World } from './world';

/**
 * Record an orchestrator the drill deployed: its state machine's definition as the wiring
 * substituted it, and its functions, Active (what DescribeStateMachine and GetFunction answer).
 */
export function deployOrchestrator(world: World, stateMachineArn: string, wiring: OrchestratorWiring): void {
  world.deployed.stateMachines.set(stateMachineArn, {
    definition: JSON.stringify(wiring.definition),
    roleArn: iamArn(wiring, `role/${stateMachineArn.split(':')[6] ?? 'failover'}-role`),
  });
  for (const [arn, fn] of wiring.functions) {
    world.deployed.lambda.deploy({
      name: arn.split(':')[6] ?? fn.key,
      arn,
      region: wiring.region,
      timeoutSeconds: fn.timeoutSeconds,
      memorySize: fn.memorySize,
      state: 'Active',
    });
  }
}
