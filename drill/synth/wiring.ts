import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { LAMBDA_INVOKE_WAIT_FOR_TOKEN } from '../../statemachines/build/approval';
import { listStates, type NestingState } from '../../statemachines/states';
import { WiringError } from '../errors';
import { type CfnResource, type CfnTemplate, definitionText, isRecord, stackArn } from './cfn-template';
import { readFunction, type WiredFunction } from './function';

/** A topic the definition publishes to. */
export interface WiredTopic {
  readonly key: string;
  readonly logicalId: string;
  readonly name?: string;
}

/** Everything the drill needs to run the orchestrator as synthesized. */
export interface OrchestratorWiring {
  /** The definition with every `${Key}` replaced by a fake ARN. */
  readonly definition: StateMachineDefinition;
  /** Fake function ARN → function. */
  readonly functions: ReadonlyMap<string, WiredFunction>;
  /** Fake topic ARN → topic. */
  readonly topics: ReadonlyMap<string, WiredTopic>;
  /** `StateMachineName` from the template, when set. */
  readonly stateMachineName?: string;
  readonly region: string;
  readonly account: string;
}

/** Where the template's stack is deployed, and how to read its assets. */
export interface ExtractOptions {
  /** Region and account used in the fake ARNs (the orchestrator stack's own). */
  readonly region: string;
  readonly account: string;
  /**
   * Text of a file asset by its S3 object key: `DefinitionBody.fromFile` synthesizes
   * `DefinitionS3Location` and ships the definition as an asset of the cloud assembly.
   */
  readonly readAsset?: (objectKey: string) => string | undefined;
}

/**
 * Read the orchestrator's wiring from a synthesized template: the single state machine's
 * definition with each `${Key}` substitution replaced by a fake ARN, and each fake ARN mapped to
 * the Lambda function (source folder + environment) or topic it stands for.
 *
 * @throws WiringError naming what is missing or cannot be resolved offline
 */
export function extractOrchestrator(template: CfnTemplate, options: ExtractOptions): OrchestratorWiring {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) {
    throw new WiringError(`expected exactly one AWS::StepFunctions::StateMachine, found ${machines.length}`);
  }
  const [, machine] = machines[0] as [string, CfnResource];
  const props = machine.Properties ?? {};
  let text: string;
  const location = props.DefinitionS3Location;
  if (props.DefinitionString !== undefined) {
    text = definitionText(props.DefinitionString, options);
  } else if (isRecord(location) && typeof location.Key === 'string') {
    const asset = options.readAsset?.(location.Key);
    if (asset === undefined) {
      throw new WiringError(`DefinitionS3Location: asset ${location.Key} is not in the cloud assembly`);
    }
    text = asset;
  } else {
    throw new WiringError('the state machine has neither DefinitionString nor DefinitionS3Location');
  }
  const substitutions = isRecord(props.DefinitionSubstitutions) ? props.DefinitionSubstitutions : {};

  const functions = new Map<string, WiredFunction>();
  const topics = new Map<string, WiredTopic>();
  const values = new Map<string, string>();

  for (const [key, value] of Object.entries(substitutions)) {
    if (typeof value === 'string' || typeof value === 'number') {
      values.set(key, String(value));
      continue;
    }
    const getAtt = isRecord(value) ? value['Fn::GetAtt'] : undefined;
    const ref = isRecord(value) ? value.Ref : undefined;
    const logicalId = Array.isArray(getAtt) && getAtt[1] === 'Arn' ? getAtt[0] : ref;
    const target = typeof logicalId === 'string' ? resources[logicalId] : undefined;
    if (typeof logicalId !== 'string' || target === undefined) {
      throw new WiringError(
        `DefinitionSubstitutions.${key}: ${JSON.stringify(value)} names no resource in the template`,
      );
    }
    if (target.Type === 'AWS::Lambda::Function') {
      const fnArn = stackArn(options, 'lambda', `function:${key}`);
      functions.set(fnArn, readFunction(logicalId, target, key));
      values.set(key, fnArn);
    } else if (target.Type === 'AWS::SNS::Topic') {
      const name = target.Properties?.TopicName;
      const topicArn = stackArn(options, 'sns', typeof name === 'string' ? name : key);
      topics.set(topicArn, { key, logicalId, ...(typeof name === 'string' ? { name } : {}) });
      values.set(key, topicArn);
    } else {
      throw new WiringError(
        `DefinitionSubstitutions.${key}: ${logicalId} is a ${String(target.Type)}; the drill runs Lambda functions and SNS topics`,
      );
    }
  }

  const missing = new Set<string>();
  text = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, key: string) => {
    const v = values.get(key);
    if (v === undefined) missing.add(key);
    return v ?? match;
  });
  if (missing.size > 0) {
    throw new WiringError(
      `the definition references ${[...missing].map((k) => `\${${k}}`).join(', ')} but DefinitionSubstitutions does not define ${missing.size > 1 ? 'them' : 'it'}`,
    );
  }
  let definition: StateMachineDefinition;
  try {
    definition = JSON.parse(text) as StateMachineDefinition;
  } catch (err: unknown) {
    throw new WiringError(`DefinitionString is not JSON after substitution: ${String(err)}`);
  }
  const name = props.StateMachineName;
  return {
    definition,
    functions,
    topics,
    ...(typeof name === 'string' ? { stateMachineName: name } : {}),
    region: options.region,
    account: options.account,
  };
}

