import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RECORD_RUN_ENV } from '../../lambdas/record-run/env';
import { RECORDER } from '../../lambdas/shared/steps';
import type { ProjectNames } from '../config/names';
import { otherRole, type RegionRole } from '../config/schema';
import { RUN_RECORD_PREFIX } from './run-record-bucket';
import { StepLambda } from './step-lambda';

export interface RunRecorderProps {
  readonly names: ProjectNames;
  /** The region whose runs it records (the stack's own). */
  readonly role: RegionRole;
}

/**
 * The Lambda that writes a run record at the end of every execution (`lambdas/record-run`): it
 * reads the execution's history and puts two objects in the region's run-record bucket. Its
 * grants name the bucket and the state machine by their deterministic names, so neither the
 * bucket nor the state machine (which invokes it) is referenced: no cycle.
 */
export class RunRecorder extends Construct {
  readonly function: lambda.IFunction;

  constructor(scope: Construct, id: string, props: RunRecorderProps) {
    super(scope, id);
    const { names, role } = props;
    const own = names.regions[role];
    this.function = new StepLambda(this, RECORDER.label, {
      entry: RECORDER.folder,
      description: 'Write the failover run’s record (JSON + Markdown) to the run-record bucket',
      envNames: RECORD_RUN_ENV,
      environment: {
        RUN_RECORD_BUCKET: own.runRecordBucketName,
        TARGET_ROLE: role,
        TARGET_REGION: own.region,
        SOURCE_REGION: names.regions[otherRole(role)].region,
      },
      // Up to 25 history pages and two puts; well under a minute even with retries.
      timeout: Duration.seconds(60),
      statements: [
        {
          actions: ['s3:PutObject'],
          resources: [`${own.runRecordBucketArn}/${RUN_RECORD_PREFIX}*`],
          why: 'One object per run under runs/<date>/<execution>; the keys are named at run time.',
        },
        {
          actions: ['states:GetExecutionHistory'],
          resources: [own.arn('states', `execution:${own.stateMachineName}:*`)],
          why: 'The history of every execution of this region’s own state machine; execution names are chosen at start.',
        },
      ],
    }).function;
  }
}
