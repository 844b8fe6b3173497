import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as resourcegroups from 'aws-cdk-lib/aws-resourcegroups';
import { Construct } from 'constructs';
import { CAPACITY_RESERVATION_TAG } from '../../lambdas/shared/readiness-contract';
import { reservationSpread } from '../config/schema';

/** Props of {@link CapacityReservations}. */
export interface CapacityReservationsProps {
  /** The Auto Scaling group that launches into them (tag value and group name). */
  readonly asgName: string;
  readonly instanceType: string;
  /** The region's zones, in config order: the instances are spread over them. */
  readonly availabilityZones: readonly string[];
  /** Instances reserved in all. */
  readonly instances: number;
}

/**
 * On-Demand Capacity Reservations for part or all of a promotion's instances (`capacity.reservation`):
 * one targeted reservation per zone, open-ended, gathered in a Capacity Reservation resource group the
 * launch template targets. Targeted, not open: an open reservation is consumed by every matching
 * instance of the account, and another team's launch could take it before a failover needs it.
 * Each reservation is billed at the On-Demand rate whether an instance uses it or not.
 */
export class CapacityReservations extends Construct {
  /** The resource group the launch template's CapacityReservationTarget names. */
  public readonly groupArn: string;
  public readonly reservations: readonly ec2.CfnCapacityReservation[];

  constructor(scope: Construct, id: string, props: CapacityReservationsProps) {
    super(scope, id);
    this.reservations = [...reservationSpread(props.instances, props.availabilityZones)].map(
      ([zone, count]) => {
        const reservation = new ec2.CfnCapacityReservation(this, zone, {
          availabilityZone: zone,
          instanceType: props.instanceType,
          instancePlatform: 'Linux/UNIX',
          instanceCount: count,
          tenancy: 'default',
          instanceMatchCriteria: 'targeted',
          endDateType: 'unlimited',
          // Written out: the reservation's tags are TagSpecifications, which Tags.of() does not reach.
          tagSpecifications: [
            {
              resourceType: 'capacity-reservation',
              tags: [{ key: CAPACITY_RESERVATION_TAG, value: props.asgName }],
            },
          ],
        });
        return reservation;
      },
    );
    const group = new resourcegroups.CfnGroup(this, 'Group', {
      name: `${props.asgName}-reservations`,
      description: `On-Demand Capacity Reservations the launch template of ${props.asgName} targets`,
      configuration: [
        { type: 'AWS::EC2::CapacityReservationPool' },
        {
          type: 'AWS::ResourceGroups::Generic',
          parameters: [{ name: 'allowed-resource-types', values: ['AWS::EC2::CapacityReservation'] }],
        },
      ],
      resources: this.reservations.map((r) => r.attrCapacityReservationArn),
    });
    this.groupArn = group.attrArn;
  }
}
