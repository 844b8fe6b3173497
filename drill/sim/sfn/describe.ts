import {
  type DescribeStateMachineCommandInput,
  InvalidArn,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';

/**
 * The simulated DescribeStateMachine: the definition of each orchestrator the drill deployed, with
 * its function ARNs as the drill's wiring substituted them (drill/runner/orchestrator.ts).
 */

/** Seconds before the drill the state machines were created (the orchestrator stack's deploy). */
const CREATED_AT = -86_400;

export const sfnDescribeApi: SimApi = {
  DescribeStateMachine: (raw, world, region) => {
    const input = raw as DescribeStateMachineCommandInput;
    const arn = input.stateMachineArn ?? '';
    if (!arn.startsWith('arn:') || arn.split(':').length < 7)
      throw modeledError(InvalidArn, `Invalid Arn: '${arn}'`);
    const deployed = world.deployed.stateMachines.get(arn);
    if (!world.sfn.stateMachines.has(arn) || arn.split(':')[3] !== region) {
      throw modeledError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    }
    if (deployed === undefined) {
      const err = new Error(
        `the drill did not synthesize the orchestrator of ${arn}: only the region it promotes has a definition`,
      );
      err.name = 'DrillUnsupportedCommand';
      throw err;
    }
    return {
      stateMachineArn: arn,
      name: arn.split(':')[6],
      status: 'ACTIVE',
      definition: deployed.definition,
      roleArn: deployed.roleArn,
      type: 'STANDARD',
      creationDate: world.clock.dateAt(CREATED_AT),
      loggingConfiguration: { level: 'ALL', includeExecutionData: true },
      tracingConfiguration: { enabled: true },
    };
  },
};
