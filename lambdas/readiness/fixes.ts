import type { ReadinessSettings } from './settings';

/**
 * The fixes findings give, by who deploys the resource: pilot-light's stacks for what it deploys,
 * the team's own way for what it names (`existing:` in the config), never a pilot-light stack
 * there: `cdk deploy` would change nothing about a resource it does not own.
 */

/** What every fix for a resource the team deployed ends with. */
export const NOT_DEPLOYED = 'pilot-light does not deploy it';

/**
 * A fix in the team's terms: `action` with the AWS CLI `command` that does it, or in the tool that
 * manages the resource, e.g. ``add it with `aws rds create-db-cluster …` or in the tool that
 * manages it; pilot-light does not deploy it``; without a command, `action` in that tool.
 */
export function teamFix(action: string, command?: string): string {
  const how =
    command === undefined
      ? 'in the tool that manages it'
      : `with \`${command}\` or in the tool that manages it`;
  return `${action} ${how}; ${NOT_DEPLOYED}`;
}

/** Whether `resource` (a database or service entry) is one the team deployed. */
export const isTeams = (resource: { readonly existing?: boolean }): boolean => resource.existing === true;

/**
 * Whether the ECS cluster and its Auto Scaling group are the team's: exactly when the services are
 * (the config has every service existing or none, as one cluster per region runs them all).
 */
export const capacityIsTeams = (s: ReadinessSettings): boolean => s.services.some(isTeams);

/** `own` for a resource pilot-light deploys, `team()` for one the team deployed. */
export function fixFor(teams: boolean, own: string, team: () => string): string {
  return teams ? team() : own;
}

/** The config key naming the team's ECS cluster, Auto Scaling group and load balancer of this region. */
export const capacityKey = (s: ReadinessSettings, key: string): string =>
  `regions.${s.targetRole}.capacity.existing.${key}`;
