import { ENTRY_METADATA_KEY } from '../../infra/constructs/entry-metadata';
import { WiringError } from '../errors';
import { type CfnResource, isRecord } from './cfn-template';

/** A Lambda function of the orchestrator, as the template deploys it. */
export interface WiredFunction {
  /** The substitution key it is bound to, e.g. `PreflightFunctionArn`. */
  readonly key: string;
  readonly logicalId: string;
  /** Folder exporting `handler` from `index.ts`, e.g. `lambdas/preflight`. */
  readonly entry: string;
  /** `Properties.Environment.Variables`, verbatim. */
  readonly environment: Readonly<Record<string, string>>;
  /** `Properties.Timeout` (Lambda's default, 3 s, when absent). */
  readonly timeoutSeconds: number;
  readonly memorySize: number;
}

/** The Lambda function `logicalId` bound to substitution `key`: its source folder, environment and limits. */
export function readFunction(logicalId: string, resource: CfnResource, key: string): WiredFunction {
  const entry = resource.Metadata?.[ENTRY_METADATA_KEY];
  if (typeof entry !== 'string' || entry === '') {
    throw new WiringError(
      `${key} → ${logicalId}: the function has no Metadata["${ENTRY_METADATA_KEY}"] naming its source folder`,
    );
  }
  const props = resource.Properties ?? {};
  const env = props.Environment;
  const vars = isRecord(env) && isRecord(env.Variables) ? env.Variables : {};
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (typeof value !== 'string') {
      throw new WiringError(
        `${logicalId}: environment variable ${name} is ${JSON.stringify(value)}, not a plain string; the drill replays the environment verbatim`,
      );
    }
    environment[name] = value;
  }
  const timeout = props.Timeout;
  const memory = props.MemorySize;
  return {
    key,
    logicalId,
    entry,
    environment,
    timeoutSeconds: typeof timeout === 'number' ? timeout : 3,
    memorySize: typeof memory === 'number' ? memory : 128,
  };
}
