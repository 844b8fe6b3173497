import type { RegionRole } from '../infra/config/schema';
import { STEPS, stepOfState, stepOfSubstitution } from '../lambdas/shared/steps';
import type { DrillRun, ExecutionRecord, TimedEvent } from './run';
import { rdsHandlers } from './sim/rds';
import type { World } from './sim/world';
import type { Timings } from './timing';
import { taskStates } from './wiring';

/** One step of an execution's timeline (simulated seconds since the drill started). */
export interface StepSpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** When the AWS operation behind the step actually finished in the simulated world, if known. */
  readonly actualDoneAt?: number;
  readonly onCriticalPath: boolean;
}

export interface Invariant {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

export interface CriticalPath {
  readonly seconds: number;
  /** Which parallel branch bounds it. */
  readonly branch: 'database' | 'service';
  readonly parts: Readonly<Record<'database' | 'promotion' | 'service' | 'dns', number>>;
}

export interface Runbook {
  readonly seconds: number;
  /** The same steps with only the AWS operations (no people, no tooling). */
  readonly awsOnlySeconds: number;
  readonly steps: readonly { readonly name: string; readonly seconds: number }[];
}

export interface DrillAnalysis {
  readonly mode: string;
  readonly requestedMode: string;
  readonly outcome: string;
  /** The execution the timeline and RTO describe (the one that promoted, else the first). */
  readonly primary: ExecutionRecord;
  readonly rtoSeconds: number;
  /** When Route 53 actually reached INSYNC for the flip (simulated seconds from the primary's start). */
  readonly dnsInSyncSeconds?: number;
  readonly criticalPath: CriticalPath;
  readonly runbook: Runbook;
  readonly stateTransitions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly apiErrors: Readonly<Record<string, number>>;
  readonly steps: readonly StepSpan[];
  readonly invariants: readonly Invariant[];
  readonly lostWritesSeconds?: number;
}

interface OutputShape {
  readonly outcome?: unknown;
  readonly mode?: unknown;
  readonly requestedMode?: unknown;
  readonly preflight?: { readonly status?: unknown; readonly alreadyDone?: Record<string, unknown> };
}

function asObject(v: unknown): OutputShape | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as OutputShape) : undefined;
}

/** The preflight result of an execution, from the Preflight task's output. */
function preflightOf(e: ExecutionRecord): OutputShape['preflight'] | undefined {
  const exit = e.events.find((ev) => ev.type === 'StateExited' && ev.state === STEPS.preflight.label);
  return asObject(exit?.output)?.preflight;
}

/**
 * The end of the run's RTO: the DNS step reporting READY (its act or check state, from the step
 * table, so a renamed state cannot silently move the end of the run).
 */
function trafficMovedAt(e: ExecutionRecord): TimedEvent | undefined {
  const dns = STEPS.dns;
  return e.events.find((ev) => {
    if (ev.type !== 'StateExited' || stepOfState(ev.state ?? '') !== dns) return false;
    const result = (asObject(ev.output) as Record<string, unknown> | undefined)?.[dns.resultPath];
    return (asObject(result) as { status?: unknown } | undefined)?.status === 'READY';
  });
}

/** Step Functions bills a transition per state entered, retries included. */
export function countTransitions(e: ExecutionRecord): number {
  return e.events.filter((ev) => ev.type === 'StateEntered' || ev.type === 'StateRetried').length;
}

/** The lower bound under the model: pure AWS durations, parallel branches overlapped. */
export function criticalPath(
  t: Timings,
  mode: 'planned' | 'unplanned',
  done: Readonly<Partial<Record<'database' | 'service' | 'promotion' | 'dns', boolean>>> = {},
): CriticalPath {
  const database = done.database === true ? 0 : t.dbInstanceCreateSeconds;
  const promotion =
    done.promotion === true
      ? 0
      : mode === 'planned'
        ? Math.max(t.switchoverSeconds, t.replicationLagSeconds)
        : t.failoverSeconds;
  const service =
    done.service === true
      ? 0
      : t.asgInstanceLaunchSeconds + t.ecsInstanceRegistrationSeconds + t.taskStartSeconds;
  const dns = done.dns === true ? 0 : t.route53PropagationSeconds;
  const branch = database + promotion >= service ? 'database' : 'service';
  return {
    seconds: Math.max(database + promotion, service) + dns,
    branch,
    parts: { database, promotion, service, dns },
  };
}

/**
 * The seed's manual runbook under the same model: `cdk deploy` the DB DR stack (instances) and
 * wait, switch over in the console, `cdk deploy` the DR ASG and ECS service stacks, edit DNS —
 * one after the other, each started by a person.
 */
