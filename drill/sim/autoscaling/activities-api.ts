import {
  type Activity,
  type DescribeScalingActivitiesCommandInput,
  InvalidNextToken,
} from '@aws-sdk/client-auto-scaling';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { ZoneRefusal } from '../capacity';
import { stableId } from '../stable-id';
import type { World } from '../world';
import type { SimAsg, SimScalingActivity } from './autoscaling';
import { validationError } from './errors';

/**
 * DescribeScalingActivities: each group's launches, newest first, worded as Auto Scaling words them
 * (the failed launch's status message is EC2's InsufficientInstanceCapacity message), so a reader
 * of the activities (scale-service's refusals) sees what it would see in AWS.
 */

/** MaxRecords' range is 1 to this, and its default (API reference). */
const MAX_RECORDS = 100;
/** ActivityIds holds at most this many ids (API reference). */
const MAX_ACTIVITY_IDS = 50;
/** How far along an activity is, as AWS reports it while it waits for the instance. */
const IN_PROGRESS = 30;

/** `2026-12-03T10:00:00Z`: how a Cause writes its times (no milliseconds). */
function causeTime(world: World, at: number): string {
  return world.clock
    .dateAt(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

function causeOf(world: World, a: SimScalingActivity): string {
  const { update, capacityFrom, capacityTo } = a.cause;
  const request =
    update === undefined
      ? ''
      : `At ${causeTime(world, update.at)} a user request update of AutoScalingGroup constraints to min: ${update.min}, max: ${update.max}, desired: ${update.desired} changing the desired capacity from ${update.previousDesired} to ${update.desired}.  `;
  return `${request}At ${causeTime(world, a.at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${capacityFrom} to ${capacityTo}.`;
}

/** The subnet of `zone` the group launches into (the network stack's, one per zone). */
export function subnetOf(region: string, zone: string): string {
  return `subnet-0${stableId(`${region}|${zone}|subnet`, 16)}`;
}

/**
 * EC2's words for a refused launch of `type` in `zone`, naming the zones that have it now (AWS:
 * "You can currently get t3.small capacity by ... choosing us-west-2b, us-west-2c").
 */
export function refusalMessage(
  refusal: ZoneRefusal,
  type: string,
  zone: string,
  elsewhere: readonly string[],
): string {
  const others = elsewhere.join(', ');
  if (refusal === 'Unsupported') {
    return `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone}). Please retry your request by not specifying an Availability Zone${others === '' ? '' : ` or choosing ${others}`}. Launching EC2 instance failed.`;
  }
  const get =
    others === ''
      ? ''
      : ` You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${others}.`;
  return `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity.${get} Launching EC2 instance failed.`;
}

/** The zones of `asg` other than `zone` where EC2 had `type` when the activity ran (asked, not recorded). */
function zonesWith(world: World, asg: SimAsg, type: string, zone: string, at: number): string[] {
  return asg.azs.filter(
    (z) =>
      z !== zone &&
      world.capacity.interceptors.every(
        (intercept) =>
          intercept({ service: 'ec2', region: asg.region, zone: z, instanceType: type, at }) === undefined,
      ),
  );
}

function describeActivity(world: World, asg: SimAsg, a: SimScalingActivity): Activity {
  const message =
    a.refused === undefined
      ? undefined
      : refusalMessage(
          a.refused.refusal,
          a.refused.instanceType,
          a.zone,
          zonesWith(world, asg, a.refused.instanceType, a.zone, a.at),
        );
  return {
    ActivityId: a.id,
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: asg.arn,
    Description:
      a.instanceId === undefined
        ? `Launching a new EC2 instance.  Status Reason: ${message ?? 'Launching EC2 instance failed.'}`
        : `Launching a new EC2 instance: ${a.instanceId}`,
    Cause: causeOf(world, a),
    StartTime: world.clock.dateAt(a.at),
    ...(a.endedAt === undefined ? {} : { EndTime: world.clock.dateAt(a.endedAt) }),
    StatusCode: a.status,
    ...(message === undefined ? {} : { StatusMessage: message }),
    Progress: a.status === 'InProgress' ? IN_PROGRESS : 100,
    Details: JSON.stringify({ 'Subnet ID': subnetOf(asg.region, a.zone), 'Availability Zone': a.zone }),
  };
}

export const scalingActivitiesApi: SimApi = {
  DescribeScalingActivities: (raw, world, region) => {
    const input = raw as DescribeScalingActivitiesCommandInput;
    const max = input.MaxRecords ?? MAX_RECORDS;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECORDS) {
      throw validationError(
        `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and ${MAX_RECORDS}`,
      );
    }
    const ids = input.ActivityIds;
    if (ids !== undefined && ids.length > MAX_ACTIVITY_IDS) {
      throw validationError(
        `1 validation error detected: Value at 'activityIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACTIVITY_IDS}`,
      );
    }
    const offset = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(offset) || offset < 0) {
      throw modeledError(InvalidNextToken, 'The token passed is invalid.');
    }
    // A name that matches no group answers no activities, not an error (as in the real API).
    const name = input.AutoScalingGroupName;
    const groups = [...world.autoscaling.groups.values()].filter(
      (g) => g.region === region && (name === undefined || name === '' || g.name === name),
    );
    const all = groups
      .flatMap((g) => g.activities.map((a, i) => ({ g, a, i })))
      .filter(({ a }) => ids === undefined || ids.length === 0 || ids.includes(a.id))
      // Newest first; of activities started at the same instant, the one started last.
      .sort((x, y) => y.a.at - x.a.at || y.i - x.i);
    const slice = all.slice(offset, offset + max);
    const more = offset + max < all.length;
    return {
      Activities: slice.map(({ g, a }) => describeActivity(world, g, a)),
      ...(more ? { NextToken: String(offset + max) } : {}),
    };
  },
};
