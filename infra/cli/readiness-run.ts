import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { loadConfig } from '../config/load';
import { projectNames } from '../config/names';
import { readinessSettingsOf } from '../config/readiness-settings';
import { credentialAdvice, errorText, isCredentialError } from './aws-errors';
import { parseReadinessArgs, roleOfRegion } from './readiness-args';
import { reportSetupError } from './setup-errors';

/** What `npm run readiness` uses from the outside world; tests pass fakes. */
export interface ReadinessCliDeps {
  /**
   * Run every check of `settings` with clients signed with `profile`'s credentials. Rejects with
   * the credentials error when AWS refused the credentials (the checks would only say UNKNOWN).
   */
  readonly evaluate: (settings: ReadinessSettings, profile: string | undefined) => Promise<ReadinessReport>;
  /** The table a person reads (`lambdas/readiness/table.ts`). */
  readonly render: (report: ReadinessReport) => string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** @default project-config/ */
  readonly configDir?: string;
}

/**
 * One `npm run readiness` invocation. Returns the exit status: 0 ready (or help shown), 1 not
 * ready or AWS refused the credentials, 2 bad flags or config (nothing was asked of AWS).
 */
export async function runReadiness(argv: readonly string[], deps: ReadinessCliDeps): Promise<number> {
  let settings: ReadinessSettings;
  let profile: string | undefined;
  let account: string;
  let json: boolean;
  try {
    const cmd = parseReadinessArgs(argv);
    if (cmd.command === 'help') {
      deps.out(cmd.usage);
      return 0;
    }
    const config = loadConfig(cmd.project, deps.configDir);
    const role = roleOfRegion(config, cmd.region);
    settings = readinessSettingsOf(config, projectNames(config), role);
    account = config.regions[role].account;
    profile = cmd.profile;
    json = cmd.json;
  } catch (err: unknown) {
    return reportSetupError(err, deps.err);
  }
  let report: ReadinessReport;
  try {
    report = await deps.evaluate(settings, profile);
  } catch (err: unknown) {
    deps.err(isCredentialError(err) ? credentialAdvice(err, profile, account) : `error: ${errorText(err)}`);
    return 1;
  }
  deps.out(json ? JSON.stringify(report, null, 2) : deps.render(report));
  return report.ready ? 0 : 1;
}
