import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { acmApi } from './acm/api';
import type { DocumentedRegion, SimApi } from './api';
import { autoScalingApi } from './autoscaling/api';
import { abortError, connectTimeoutError } from './aws-errors';
import { backupApi } from './backup/api';
import type { ServiceName, SimCall } from './calls';
import { cloudWatchApi } from './cloudwatch/api';
import { ec2Api } from './ec2/api';
import { ec2ReservationsApi } from './ec2/reservations-api';
import { ecsApi } from './ecs/api';
import { ecsReadinessApi } from './ecs/readiness-api';
import { elbv2Api } from './elbv2/api';
import { elbv2DescribeApi } from './elbv2/describe-api';
import { currentInvocation } from './invocation';
import { lambdaApi } from './lambda/api';
import { serviceQuotasApi } from './quotas/api';
import { rdsApi } from './rds/api';
import { PROMOTION_REGIONS } from './rds/promotion';
import { rdsReadinessApi } from './rds/readiness-api';
import { route53Api } from './route53/api';
import { DNS_REGION, installSimulatedDns } from './route53/dns';
import { route53ReadinessApi } from './route53/readiness-api';
import { ROUTE53_CONTROL_PLANE_REGION } from './route53/route53';
import { runRecordS3Api, s3Api } from './s3/api';
import { sfnApi } from './sfn/api';
import { sfnDescribeApi } from './sfn/describe';
import { snsApi } from './sns-api';
import { ssmApi } from './ssm-api';
import type { World } from './world';

/** A command the simulator does not model: the drill fails loudly rather than inventing an answer. */
export class UnsupportedCommandError extends Error {
  override readonly name = 'DrillUnsupportedCommand';
}

const HOSTS: Readonly<Record<ServiceName, string>> = {
  rds: 'rds',
  autoscaling: 'autoscaling',
  ecs: 'ecs',
  elbv2: 'elasticloadbalancing',
  route53: 'route53',
  sfn: 'states',
  sns: 'sns',
  cloudwatch: 'monitoring',
  ssm: 'ssm',
  ec2: 'ec2',
  servicequotas: 'servicequotas',
  lambda: 'lambda',
  s3: 's3',
  backup: 'backup',
  acm: 'acm',
  dns: DNS_REGION,
};

/** Commands whose region AWS's guide prescribes, by service. */
const DOCUMENTED_REGIONS: Partial<Record<ServiceName, Readonly<Record<string, DocumentedRegion>>>> = {
  rds: PROMOTION_REGIONS,
};

interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

/** Wait `seconds` of simulated time (the global, faked, setTimeout); an abort ends it early. */
function pause(seconds: number, signal?: AbortSignal): Promise<'done' | 'aborted'> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve('aborted');
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve('aborted');
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('done');
    }, seconds * 1000);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function dispatch(
  world: World,
  service: ServiceName,
  handlers: SimApi,
  command: string,
  input: unknown,
  regionProvider: () => Promise<string>,
  options: SendOptions | undefined,
): Promise<unknown> {
  const invocation = currentInvocation();
  const region = service === 'route53' ? ROUTE53_CONTROL_PLANE_REGION : await regionProvider();
  const call: SimCall = {
    seq: world.calls.length + 1,
    service,
    command,
    region,
    at: world.clock.now(),
    input,
    ...(invocation === undefined ? {} : { execution: invocation.executionArn, state: invocation.stateName }),
  };
  world.calls.push(call);
  try {
    world.clock.sync();
    const documented = DOCUMENTED_REGIONS[service]?.[command]?.(input, world);
    if (documented !== undefined) call.documentedRegion = documented;
    await travel(world, call, invocation?.region, options?.abortSignal);
    return await answer(world, call, handlers, options?.abortSignal);
  } catch (err: unknown) {
    call.error ??= err instanceof Error ? err.name : String(err);
    throw err;
  }
}

/** The request's way to the endpoint: its latency, or a connection timeout when it is unreachable. */
async function travel(
  world: World,
  call: SimCall,
  callerRegion: string | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const t = world.timings;
  const { service, region } = call;
  const unreachable =
    service === 'route53' ? world.outages.route53Down(call.at) : world.outages.regionDown(region, call.at);
  if (unreachable) {
    const outcome = await pause(t.unreachableTimeoutSeconds, signal);
    call.error = outcome === 'aborted' ? 'AbortError' : 'ETIMEDOUT';
    throw outcome === 'aborted'
      ? abortError()
      : connectTimeoutError(`${HOSTS[service]}.${region}.amazonaws.com`);
  }
  const crossRegion = callerRegion !== undefined && callerRegion !== region;
  const latency = t.apiLatencySeconds + (crossRegion ? t.crossRegionLatencySeconds : 0);
  if ((await pause(latency, signal)) === 'aborted') throw abortError();
}

