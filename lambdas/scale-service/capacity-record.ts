import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { asError, hasErrorName, InvalidStateError, rethrow, TransientAwsError } from '../shared/errors';

/** Per-call options: an abort signal bounds a call to a region that may be down (fence-source). */
export interface RecordCallOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * PutParameter errors that a person must fix (AWS documents each for PutParameter): the oldest of
 * 100 versions carries a label, the account's parameter quota is full (only when the parameter was
 * deleted and the write would create it), or the name's hierarchy or type does not fit.
 */
const NEEDS_AN_OPERATOR = [
  'ParameterMaxVersionLimitExceeded',
  'ParameterLimitExceeded',
  'HierarchyLevelLimitExceededException',
  'HierarchyTypeMismatchException',
  'UnsupportedParameterType',
  'ParameterPatternMismatchException',
  'InvalidAllowedPatternException',
] as const;

/**
 * The number a capacity parameter holds (`infra/constructs/capacity-parameters.ts`); `undefined`
 * when the parameter does not exist (a network stack not yet deployed at this version: writing it
 * would make that deploy fail, as CloudFormation does not adopt an existing parameter), NaN when it
 * holds something else.
 *
 * @throws TransientAwsError throttling, 5xx, network errors
 */
export async function readCapacityRecord(
  ssm: SSMClient,
  name: string,
  options: RecordCallOptions = {},
): Promise<number | undefined> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }), options);
    return Number(out.Parameter?.Value);
  } catch (err: unknown) {
    if (hasErrorName(err, 'ParameterNotFound')) return undefined;
    rethrow(err, `GetParameter ${name}`);
  }
}

/**
 * Write `value` to the capacity parameter `name` (String, overwriting), so that the next deploy of
 * the service stack applies it.
 *
 * @throws TransientAwsError TooManyUpdates (another write to the same parameter is in flight: AWS
 * accepts one at a time), throttling, 5xx, network errors
 * @throws InvalidStateError a documented PutParameter refusal that needs an operator ({@link NEEDS_AN_OPERATOR})
 */
export async function writeCapacityRecord(
  ssm: SSMClient,
  name: string,
  value: number,
  options: RecordCallOptions = {},
): Promise<void> {
  try {
    await ssm.send(
      new PutParameterCommand({ Name: name, Value: String(value), Type: 'String', Overwrite: true }),
      options,
    );
  } catch (err: unknown) {
    const e = asError(err);
    if (hasErrorName(e, 'TooManyUpdates')) {
      throw new TransientAwsError(`PutParameter ${name}: ${e.name}: ${e.message}`, { cause: e });
    }
    if (hasErrorName(e, ...NEEDS_AN_OPERATOR)) {
      throw new InvalidStateError(
        `PutParameter ${name}: ${e.name}: ${e.message} (fix the parameter, then run the step again)`,
        { cause: e },
      );
    }
    rethrow(e, `PutParameter ${name}`);
  }
}
