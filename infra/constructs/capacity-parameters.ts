import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { CapacityParameterNames } from '../config/names';

/** Props of {@link CapacityParameters}. */
export interface CapacityParametersProps {
  /** Deterministic (`names.regions[role].capacityParameters`): the service stack and the failover steps name them too. */
  readonly names: CapacityParameterNames;
  /** The region's `service.minCapacity` from the config: the ASG's MinSize until a failover raises it. */
  readonly minCapacity: number;
  /** The region's `service.desiredCount` from the config: the service's DesiredCount until a failover changes it. */
  readonly desiredCount: number;
}

/**
 * The capacity a region's service stack deploys, held in two SSM String parameters (the ASG's
 * MinSize, the ECS service's DesiredCount) instead of in the service template.
 *
 * The failover steps write them before they scale (scale-service raises both, fence-source sets the
 * old region's desired count to 0), and the service stack resolves them on every deploy, so a deploy
 * after a failover or failback applies what the state machine set rather than resetting it.
 * CloudFormation rewrites a parameter only when its template value changes: editing
 * `service.minCapacity` / `service.desiredCount` in the config and deploying this stack is how an
 * operator sets the capacity again; unrelated deploys keep the value the state machine wrote.
 */
export class CapacityParameters extends Construct {
  readonly asgMinCapacity: ssm.StringParameter;
  readonly serviceDesiredCount: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: CapacityParametersProps) {
    super(scope, id);
    this.asgMinCapacity = new ssm.StringParameter(this, 'AsgMinCapacity', {
      parameterName: props.names.asgMinCapacity,
      stringValue: String(props.minCapacity),
      tier: ssm.ParameterTier.STANDARD,
      description:
        'MinSize of the ECS Auto Scaling group, read by the service stack on every deploy; the failover state machine raises it.',
    });
    this.serviceDesiredCount = new ssm.StringParameter(this, 'ServiceDesiredCount', {
      parameterName: props.names.serviceDesiredCount,
      stringValue: String(props.desiredCount),
      tier: ssm.ParameterTier.STANDARD,
      description:
        'DesiredCount of the ECS service, read by the service stack on every deploy; the failover state machine raises it (and fences the old region to 0).',
    });
  }
}
