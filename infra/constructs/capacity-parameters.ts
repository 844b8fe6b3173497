import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { CapacityParameterNames } from '../config/names';
import { entryIdSuffix } from './entry-id';

/** Props of {@link CapacityParameters}. */
export interface CapacityParametersProps {
  /** Deterministic (`names.regions[role].capacityParameters`): the service stack and the failover steps name them too. */
  readonly names: CapacityParameterNames;
  /** The region's `capacity.minCapacity` from the config: the ASG's MinSize until a failover raises it. */
  readonly minCapacity: number;
  /**
   * Each service's `regions.<role>.desiredCount` from the config (in `services[]` order, with its
   * entry name): its DesiredCount until a failover changes it.
   */
  readonly services: readonly { readonly name: string; readonly desiredCount: number }[];
}

/**
 * The capacity a region's service stack deploys, held in SSM String parameters (the ASG's MinSize,
 * each ECS service's DesiredCount) instead of in the service template.
 *
 * The failover steps write them before they scale (scale-service raises them, fence-source sets the
 * old region's desired counts to 0), and the service stack resolves them on every deploy, so a deploy
 * after a failover or failback applies what the state machine set rather than resetting it.
 * CloudFormation rewrites a parameter only when its template value changes: editing
 * `capacity.minCapacity` / a service's `desiredCount` in the config and deploying this stack is how an
 * operator sets the capacity again; unrelated deploys keep the value the state machine wrote.
 */
export class CapacityParameters extends Construct {
  readonly asgMinCapacity: ssm.StringParameter;
  /** One per service, in `services[]` order (the first keeps the seed's construct id). */
  readonly serviceDesiredCounts: readonly ssm.StringParameter[];

  constructor(scope: Construct, id: string, props: CapacityParametersProps) {
    super(scope, id);
    this.asgMinCapacity = new ssm.StringParameter(this, 'AsgMinCapacity', {
      parameterName: props.names.asgMinCapacity,
      stringValue: String(props.minCapacity),
      tier: ssm.ParameterTier.STANDARD,
      description:
        'MinSize of the ECS Auto Scaling group, read by the service stack on every deploy; the failover state machine raises it.',
    });
    this.serviceDesiredCounts = props.services.map((service, i) => {
      const parameterName = props.names.serviceDesiredCounts[i];
      if (parameterName === undefined) throw new Error(`services[${i}]: no desired-count parameter name`);
      return new ssm.StringParameter(this, `ServiceDesiredCount${entryIdSuffix(i, service.name)}`, {
        parameterName,
        stringValue: String(service.desiredCount),
        tier: ssm.ParameterTier.STANDARD,
        // Any property change makes CloudFormation put the template's value again, resetting what a
        // failover wrote: the first keeps the seed's description word for word.
        description:
          i === 0
            ? 'DesiredCount of the ECS service, read by the service stack on every deploy; the failover state machine raises it (and fences the old region to 0).'
            : `DesiredCount of the ECS service ${service.name}, read by the service stack on every deploy; the failover state machine raises it (and fences the old region to 0).`,
      });
    });
  }
}
