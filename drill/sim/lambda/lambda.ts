/**
 * Lambda's control plane as the readiness checks read it: the functions an orchestrator stack
 * deployed (those its state machine's definition names), each Active unless a fault says otherwise.
 */

export interface SimFunction {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** `Active` once deployed; a fault can make it `Failed` or remove it. */
  state: 'Pending' | 'Active' | 'Inactive' | 'Failed';
}

export class LambdaModel {
  /** By ARN (unqualified). */
  readonly functions = new Map<string, SimFunction>();

  deploy(fn: SimFunction): void {
    this.functions.set(fn.arn, fn);
  }

  /** The function `nameOrArn` names in `region` (name, full or partial ARN, `:$LATEST` qualifier allowed). */
  find(region: string, nameOrArn: string): SimFunction | undefined {
    const bare = nameOrArn.replace(/:\$LATEST$/, '');
    for (const fn of this.functions.values()) {
      if (fn.region !== region) continue;
      if (fn.arn === bare || fn.name === bare || fn.arn.endsWith(`:${bare}`)) return fn;
    }
    return undefined;
  }
}
