import type { InputTransformer } from '../synth/alarm-template';
/**
 * EventBridge as the alarm rule uses it: match an event against a rule's event pattern and render
 * a target's input with its input transformer. Only the pattern operators the drill's rules can
 * synthesize are modeled (exact values, `prefix`, `anything-but`, `exists`); every other operator is
 * refused loudly rather than matched wrongly.
 */

/** An event as EventBridge delivers it (the envelope; `detail` is the source's). */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** An operator of the pattern the drill does not model. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether one event value matches one element of a pattern's array. */
function matchesElement(value: unknown, element: unknown): boolean {
  if (!isRecord(element)) return value === element;
  const [op, arg] = Object.entries(element)[0] ?? [];
  if (op === 'prefix' && typeof arg === 'string') return typeof value === 'string' && value.startsWith(arg);
  if (op === 'anything-but') {
    const excluded = Array.isArray(arg) ? arg : [arg];
    if (excluded.some(isRecord)) throw new UnsupportedPatternError(`anything-but ${JSON.stringify(arg)}`);
    return value !== undefined && !excluded.includes(value);
  }
  if (op === 'exists' && typeof arg === 'boolean') return (value !== undefined) === arg;
  throw new UnsupportedPatternError(`pattern operator ${JSON.stringify(element)}`);
}

/** A field matches when its value (or, for an array, one of its elements) matches one of the pattern's elements. */
function matchesField(value: unknown, elements: readonly unknown[]): boolean {
  if (elements.some((e) => isRecord(e) && 'exists' in e)) {
    return elements.some((e) => matchesElement(value, e));
  }
  if (value === undefined) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => elements.some((e) => matchesElement(v, e)));
}

/** Whether `event` matches `pattern` (every field named in the pattern matches; others are ignored). */
export function matchesPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  const source = isRecord(event) ? event : {};
  return Object.entries(pattern).every(([key, want]) => {
    const value = source[key];
    if (Array.isArray(want)) return matchesField(value, want);
    if (isRecord(want)) return isRecord(value) && matchesPattern(want, value);
    throw new UnsupportedPatternError(`${key}: a pattern value must be an array or an object`);
  });
}

/** The value at a JSONPath of the dot-notation subset EventBridge documents (`$.detail.alarmName`). */
export function valueAt(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new UnsupportedPatternError(`input path ${path}`);
  let v: unknown = event;
  for (const part of path.slice(2).split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(part)) v = v[Number(part)];
    else v = isRecord(v) ? v[part] : undefined;
  }
  return v;
}

/** Whether the template is JSON (an object or array), so placeholders are JSON-aware. */
function isJsonTemplate(template: string): boolean {
  return /^\s*[[{]/.test(template);
}

/**
 * Render `transformer` over `event` as EventBridge does. In a JSON template, a placeholder inside a
 * quoted string receives the value JSON-escaped (quotes and backslashes cannot break out of the
 * string); outside quotes it receives the value as JSON (a string gets its quotes, a missing path
 * `null`). In a plain-text template the value is inserted as is.
 */
export function renderInput(transformer: InputTransformer, event: unknown): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    values.set(name, valueAt(event, path));
  }
  const template = transformer.InputTemplate;
  const json = isJsonTemplate(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] ?? '';
    if (ch === '\\' && inString) {
      out += ch + (template[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (ch === '"') inString = !inString;
    const close = ch === '<' ? template.indexOf('>', i) : -1;
    const name = close > i ? template.slice(i + 1, close) : undefined;
    if (name === undefined || !values.has(name)) {
      out += ch;
      continue;
    }
    const v = values.get(name);
    const text = typeof v === 'string' ? v : v === undefined ? 'null' : JSON.stringify(v);
    if (!json) out += text;
    else if (inString) out += JSON.stringify(typeof v === 'string' ? v : text).slice(1, -1);
    else out += v === undefined ? 'null' : JSON.stringify(v);
    i = close;
  }
  return out;
}

/** A delivery of an event to a rule's target, as the drill records it. */
export interface RuleDelivery {
  readonly at: number;
  readonly event: BusEvent;
  readonly matched: boolean;
  /** The rendered target input (when matched). */
  readonly input?: string;
}

/** The attributes EventBridge sets on a message it puts in a target's dead-letter queue. */
export interface DeadLetterAttributes {
  readonly RULE_ARN: string;
  readonly TARGET_ARN: string;
  readonly ERROR_CODE: string;
  readonly ERROR_MESSAGE: string;
  /** Retries made before giving up. */
  readonly RETRY_ATTEMPTS: string;
}

/** An event EventBridge gave up delivering, as its dead-letter queue holds it. */
export interface DeadLetter {
  readonly at: number;
  readonly event: BusEvent;
  readonly attributes: DeadLetterAttributes;
  /** When a person deleted it (after starting the run by hand). */
  deletedAt?: number;
}

/**
 * Seconds after the first attempt at which EventBridge retries a failed delivery, within the
 * target's retry policy (attempts and event age). EventBridge documents exponential backoff with
 * jitter and no figures: the drill doubles from 1 s without jitter (an assumption).
 */
export function retryOffsets(retryAttempts: number, maxEventAgeSeconds: number): number[] {
  const out: number[] = [];
  let offset = 0;
  for (let k = 0; k < retryAttempts; k++) {
    offset += 2 ** k;
    if (offset > maxEventAgeSeconds) break;
    out.push(offset);
  }
  return out;
}
