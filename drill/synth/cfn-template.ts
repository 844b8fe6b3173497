import { partitionOf } from '../../infra/config/partition';
import { WiringError } from '../errors';

/** Reading a synthesized CloudFormation template offline: values, pseudo parameters, functions. */

/** The slice of a CloudFormation template this module reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

/** One resource of a template, as far as the drill reads it. */
export interface CfnResource {
  readonly Type?: string;
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** Where a stack is deployed: what its pseudo parameters resolve to. */
export interface StackLocation {
  readonly region: string;
  readonly account: string;
}

/** The ARN of a resource in `where`'s partition, region and account. */
export function stackArn(where: StackLocation, service: string, resource: string): string {
  return `arn:${partitionOf(where.region)}:${service}:${where.region}:${where.account}:${resource}`;
}

/** The ARN of an IAM (global) resource of `where`'s account. */
export function iamArn(where: StackLocation, resource: string): string {
  return `arn:${partitionOf(where.region)}:iam::${where.account}:${resource}`;
}

/** `v` when it is a JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A pseudo parameter's value in the stack's region and account. */
function pseudo(ref: string, where: StackLocation): string | undefined {
  if (ref === 'AWS::Region') return where.region;
  if (ref === 'AWS::AccountId') return where.account;
  if (ref === 'AWS::Partition') return partitionOf(where.region);
  if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
  return undefined;
}

/** `DefinitionString` as text: a plain string, or `Fn::Join` of strings and pseudo-parameter refs. */
export function definitionText(value: unknown, where: StackLocation): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [unknown, unknown];
    if (typeof separator !== 'string' || !Array.isArray(parts)) {
      throw new WiringError('DefinitionString: malformed Fn::Join');
    }
    return parts
      .map((p: unknown) => {
        if (typeof p === 'string') return p;
        const ref = isRecord(p) ? p.Ref : undefined;
        const resolved = typeof ref === 'string' ? pseudo(ref, where) : undefined;
        if (resolved === undefined) {
          throw new WiringError(`DefinitionString: cannot resolve ${JSON.stringify(p)} offline`);
        }
        return resolved;
      })
      .join(separator);
  }
  throw new WiringError('DefinitionString: expected a string or Fn::Join');
}
