import type { ProjectNames, RegionNames } from '../config/names';
import type { ProjectConfig, RegionRole } from '../config/schema';
import type { CliDeps, RegionClients } from './deps';

/** What every command runs with: the project, its names, and clients signed with `--profile`. */
export interface CommandContext {
  readonly deps: CliDeps;
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  readonly profile: string | undefined;
}

/** `role`'s names and clients. */
export function regionOf(
  ctx: CommandContext,
  role: RegionRole,
): { readonly names: RegionNames; readonly clients: RegionClients } {
  const names = ctx.names.regions[role];
  return { names, clients: ctx.deps.clientsFor(names.region, ctx.profile) };
}

/** `dr (us-west-2)`, as every line about a region starts. */
export function regionLabel(names: RegionNames): string {
  return `${names.role} (${names.region})`;
}