export function seedRunbook(t: Timings, mode: 'planned' | 'unplanned'): Runbook {
  const react = t.runbookOperatorReactionSeconds;
  const promote =
    mode === 'planned' ? Math.max(t.switchoverSeconds, t.replicationLagSeconds) : t.failoverSeconds;
  const steps = [
    {
      name: 'deploy DB DR stack (add instances), wait',
      aws: t.dbInstanceCreateSeconds,
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: `${mode === 'planned' ? 'switch over' : 'fail over'} in the RDS console`,
      aws: promote,
      tool: react + t.runbookConsoleActionSeconds,
    },
    {
      name: 'deploy DR ASG + ECS service stacks, wait',
      aws: t.asgInstanceLaunchSeconds + t.ecsInstanceRegistrationSeconds + t.taskStartSeconds,
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: 'point DNS at the DR ALB by hand',
      aws: t.route53PropagationSeconds,
      tool: react + t.runbookConsoleActionSeconds,
    },
  ];
  return {
    seconds: steps.reduce((s, x) => s + x.aws + x.tool, 0),
    awsOnlySeconds: steps.reduce((s, x) => s + x.aws, 0),
    steps: steps.map((x) => ({ name: x.name, seconds: x.aws + x.tool })),
  };
}

function stepsOf(run: DrillRun, e: ExecutionRecord, critical: CriticalPath): StepSpan[] {
  const resourceOf = new Map(taskStates(run.wiring.definition).map((t) => [t.name, t.resource]));
  const spans = new Map<string, { start: number; end: number; key?: string }>();
  for (const ev of e.events) {
    if (ev.state === undefined || ev.stateType !== 'Task') continue;
    const resource = resourceOf.get(ev.state) ?? '';
    const fn = run.wiring.functions.get(resource);
    const name = (fn === undefined ? undefined : stepOfSubstitution(fn.key)?.label) ?? ev.state;
    const span = spans.get(name) ?? {
      start: ev.at,
      end: ev.at,
      ...(fn === undefined ? {} : { key: fn.key }),
    };
    span.start = Math.min(span.start, ev.at);
    span.end = Math.max(span.end, ev.at);
    spans.set(name, span);
  }
  const w = run.world;
  const target = w.targetRole;
  const created = w.clusterInstances(target).filter((i) => !i.seeded && i.availableAt !== undefined);
  const dbDone = created.length > 0 ? Math.max(...created.map((i) => i.availableAt ?? 0)) : undefined;
  const op = w.operations.find((o) => o.execution === e.executionArn && o.completedAt !== undefined);
  const svc = [...w.services.values()].find((s) => s.role === target);
  const change = [...w.zone.changes.values()].find((c) => c.execution === e.executionArn);
  const actual: Record<string, number | undefined> = {
    database: dbDone,
    promotion: op?.completedAt,
    service: svc?.stableSince !== undefined && svc.stableSince >= e.startedAt ? svc.stableSince : undefined,
    dns: change?.insyncAt,
  };
  const onPath = new Set([
    'preflight',
    critical.branch,
    ...(critical.branch === 'database' ? ['promotion'] : []),
    'dns',
  ]);
  return [...spans.entries()]
    .map(([name, s]) => {
      const step = s.key === undefined ? undefined : stepOfSubstitution(s.key)?.key;
      const doneAt = step === undefined ? undefined : actual[step];
      // Work finished before this execution started (a rerun resuming) is not this run's.
      const done = doneAt !== undefined && doneAt >= e.startedAt ? doneAt : undefined;
      return {
        name,
        start: s.start - e.startedAt,
        end: s.end - e.startedAt,
        ...(done === undefined ? {} : { actualDoneAt: done - e.startedAt }),
        onCriticalPath: step !== undefined && onPath.has(step),
      };
    })
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
}

/**
 * The failed step a failure notification names. aws-local-stepfunctions strips every backslash
 * from intrinsic-function results, so `States.JsonToString` of a state holding a JSON `Cause` (what
 * Lambda errors carry) is not valid JSON there, though it is in AWS: fall back to reading the
 * top-level fields textually.
 */
