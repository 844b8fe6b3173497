import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENTRY_METADATA_KEY } from './entry-metadata';

const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Lambda's quota on a function's environment: "total size of all environment variables" 4 KB,
 * counted as the keys and values (Lambda quotas, "Function configuration"). A config whose lists
 * make one bigger fails at synth, naming the function, rather than at deploy.
 */
export const MAX_ENVIRONMENT_BYTES = 4096;

/** The bytes a function's environment counts against {@link MAX_ENVIRONMENT_BYTES}. */
export function environmentBytes(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
}

/** One IAM statement of a step. A resource with `*` must say `why` it cannot be narrower. */
export interface Grant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Readonly<Record<string, unknown>>;
  /** Required when a resource contains `*`; becomes the cdk-nag IAM5 acknowledgement. */
  readonly why?: string;
}

/** Acknowledge cdk-nag's IAM5 finding for each wildcard resource of `grants`, with its reason. */
export function acknowledgeWildcards(scope: Construct, grants: readonly Grant[]): void {
  for (const grant of grants) {
    for (const resource of grant.resources.filter((r) => r.includes('*'))) {
      if (grant.why === undefined) {
        throw new Error(`${scope.node.path}: ${grant.actions.join(',')} on ${resource} needs a 'why'`);
      }
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: grant.why,
      });
    }
  }
}

export interface StepLambdaProps<N extends string> {
  /** Source folder under the repository root exporting `handler` from `index.ts`, e.g. `lambdas/preflight`. */
  readonly entry: string;
  readonly description: string;
  /** The variables the handler reads: the list its `env.ts` exports. */
  readonly envNames: readonly N[];
  /**
   * One value per name in `envNames`, no more, no less (a missing or extra variable fails the
   * typecheck). Plain strings, no tokens: the drill replays them verbatim.
   */
  readonly environment: Readonly<Record<NoInfer<N>, string>>;
  /** IAM statements this function needs beyond logging and tracing. */
  readonly statements: readonly Grant[];
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
}

/**
 * The one place Lambda defaults live: newest Node runtime, arm64, esbuild bundling with the SDK
 * bundled and minified, source maps, X-Ray tracing, a log group with retention, and a role holding
 * exactly the given statements.
 */
export class StepLambda<N extends string> extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: StepLambdaProps<N>) {
    super(scope, id);
    // The type stops literals; a spread object can still carry a variable the handler never reads.
    const read = new Set<string>(props.envNames);
    const unread = Object.keys(props.environment).filter((k) => !read.has(k));
    if (unread.length > 0) {
      throw new Error(`${this.node.path}: ${props.entry} does not read ${unread.join(', ')}`);
    }

    const environment = {
      ...props.environment,
      NODE_OPTIONS: '--enable-source-maps',
      // No POWERTOOLS_SERVICE_NAME: each handler names its Logger's service, which takes precedence.
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const bytes = environmentBytes(environment);
    if (bytes > MAX_ENVIRONMENT_BYTES) {
      throw new Error(
        `${this.node.path}: its environment is ${bytes} bytes, over Lambda's ${MAX_ENVIRONMENT_BYTES}-byte limit: ` +
          'list fewer services or databases, or shorten the project or entry names (docs/performance.md, "How many of each")',
      );
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.entry}: the APIs this step calls, on this project's resources`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    for (const g of props.statements) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [...g.actions],
          resources: [...g.resources],
          ...(g.conditions ? { conditions: { ...g.conditions } } : {}),
        }),
      );
    }
    acknowledgeWildcards(role, [
      ...props.statements,
      {
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
        why: 'X-Ray trace upload (active tracing) has no resource-level permissions.',
      },
    ]);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry, 'index.ts'),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment,
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // Prefer the SDK's ES modules so esbuild drops the commands a step never sends: about half the
        // bundle and the cold start of the CommonJS build.
        mainFields: ['module', 'main'],
        // Bundle the SDK: the version we tested is the version that runs.
        externalModules: [],
        forceDockerBundling: false,
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    });
    const cfn = this.function.node.defaultChild as lambda.CfnFunction;
    cfn.addMetadata(ENTRY_METADATA_KEY, props.entry);
  }
}