/** The service's answer, through the faults over calls (before) and over answers (after). */
async function answer(
  world: World,
  call: SimCall,
  handlers: SimApi,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  world.clock.sync();
  for (const intercept of world.interceptors) {
    const err = intercept(call, world);
    if (err !== undefined) throw err;
  }
  const handler = handlers[call.command];
  if (handler === undefined) {
    throw new UnsupportedCommandError(
      `the drill's simulated ${call.service} does not model ${call.command}; add it to drill/sim/ if the handler needs it`,
    );
  }
  let out = (handler(call.input, world, call.region, call) ?? {}) as Readonly<Record<string, unknown>>;
  for (const intercept of world.responseInterceptors) {
    const override = intercept(call, world, out);
    if (override === undefined) continue;
    if ('output' in override) {
      out = override.output;
      continue;
    }
    // The service acted; its answer is lost on the way back: the caller waits, then fails.
    call.acceptedDespiteError = true;
    const waited = await pause(override.afterSeconds ?? 0, signal);
    throw waited === 'aborted' ? abortError() : override.error;
  }
  return { $metadata: { httpStatusCode: 200, requestId: `drill-${call.seq}`, attempts: 1 }, ...out };
}

/** An SDK v3 client class: its prototype's `send` is what the handlers' calls go through. */
interface ClientClass {
  readonly prototype: object;
}

/** A command as the SDK's `send` receives it. */
interface SentCommand {
  readonly input: unknown;
  readonly constructor: { readonly name: string };
}

/**
 * Answer every `send` of `Client` with `route` until the returned function restores it. The
 * class's own `send` is set (the SDK's lives on the shared smithy `Client` prototype), so other
 * client classes are untouched, as aws-sdk-client-mock does it, without recording each call.
 */
function interceptSend(
  Client: ClientClass,
  route: (command: SentCommand, options: SendOptions | undefined, client: unknown) => Promise<unknown>,
): () => void {
  const proto = Client.prototype as { send?: unknown };
  const own = Object.hasOwn(proto, 'send');
  const original = proto.send;
  proto.send = function send(this: unknown, command: unknown, options?: unknown): Promise<unknown> {
    const opts = typeof options === 'object' && options !== null ? (options as SendOptions) : undefined;
    return route(command as SentCommand, opts, this);
  };
  return () => {
    if (own) proto.send = original;
    else delete proto.send;
  };
}

/**
 * Intercept every SDK v3 client the handlers use and answer from `world`. Each call takes the
 * modeled API latency on the virtual clock and is recorded in `world.calls`. DNS queries through
 * `node:dns/promises` answer from the model too (dns.ts). Returns the function that removes the
 * interception.
 */
export function installSimulatedAws(world: World): () => void {
  const table: [ServiceName, SimApi, ClientClass][] = [
    ['rds', { ...rdsApi, ...rdsReadinessApi }, RDSClient],
    ['autoscaling', autoScalingApi, AutoScalingClient],
    ['ecs', { ...ecsApi, ...ecsReadinessApi }, ECSClient],
    ['elbv2', { ...elbv2Api, ...elbv2DescribeApi }, ElasticLoadBalancingV2Client],
    ['route53', { ...route53Api, ...route53ReadinessApi }, Route53Client],
    ['sfn', { ...sfnApi, ...sfnDescribeApi }, SFNClient],
    ['sns', snsApi, SNSClient],
    ['cloudwatch', cloudWatchApi, CloudWatchClient],
    ['ssm', ssmApi, SSMClient],
    // The readiness checks' reads (drill/sim/deployed.ts).
    ['ec2', { ...ec2Api, ...ec2ReservationsApi }, EC2Client],
    ['servicequotas', serviceQuotasApi, ServiceQuotasClient],
    ['lambda', lambdaApi, LambdaClient],
    ['s3', { ...s3Api, ...runRecordS3Api }, S3Client],
    ['backup', backupApi, BackupClient],
    ['acm', acmApi, ACMClient],
  ];
  const restores = table.map(([service, handlers, Client]) =>
    interceptSend(Client, (command, options, client) => {
      const { region } = (client as { config: { region: () => Promise<string> } }).config;
      const name = command.constructor.name.replace(/Command$/, '');
      return dispatch(world, service, handlers, name, command.input, () => region(), options);
    }),
  );
  const restoreDns = installSimulatedDns(world);
  return () => {
    restoreDns();
    for (const restore of restores) restore();
  };
}