/** A Task state of the definition (branches included), with its resource. */
export interface TaskStateInfo {
  readonly name: string;
  /**
   * What runs: the `Resource` (a function ARN, or an integration such as sns:publish); for a
   * `lambda:invoke.waitForTaskToken` Task, the function its `Parameters.FunctionName` names.
   */
  readonly resource: string;
  /** A callback Task (`.waitForTaskToken`): it ends when SendTaskSuccess/Failure answers its token. */
  readonly callback?: true;
}

interface ResourceState extends NestingState {
  readonly Resource?: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly TimeoutSecondsPath?: string;
}

function functionNameOf(name: string, state: ResourceState): string {
  const fn = state.Parameters?.FunctionName;
  if (typeof fn !== 'string') {
    throw new WiringError(
      `Task ${name}: a lambda:invoke.waitForTaskToken Task needs Parameters.FunctionName`,
    );
  }
  return fn;
}

/** Every Task state of `definition`, including those inside Parallel branches and Map iterators. */
export function taskStates(definition: StateMachineDefinition): TaskStateInfo[] {
  const graph = definition as unknown as { readonly States: Readonly<Record<string, ResourceState>> };
  return listStates(graph)
    .filter(({ state }) => state.Type === 'Task' && typeof state.Resource === 'string')
    .map(({ name, state }) =>
      state.Resource === LAMBDA_INVOKE_WAIT_FOR_TOKEN
        ? { name, resource: functionNameOf(name, state), callback: true as const }
        : { name, resource: state.Resource ?? '' },
    );
}

/**
 * Where `path` (a reference path into the state input) lands in the Task's effective input: the
 * `Parameters` entry whose `<key>.$` selects a prefix of it, e.g. `$.preflight.x` through
 * `Payload: { 'state.$': '$' }` is `$.Payload.state.preflight.x`.
 */
function effectivePath(parameters: unknown, path: string, at = '$'): string | undefined {
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith('.$') && typeof value === 'string' && (path === value || path.startsWith(`${value}.`))) {
      return `${at}.${key.slice(0, -2)}${path.slice(value.length)}`;
    }
    const inner = effectivePath(value, path, `${at}.${key}`);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * The definition as the local interpreter must run it. AWS resolves a Task's `TimeoutSecondsPath`
 * against the state input; aws-local-stepfunctions resolves it against the effective input (after
 * `Parameters`). Each such path is rewritten to where `Parameters` puts the same value, so the
 * timeout is the one AWS would apply.
 *
 * @throws WiringError a `TimeoutSecondsPath` that `Parameters` does not carry into the effective input
 */
export function localDefinition(definition: StateMachineDefinition): StateMachineDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
  const graph = copy as unknown as { readonly States: Readonly<Record<string, ResourceState>> };
  for (const { name, state } of listStates(graph)) {
    const path = state.TimeoutSecondsPath;
    if (state.Type !== 'Task' || path === undefined) continue;
    const local = effectivePath(state.Parameters, path);
    if (local === undefined) {
      throw new WiringError(
        `Task ${name}: TimeoutSecondsPath ${path} is not carried by its Parameters; the local interpreter reads it from the effective input`,
      );
    }
    (state as { TimeoutSecondsPath: string }).TimeoutSecondsPath = local;
  }
  return copy;
}

/** A reference path (`$.a.b`) read from `value`, or undefined. */
export function readPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((k) => k !== '')) {
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

/** Task state name → resource, for every Task of `wiring`'s definition. */
export function taskResources(wiring: OrchestratorWiring): ReadonlyMap<string, string> {
  return new Map(taskStates(wiring.definition).map((t) => [t.name, t.resource]));
}
