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
 * The failed step a raw failure notification names. The raw fallback publishes
 * `States.JsonToString($)` of the failure state: JSON text, whatever its `cause` holds. A message
 * that is not that JSON names no step.
 */
export function failedStepOf(message: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const o = fieldsOf(parsed);
  return o?.outcome === 'FAILED' && typeof o.failedStep === 'string' && o.failedStep !== ''
    ? o.failedStep
    : undefined;
}