export function failedStepOf(message: string): string | undefined {
  try {
    const o = asObject(JSON.parse(message) as unknown) as
      | { outcome?: unknown; failedStep?: unknown }
      | undefined;
    return o?.outcome === 'FAILED' && typeof o.failedStep === 'string' && o.failedStep !== ''
      ? o.failedStep
      : undefined;
  } catch {
    if (!message.startsWith('{"outcome":"FAILED"')) return undefined;
    return /^\{"outcome":"FAILED","failedStep":"([A-Za-z0-9_-]+)"/.exec(message)?.[1];
  }
}

/** Writers as the API reports them: global members with IsWriter, and clusters with a writer instance. */
function writers(w: World): { members: string[]; clustersWithWriter: string[] } {
  const global = rdsHandlers.DescribeGlobalClusters?.({}, w, w.regionOf(w.targetRole), PROBE) as {
    GlobalClusters: { GlobalClusterMembers?: { DBClusterArn?: string; IsWriter?: boolean }[] }[];
  };
  const members = (global.GlobalClusters[0]?.GlobalClusterMembers ?? [])
    .filter((m) => m.IsWriter === true)
    .map((m) => m.DBClusterArn ?? '?');
  const clustersWithWriter: string[] = [];
  for (const role of ['main', 'dr'] as RegionRole[]) {
    const out = rdsHandlers.DescribeDBClusters?.({}, w, w.regionOf(role), PROBE) as {
      DBClusters: { DBClusterIdentifier?: string; DBClusterMembers?: { IsClusterWriter?: boolean }[] }[];
    };
    for (const c of out.DBClusters) {
      if ((c.DBClusterMembers ?? []).some((m) => m.IsClusterWriter === true)) {
        clustersWithWriter.push(c.DBClusterIdentifier ?? '?');
      }
    }
  }
  return { members, clustersWithWriter };
}

/** A placeholder call record for reading the model through its own API handlers. */
const PROBE = { seq: 0, service: 'rds', command: 'invariant', region: '', at: 0, input: {} } as const;

function checkInvariants(run: DrillRun, primary: ExecutionRecord): Invariant[] {
  const w = run.world;
  const out: Invariant[] = [];
  const wr = writers(w);
  out.push({
    name: 'exactly one writer',
    held: wr.members.length === 1 && wr.clustersWithWriter.length === 1,
    detail: `global writer member(s): ${wr.members.join(', ') || 'none'}; cluster(s) with a writer instance: ${wr.clustersWithWriter.join(', ') || 'none'}${w.global.operation === undefined ? '' : `; ${w.global.operation.kind} still running`}`,
  });

  const succeeded = primary.status === 'SUCCEEDED' && asObject(primary.output)?.outcome === 'PROMOTED';
  const dns = w.dnsRegion();
  out.push({
    name: 'DNS points at the writer region',
    held: !succeeded || dns.role === w.global.writerRole,
    detail: succeeded
      ? `${run.options.config.dns.recordName} → ${dns.target} (${dns.role === undefined ? 'unknown region' : w.regionOf(dns.role)}), writer in ${w.regionOf(w.global.writerRole)}`
      : `not applicable: the run did not promote (record → ${dns.target})`,
  });

  const planned = w.operations.filter((o) => o.kind === 'switchover' && o.completedAt !== undefined);
  const lost = planned.map((o) => o.lostWritesSeconds ?? 0);
  out.push({
    name: 'planned mode lost no data',
    held: lost.every((s) => s === 0),
    detail:
      planned.length === 0
        ? 'not applicable: no switchover completed'
        : `switchover(s) lost ${lost.map((s) => `${s.toFixed(3)} s`).join(', ')} of writes (replication lag ${w.timings.replicationLagSeconds.toFixed(2)} s honoured)`,
  });

  const created = w.createAttempts.filter((a) => a.outcome === 'created');
  const ids = created.map((a) => `${a.region}|${a.id}`);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  const refused = w.createAttempts.filter((a) => a.outcome !== 'created');
  const instances = w.clusterInstances(w.targetRole);
  const seeded = instances.filter((i) => i.seeded).length;
  const wanted = Math.max(run.options.config.regions[w.targetRole].promotion.dbInstances, seeded);
  const present = instances.length;
  const countOk = succeeded ? present === wanted : present <= wanted;
  out.push({
    name: 'no duplicate instances',
    held: dupes.length === 0 && refused.length === 0 && countOk,
    detail: `${created.length} created (${created.map((a) => a.id).join(', ') || 'none'}), ${refused.length} duplicate create(s) refused; ${present} in the cluster, target ${wanted}`,
  });

  const failedRuns = run.executions.filter((e) => e.status !== 'SUCCEEDED');
  const missing = failedRuns.filter(
    (e) => !w.published.some((p) => p.execution === e.executionArn && failedStepOf(p.message) !== undefined),
  );
  out.push({
    name: 'every failure notified with its step',
    held: missing.length === 0,
    detail:
      failedRuns.length === 0
        ? 'no execution failed'
        : failedRuns
            .map((e) => {
              const msg = w.published.find((p) => p.execution === e.executionArn && failedStepOf(p.message));
              return `${e.name}: ${msg === undefined ? 'NO failure notification' : `failedStep ${failedStepOf(msg.message) ?? ''}`}`;
            })
            .join('; '),
  });

  const asg = [...w.asgs.values()].find((a) => a.role === w.targetRole);
  const svc = [...w.services.values()].find((s) => s.role === w.targetRole);
  const asgIn = (asg?.updates ?? []).filter((u) => u.desired < u.previousDesired || u.min < u.previousMin);
  const svcIn = (svc?.updates ?? []).filter((u) => u.desired < u.previousDesired);
  out.push({
    name: 'never scaled in',
    held: asgIn.length === 0 && svcIn.length === 0,
    detail: `ASG desired ${(asg?.updates ?? []).map((u) => `${u.previousDesired} → ${u.desired}`).join(', ') || 'unchanged'}; service desired ${(svc?.updates ?? []).map((u) => `${u.previousDesired} → ${u.desired}`).join(', ') || 'unchanged'}`,
  });

  if ((run.options.faults ?? []).length === 0) {
    out.push({
      name: 'succeeds without faults',
      held: succeeded,
      detail: succeeded
        ? 'promoted'
        : `${primary.status}${primary.error === undefined ? '' : `: ${primary.error}`}`,
    });
  }
  return out;
}

/** Everything the report shows, computed from a finished drill. */
export function analyzeDrill(run: DrillRun): DrillAnalysis {
  const first = run.executions[0];
  if (first === undefined) throw new Error('the drill ran no execution');
  const promoted = run.executions.filter((e) => asObject(e.output)?.outcome === 'PROMOTED');
  const proceeded = run.executions.filter((e) => preflightOf(e)?.status === 'PROCEED');
  const primary = promoted[0] ?? proceeded[proceeded.length - 1] ?? first;
  const pf = preflightOf(primary);
  const out = asObject(primary.output);
  const promotionExit = [...primary.events]
    .reverse()
    .find((ev) => ev.type === 'StateExited' && stepOfState(ev.state ?? '') === STEPS.promotion);
  const modeUsed = (asObject(promotionExit?.output) as { promotion?: { modeUsed?: unknown } } | undefined)
    ?.promotion?.modeUsed;
  const resolved: 'planned' | 'unplanned' =
    modeUsed === 'unplanned' || modeUsed === 'planned'
      ? modeUsed
      : (asObject(pf) as { mode?: unknown } | undefined)?.mode === 'unplanned'
        ? 'unplanned'
        : 'planned';
  const done = (pf?.alreadyDone ?? {}) as Partial<
    Record<'database' | 'service' | 'promotion' | 'dns', boolean>
  >;
  const critical = criticalPath(run.world.timings, resolved, done);
  const steps = stepsOf(run, primary, critical);
  const flipped = trafficMovedAt(primary);
  const rtoSeconds = (flipped?.at ?? primary.stoppedAt) - primary.startedAt;
  const change = [...run.world.zone.changes.values()].find((c) => c.execution === primary.executionArn);
  const apiCalls: Record<string, number> = {};
  const apiErrors: Record<string, number> = {};
  for (const c of run.world.calls) {
    apiCalls[c.service] = (apiCalls[c.service] ?? 0) + 1;
    if (c.error !== undefined) apiErrors[c.service] = (apiErrors[c.service] ?? 0) + 1;
  }
  const op = run.world.operations.find((o) => o.execution === primary.executionArn);
  const requested = (primary.input as { mode?: unknown }).mode;
  return {
    mode: resolved,
    requestedMode: typeof requested === 'string' ? requested : 'unknown',
    outcome:
      typeof out?.outcome === 'string'
        ? out.outcome
        : primary.status === 'SUCCEEDED'
          ? String((asObject(primary.output) as { outcome?: unknown } | undefined)?.outcome ?? 'SUCCEEDED')
          : `${primary.status}${primary.error === undefined ? '' : ` (${primary.error})`}`,
    primary,
    rtoSeconds,
    ...(change === undefined ? {} : { dnsInSyncSeconds: change.insyncAt - primary.startedAt }),
    criticalPath: critical,
    runbook: seedRunbook(run.world.timings, resolved),
    stateTransitions: countTransitions(primary),
    apiCalls,
    apiErrors,
    steps,
    invariants: checkInvariants(run, primary),
    ...(op?.lostWritesSeconds === undefined ? {} : { lostWritesSeconds: op.lostWritesSeconds }),
  };
}
