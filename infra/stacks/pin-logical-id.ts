import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Give the one CloudFormation element of `type` in `scope` (itself or below) the logical id it was
 * deployed with. For ids CDK derives from a construct path that began with a stack's former
 * construct id (`MainNetwork`, …, before stack ids became stack names): a new logical id would make
 * CloudFormation replace the resource.
 *
 * @throws Error when `scope` holds none or several, so a refactor cannot pin the wrong resource.
 */
export function pinLogicalId<T extends CfnElement>(
  scope: IConstruct,
  type: abstract new (...args: never[]) => T,
  logicalId: string,
): void {
  const found = scope.node.findAll().filter((c): c is T => c instanceof type);
  const [element] = found;
  if (found.length !== 1 || element === undefined) {
    throw new Error(
      `${scope.node.path}: expected one ${type.name} to pin as ${logicalId}, found ${found.length}`,
    );
  }
  element.overrideLogicalId(logicalId);
}
