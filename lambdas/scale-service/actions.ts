import { type AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { asError, awsCall, hasErrorName, rethrow, TransientAwsError } from '../shared/errors';
import { settleAll } from '../shared/settle';
import { readCapacityRecord, writeCapacityRecord } from './capacity-record';
import type { ServiceProgress } from './progress';
import type { ScaleServiceClients, ScaleServiceSettings } from './settings';
import { namingEntry } from './settle';

/** What the service step changes: the capacity parameters, the shared ASG and each service's desired count. */

/** One capacity parameter and the value the promotion needs in it. */
interface CapacityRecord {
  readonly name: string;
  readonly target: number;
  /** `service api` for a service's own parameter; undefined for the ASG's. */
  readonly entry?: string;
}

/**
 * The parameters to record: the ASG's and each service's, where pilot-light deploys them. A
 * resource the team deployed has none: the record exists so pilot-light's own service stack
 * deploys what the failover set, and the team's tool owns the count of what it deployed.
 */
function capacityRecords(settings: ScaleServiceSettings): CapacityRecord[] {
  const asg = settings.asgMinCapacityParameter;
  return [
    ...(asg === undefined ? [] : [{ name: asg, target: settings.asgMinCapacity }]),
    ...settings.services.flatMap((s) =>
      s.desiredCountParameter === undefined
        ? []
        : [{ name: s.desiredCountParameter, target: s.desiredCount, entry: `service ${s.name}` }],
    ),
  ];
}

/**
 * Raise each capacity parameter below its target to the target (never lowering one): the ASG's and
 * each service's that exist ({@link capacityRecords}), so that a deploy of the service stack from
 * now on applies the promotion's capacity. Reads them all at once; writes one at a time, as
 * Parameter Store's PutParameter throughput is a small per-account, per-region quota shared with
 * every other writer (a throttled write would only be retried). Returns what it did, one phrase per
 * parameter written or missing.
 */
async function recordCapacity(settings: ScaleServiceSettings, ssm: SSMClient): Promise<string[]> {
  const records = capacityRecords(settings);
  const current = await settleAll(
    records.map((r) =>
      readCapacityRecord(ssm, r.name).catch((err: unknown) => {
        throw r.entry === undefined ? err : namingEntry(r.entry, err);
      }),
    ),
  );
  const notes: string[] = [];
  for (const [i, record] of records.entries()) {
    const value = current[i];
    const label = record.entry === undefined ? '' : `${record.entry}: `;
    if (value === undefined) {
      // Not created here: the network stack's deploy would then fail on a parameter it did not create.
      notes.push(`${label}parameter ${record.name} does not exist (deploy the network stack): not recorded`);
    } else if (!(value >= record.target)) {
      try {
        await writeCapacityRecord(ssm, record.name, record.target);
      } catch (err: unknown) {
        throw record.entry === undefined ? err : namingEntry(record.entry, err);
      }
      notes.push(`${label}parameter ${record.name} → ${record.target}`);
    }
  }
  return notes;
}

async function updateAsg(
  autoScaling: AutoScalingClient,
  name: string,
  update: { readonly MinSize: number; readonly DesiredCapacity: number; readonly MaxSize: number },
): Promise<void> {
  try {
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, ...update }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'ScalingActivityInProgress', 'ScalingActivityInProgressFault')) {
      const e = asError(err);
      throw new TransientAwsError(
        `UpdateAutoScalingGroup ${name}: ${e.name}: ${e.message} (retried: the ECS capacity provider scales ` +
          'the same group and AWS documents this as passing; the retry reads first and changes only what is still short)',
        { cause: e },
      );
    }
    rethrow(err, 'UpdateAutoScalingGroup');
  }
}

/** Raise every service below its target to it, all at once; returns the names of those raised. */
async function raiseServices(
  settings: ScaleServiceSettings,
  ecs: ECSClient,
  progress: ServiceProgress,
): Promise<Set<string>> {
  const short = progress.services.filter((s) => s.needsUpdate);
  await settleAll(
    short.map(async (s) => {
      try {
        await awsCall('UpdateService', () =>
          ecs.send(
            new UpdateServiceCommand({
              cluster: settings.ecsCluster,
              service: s.ecsService,
              desiredCount: s.targetCount,
            }),
          ),
        );
      } catch (err: unknown) {
        throw namingEntry(`service ${s.name}`, err);
      }
    }),
  );
  return new Set(short.map((s) => s.name));
}

/**
 * Record the targets, then raise the ASG and the services still short (never lowering); returns
 * what it changed, one phrase each, and the services raised.
 */
export async function act(
  settings: ScaleServiceSettings,
  clients: ScaleServiceClients,
  progress: ServiceProgress,
): Promise<{ readonly changes: string[]; readonly raised: ReadonlySet<string> }> {
  // Intent first: a service-stack deploy between this write and the scaling applies the targets.
  const changes = await recordCapacity(settings, clients.ssm);
  if (progress.asgNeedsUpdate) {
    const target = settings.asgMinCapacity;
    const update = {
      MinSize: Math.max(progress.asg.min, target),
      DesiredCapacity: Math.max(progress.asg.desired, target),
      MaxSize: Math.max(progress.asg.max, target),
    };
    await updateAsg(clients.autoScaling, settings.asgName, update);
    changes.push(`ASG min/desired/max → ${update.MinSize}/${update.DesiredCapacity}/${update.MaxSize}`);
  }
  const raised = await raiseServices(settings, clients.ecs, progress);
  for (const s of progress.services) {
    if (raised.has(s.name)) changes.push(`service ${s.name}: desiredCount → ${s.targetCount}`);
  }
  return { changes, raised };
}
