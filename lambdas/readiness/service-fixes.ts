import { capacityIsTeams, capacityKey, fixFor, isTeams, teamFix } from './fixes';
import type { ReadinessService, ReadinessSettings } from './settings';

/**
 * The fixes of the service and capacity findings: this region's service stack for what pilot-light
 * deploys, the AWS CLI or the team's tool for the team's services and the cluster and Auto Scaling
 * group they run on (`existing:`), naming the config key that may be the one to correct.
 */

/** `cluster/service`, as the ECS console names it. */
const serviceLabel = (s: ReadinessSettings, svc: ReadinessService): string =>
  `${s.ecsClusterName}/${svc.ecsService}`;

/** `own` when pilot-light deploys the cluster and its Auto Scaling group, `team()` when the team does. */
export const capacityFix = (s: ReadinessSettings, own: string, team: () => string): string =>
  fixFor(capacityIsTeams(s), own, team);

/** The ECS cluster does not exist. */
export const missingEcsClusterFix = (s: ReadinessSettings): string =>
  capacityFix(s, "deploy this region's service stack (it creates the ECS cluster)", () =>
    teamFix(
      `correct ${capacityKey(s, 'ecsCluster')} if it is misspelt (aws ecs list-clusters --region ${s.targetRegion} lists them), else create cluster ${s.ecsClusterName}`,
    ),
  );

/** `svc`'s ECS service does not exist (or is INACTIVE, or DRAINING). */
export const missingServiceFix = (s: ReadinessSettings, svc: ReadinessService): string =>
  fixFor(isTeams(svc), "deploy this region's service stack", () =>
    teamFix(
      `correct services entry ${svc.name}'s existing.regions.${s.targetRole}.serviceName if it is misspelt (aws ecs list-services --cluster ${s.ecsClusterName} --region ${s.targetRegion} lists them), else create ECS service ${svc.ecsService} in ${s.ecsClusterName}`,
    ),
  );

/** The Auto Scaling group does not exist. */
export const missingAsgFix = (s: ReadinessSettings): string =>
  capacityFix(
    s,
    `deploy this region's service stack (aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names ${s.asgName} --region ${s.targetRegion})`,
    () =>
      teamFix(
        `correct ${capacityKey(s, 'autoScalingGroupName')} if it is misspelt (aws autoscaling describe-auto-scaling-groups --region ${s.targetRegion} lists them), else create Auto Scaling group ${s.asgName}`,
      ),
  );

/** The Auto Scaling group's MaxSize is below what a promotion raises its minimum to. */
export const asgMaxFix = (s: ReadinessSettings): string => {
  const min = s.promotion.asgMinCapacity;
  return capacityFix(
    s,
    `raise regions.${s.targetRole}.capacity.maxCapacity to at least ${min} and deploy the service stack`,
    () =>
      teamFix(
        `lower regions.${s.targetRole}.capacity.promotion.minCapacity, or raise ASG ${s.asgName}'s MaxSize to at least ${min}`,
        `aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${s.asgName} --max-size ${min} --region ${s.targetRegion}`,
      ),
  );
};

/** The Auto Scaling group's launch template is missing or incomplete (`what` it must have). */
export const launchTemplateFix = (s: ReadinessSettings, own: string, what: string): string =>
  capacityFix(s, own, () =>
    teamFix(
      `give ASG ${s.asgName} a launch template version ${what}`,
      `aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${s.asgName} --launch-template LaunchTemplateId=<id>,Version=<version> --region ${s.targetRegion}`,
    ),
  );

/** `svc`'s task definition cannot start new tasks, or does not run `svc.image` (`imageDiffers`). */
export const taskDefinitionFix = (
  s: ReadinessSettings,
  svc: ReadinessService,
  imageDiffers: boolean,
): string => {
  const own = imageDiffers
    ? `deploy this region's service stack so both regions run the services entry ${svc.name}'s image, or set that image to the one in use`
    : "deploy this region's service stack (it registers the task definition with the service's image)";
  return fixFor(isTeams(svc), own, () =>
    teamFix(
      `${imageDiffers ? `set services entry ${svc.name}'s image to the one in use if that is right, else ` : ''}point ECS service ${serviceLabel(s, svc)} at an ACTIVE task definition running ${svc.image}`,
      `aws ecs update-service --cluster ${s.ecsClusterName} --service ${svc.ecsService} --task-definition <family:revision> --region ${s.targetRegion}`,
    ),
  );
};

/** `svc`'s ECS service does not place its tasks through the Auto Scaling group's capacity provider. */
export const capacityProviderFix = (s: ReadinessSettings, svc: ReadinessService): string =>
  fixFor(
    isTeams(svc),
    `deploy this region's service stack (it gives the service the capacity provider of ASG ${s.asgName})`,
    () =>
      teamFix(
        `give ECS service ${serviceLabel(s, svc)} a capacity provider strategy naming the capacity provider of ASG ${s.asgName} (aws ecs describe-capacity-providers --region ${s.targetRegion} lists them)`,
        `aws ecs update-service --cluster ${s.ecsClusterName} --service ${svc.ecsService} --capacity-provider-strategy capacityProvider=<provider>,weight=1 --force-new-deployment --region ${s.targetRegion}`,
      ),
  );

/** `svc`'s ECS service has no target group, or one without a health check path (`healthCheck`). */
export const targetGroupFix = (s: ReadinessSettings, svc: ReadinessService, healthCheck: boolean): string => {
  const own = "deploy this region's service stack (it attaches the service to the ALB's target group)";
  if (healthCheck) {
    return fixFor(isTeams(svc), `${own}; the services entry's healthCheckPath sets the path`, () =>
      teamFix(
        'give the target group a health check path',
        `aws elbv2 modify-target-group --target-group-arn <arn> --health-check-path <path> --region ${s.targetRegion}`,
      ),
    );
  }
  return fixFor(isTeams(svc), own, () =>
    teamFix(
      `attach ECS service ${serviceLabel(s, svc)} to a target group of its load balancer`,
      `aws ecs update-service --cluster ${s.ecsClusterName} --service ${svc.ecsService} --load-balancers targetGroupArn=<arn>,containerName=<container>,containerPort=<port> --region ${s.targetRegion}`,
    ),
  );
};

/**
 * `reads.serviceTaskDefinition(svc)` found no task definition: the service is missing, or names one
 * that cannot be described. Asks AWS nothing: the service was read for it.
 */
export async function noTaskDefinitionFix(
  s: ReadinessSettings,
  // Only the read this fix needs (ReadinessReads has it): reads.ts imports this module.
  reads: { ecsService(service: ReadinessService): Promise<object | undefined> },
  svc: ReadinessService,
): Promise<string> {
  return (await reads.ecsService(svc)) === undefined
    ? missingServiceFix(s, svc)
    : taskDefinitionFix(s, svc, false);
}
