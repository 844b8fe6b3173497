import type { SimPublished } from '../sim/sns';
import { fieldsOf } from './execution-output';

/**
 * The failed step a failure notification names: the notify Lambda's `failedStep` attribute on a
 * `FAILED` notice, else (the raw fallback publish) the `failedStep` of the state as JSON.
 */
export function failedStepOfNotice(notice: Pick<SimPublished, 'message' | 'attributes'>): string | undefined {
  if (notice.attributes.outcome !== undefined) {
    return notice.attributes.outcome === 'FAILED' ? notice.attributes.failedStep : undefined;
  }
  return failedStepOf(notice.message);
}

/**
 * The failed step a failure notification names. aws-local-stepfunctions strips every backslash
 * from intrinsic-function results, so `States.JsonToString` of a state holding a JSON `Cause` (what
 * Lambda errors carry) is not valid JSON there, though it is in AWS: fall back to reading the
 * top-level fields textually.
 */
export function failedStepOf(message: string): string | undefined {
  try {
    const o = fieldsOf(JSON.parse(message) as unknown);
    return o?.outcome === 'FAILED' && typeof o.failedStep === 'string' && o.failedStep !== ''
      ? o.failedStep
      : undefined;
  } catch {
    if (!message.startsWith('{"outcome":"FAILED"')) return undefined;
    return /^\{"outcome":"FAILED","failedStep":"([A-Za-z0-9_-]+)"/.exec(message)?.[1];
  }
}
