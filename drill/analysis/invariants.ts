import { REGION_ROLES } from '../../infra/config/schema';
import type { NoActionOutcome } from '../../lambdas/shared/contracts';
import type { ExecutionRecord } from '../runner/execution';
import type { DrillRun } from '../runner/run';
import type { GlobalDatabase } from '../sim/rds/aurora';
import { describeCluster, describeGlobal } from '../sim/rds/describe';
import type { SimPublished } from '../sim/sns';
import type { World } from '../sim/world';
import { outcomeOf } from './execution-output';
import { failedStepOfNotice } from './failure-notice';
import type { Incident } from './incident';
import { judgeTrafficAfterPromotion } from './invariants-traffic';
import { judgeReplicationBeforeFailback } from './replication';
import { type DnsState, dnsStates, type StateLeft } from './state';

/**
 * What must hold after every drill, whatever the faults: a table of named invariants, each
 * with the check that judges it from the simulated world and the executions.
 */

/** An invariant as judged after one drill. */
export interface Invariant {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

/** What the analysis found, for the checks that judge the report itself. */
export interface Findings {
  readonly incident: Incident;
  readonly stateLeft: StateLeft;
}

/** What a check reads. */
interface Judged extends Findings {
  readonly run: DrillRun;
  readonly world: World;
  /** The execution the report describes. */
  readonly primary: ExecutionRecord;
  /** It succeeded and promoted the region. */
  readonly promoted: boolean;
}

interface InvariantCheck {
  readonly name: string;
  /** Judge it only when this holds. @default always */
  readonly appliesTo?: (j: Judged) => boolean;
  readonly check: (j: Judged) => { readonly held: boolean; readonly detail: string };
}

/**
 * `db`'s writers as the API reports them: its global cluster's members with IsWriter, and its
 * member clusters with a writer instance.
 */
function writers(w: World, db: GlobalDatabase): { members: string[]; clustersWithWriter: string[] } {
  const members = (describeGlobal(w, db).GlobalClusterMembers ?? [])
    .filter((m) => m.IsWriter === true)
    .map((m) => m.DBClusterArn ?? '?');
  const clustersWithWriter = REGION_ROLES.flatMap((role) => {
    const c = db.clusters.get(role);
    return c === undefined ? [] : [describeCluster(w, c)];
  })
    .filter((c) => (c.DBClusterMembers ?? []).some((m) => m.IsClusterWriter === true))
    .map((c) => c.DBClusterIdentifier ?? '?');
  return { members, clustersWithWriter };
}

/**
 * One detail per resource: alone, as it read before there could be several; with several, each
 * prefixed by its name (the failing ones first, so a long line starts with what is wrong).
 */
function perResource(
  judged: readonly { readonly name: string; readonly held: boolean; readonly detail: string }[],
): { readonly held: boolean; readonly detail: string } {
  const [only, ...more] = judged;
  if (only !== undefined && more.length === 0) return { held: only.held, detail: only.detail };
  const ordered = [...judged.filter((j) => !j.held), ...judged.filter((j) => j.held)];
  return {
    held: judged.every((j) => j.held),
    detail: ordered.map((j) => `${j.name}${j.held ? '' : ' FAILS'}: ${j.detail}`).join(' | '),
  };
}

const exactlyOneWriter: InvariantCheck = {
  name: 'exactly one writer',
  check: ({ world: w }) =>
    perResource(
      w.rds.databases.map((db) => {
        const wr = writers(w, db);
        const op = db.global.operation;
        return {
          name: db.name,
          held: wr.members.length === 1 && wr.clustersWithWriter.length === 1,
          detail: `global writer member(s): ${wr.members.join(', ') || 'none'}; cluster(s) with a writer instance: ${wr.clustersWithWriter.join(', ') || 'none'}${op === undefined ? '' : `; ${op.kind} still running`}`,
        };
      }),
    ),
};

/** `app.example.com → dr.app.example.com (us-west-2)` for each hostname, joined. */
function answersDetail(answers: readonly DnsState[], region: (a: DnsState) => string): string {
  return answers.map((a) => `${a.record} → ${a.target} (${region(a)})`).join(', ');
}

const dnsAtWriter: InvariantCheck = {
  name: 'DNS points at the writer region',
  check: ({ world: w, promoted, stateLeft }) => {
    const answers = dnsStates(stateLeft);
    const databases = w.rds.databases;
    // With one hostname and one database the detail reads as it did before there could be several.
    const unjudged =
      answers.length === 1
        ? `record → ${stateLeft.dns.target}`
        : answers.map((a) => `${a.record} → ${a.target}`).join(', ');
    const writersAt =
      databases.length === 1
        ? `writer in ${w.regionOf(databases[0]?.global.writerRole ?? w.sourceRole)}`
        : `writers: ${databases.map((db) => `${db.name} in ${w.regionOf(db.global.writerRole)}`).join(', ')}`;
    return {
      held: !promoted || databases.every((db) => answers.every((a) => a.role === db.global.writerRole)),
      detail: promoted
        ? `${answersDetail(answers, (a) => a.region ?? 'unknown region')}, ${writersAt}`
        : `judged when the database was promoted and the run succeeded; it did not succeed (${unjudged}): see the next invariant`,
    };
  },
};

/** The notification's rerun command: what a failure notice must carry when it leaves work to finish. */
const RERUN_COMMAND = 'npm run failover -- --project ';

/** Whether `notice` tells a reader the database is promoted here and traffic is not, with the command. */
function noticeSaysSplit(notice: SimPublished, w: World, promotedAt: number | undefined): boolean {
  const command =
    notice.message.includes(RERUN_COMMAND) && notice.message.includes(`--region ${w.targetRole}`);
  const attrs = notice.attributes;
  // A promotion that completed after the notice went out could not be in it: then the notice must
  // at least carry the command that resumes waiting for it.
  const saysPromoted =
    (attrs.databasePromotedHere === 'true' && attrs.trafficMovedHere === 'false') ||
    (promotedAt !== undefined && promotedAt > notice.at);
  return command && saysPromoted;
}

const promotedMovedTrafficOrSaysSo: InvariantCheck = {
  name: 'a run that promoted the database either moved traffic or says so in its failure notification and report',
  check: ({ run, world: w, incident, stateLeft }) => {
    const target = w.targetRole;
    const here = `${w.regionOf(target)} (${target})`;
    const promoted = stateLeft.databases.filter((d) => d.writerRole === target).map((d) => d.name);
    const all = stateLeft.databases.length;
    const which =
      all === 1
        ? 'the database writes'
        : promoted.length === all
          ? 'every database writes'
          : promoted.length === 1
            ? `database ${promoted.join('')} writes`
            : `databases ${promoted.join(', ')} write`;
    if (promoted.length === 0) {
      return {
        held: !stateLeft.splitPending || stateLeft.finishCommand !== undefined,
        detail: stateLeft.splitPending
          ? `a promotion to ${here} is still running; the report says so and how to finish: ${stateLeft.finishCommand ?? 'NO COMMAND'}`
          : stateLeft.databases.length === 1
            ? `not applicable: the database was not promoted to ${here}`
            : `not applicable: no database was promoted to ${here}`,
      };
    }
    const answers = dnsStates(stateLeft);
    if (answers.every((a) => a.role === target)) {
      return { held: true, detail: `moved traffic: ${answersDetail(answers, () => here)}` };
    }
    const failed = run.executions.find((e) => e.name === incident.failure?.execution);
    const promotedAt = w.rds.operations
      .filter((o) => o.toRole === target && o.completedAt !== undefined)
      .map((o) => o.completedAt ?? 0)
      .pop();
    const notice = w.sns.published.find(
      (p) =>
        failed !== undefined && p.execution === failed.executionArn && failedStepOfNotice(p) !== undefined,
    );
    const noticeOk = notice !== undefined && noticeSaysSplit(notice, w, promotedAt);
    const reportOk = stateLeft.split && stateLeft.finishCommand !== undefined;
    return {
      held: noticeOk && reportOk,
      detail: `${which} in ${here}, traffic does not; failure notification ${
        notice === undefined
          ? 'MISSING'
          : noticeOk
            ? 'says so with the command'
            : `DOES NOT SAY SO (databasePromotedHere=${notice.attributes.databasePromotedHere ?? '?'})`
      }; report ${reportOk ? `says so: ${stateLeft.finishCommand ?? ''}` : 'DOES NOT SAY SO'}`,
    };
  },
};

const plannedLostNothing: InvariantCheck = {
  name: 'planned mode lost no data',
  check: ({ world: w }) => {
    const planned = w.rds.operations.filter((o) => o.kind === 'switchover' && o.completedAt !== undefined);
    const lost = planned.map((o) => o.lostWritesSeconds ?? 0);
    // With one database the detail reads as it did before there could be several.
    const named = w.rds.databases.length > 1;
    const each = planned.map(
      (o) => `${named ? `${o.database} ` : ''}${(o.lostWritesSeconds ?? 0).toFixed(3)} s`,
    );
    return {
      held: lost.every((s) => s === 0),
      detail:
        planned.length === 0
          ? 'not applicable: no switchover completed'
          : `switchover(s) lost ${each.join(', ')} of writes (replication lag ${w.timings.replicationLagSeconds.toFixed(2)} s honoured)`,
    };
  },
};

/** The target region's cluster of `db`: no instance twice, none refused as a duplicate, the count its promotion wants. */
function judgeInstances(
  w: World,
  db: GlobalDatabase,
  wantedByConfig: number,
  promoted: boolean,
): { readonly name: string; readonly held: boolean; readonly detail: string } {
  const cluster = db.clusters.get(w.targetRole);
  const mine = w.rds.createAttempts.filter(
    (a) =>
      cluster !== undefined &&
      a.region === cluster.region &&
      (a.clusterId === cluster.id || a.clusterId === cluster.arn),
  );
  const created = mine.filter((a) => a.outcome === 'created');
  const ids = created.map((a) => `${a.region}|${a.id}`);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  const refused = mine.filter((a) => a.outcome !== 'created');
  const instances = db.clusterInstances(w.targetRole);
  const seeded = instances.filter((i) => i.seeded).length;
  const wanted = Math.max(wantedByConfig, seeded);
  const present = instances.length;
  return {
    name: db.name,
    held: dupes.length === 0 && refused.length === 0 && (promoted ? present === wanted : present <= wanted),
    detail: `${created.length} created (${created.map((a) => a.id).join(', ') || 'none'}), ${refused.length} duplicate create(s) refused; ${present} in the cluster, target ${wanted}`,
  };
}

/** CreateDBInstance calls into no global database's promoted cluster: none should be made. */
function judgeStrayCreates(
  w: World,
): { readonly name: string; readonly held: boolean; readonly detail: string }[] {
  const targets = w.rds.databases.flatMap((db) => {
    const c = db.clusters.get(w.targetRole);
    return c === undefined ? [] : [c];
  });
  const stray = w.rds.createAttempts.filter(
    (a) => !targets.some((c) => a.region === c.region && (a.clusterId === c.id || a.clusterId === c.arn)),
  );
  if (stray.length === 0) return [];
  return [
    {
      name: 'other clusters',
      held: false,
      detail: `${stray.length} create(s) outside the promoted clusters: ${stray.map((a) => `${a.id} in ${a.clusterId ?? 'no cluster'} (${a.region}): ${a.outcome}`).join(', ')}`,
    },
  ];
}

const noDuplicateInstances: InvariantCheck = {
  name: 'no duplicate instances',
  check: ({ run, world: w, promoted }) =>
    perResource([
      ...w.rds.databases.map((db) => {
        const entry = run.options.config.databases.find((d) => d.name === db.name);
        return judgeInstances(w, db, entry?.regions[w.targetRole].promotion.instances ?? 0, promoted);
      }),
      ...judgeStrayCreates(w),
    ]),
};

const failuresNotified: InvariantCheck = {
  name: 'every failure notified with its step',
  check: ({ run, world: w }) => {
    const notice = (e: ExecutionRecord) =>
      w.sns.published.find((p) => p.execution === e.executionArn && failedStepOfNotice(p) !== undefined);
    const failed = run.executions.filter((e) => e.status !== 'SUCCEEDED');
    return {
      held: failed.every((e) => notice(e) !== undefined),
      detail:
        failed.length === 0
          ? 'no execution failed'
          : failed
              .map((e) => {
                const msg = notice(e);
                return `${e.name}: ${msg === undefined ? 'NO failure notification' : `failedStep ${failedStepOfNotice(msg) ?? ''}`}`;
              })
              .join('; '),
    };
  },
};

const neverScaledIn: InvariantCheck = {
  name: 'never scaled in',
  check: ({ world: w }) => {
    const asg = w.autoscaling.ofRole(w.targetRole)?.updates ?? [];
    const services = w.ecs.inRegion(w.targetRole);
    const changes = (updates: readonly { previousDesired: number; desired: number }[]) =>
      updates.map((u) => `${u.previousDesired} → ${u.desired}`).join(', ') || 'unchanged';
    const scaledIn = services.filter((s) => s.updates.some((u) => u.desired < u.previousDesired));
    // With one service the detail reads as it did before there could be several.
    const desired =
      services.length === 1
        ? `service desired ${changes(services[0]?.updates ?? [])}`
        : `services desired: ${services.map((s) => `${s.entry} ${changes(s.updates)}${scaledIn.includes(s) ? ' (SCALED IN)' : ''}`).join('; ')}`;
    return {
      held: !asg.some((u) => u.desired < u.previousDesired || u.min < u.previousMin) && scaledIn.length === 0,
      detail: `ASG desired ${changes(asg)}; ${desired}`,
    };
  },
};

/** Outcomes where the approval gate, not a fault, kept the run from acting (a deny, or a timeout that stops). */
const GATE_STOPPED: readonly string[] = ['DENIED', 'APPROVAL_TIMED_OUT'] satisfies NoActionOutcome[];

const succeedsWithoutFaults: InvariantCheck = {
  name: 'succeeds without faults',
  appliesTo: ({ run }) =>
    (run.options.faults ?? []).length === 0 &&
    !run.executions.some((e) => GATE_STOPPED.includes(outcomeOf(e) ?? '')),
  check: ({ primary, promoted }) => ({
    held: promoted,
    detail: promoted
      ? 'promoted'
      : `${primary.status}${primary.error === undefined ? '' : `: ${primary.error}`}`,
  }),
};

const trafficAfterPromotion: InvariantCheck = {
  name: 'traffic never moved before the promotion',
  check: ({ run }) => judgeTrafficAfterPromotion(run),
};

const replicationBeforeFailback: InvariantCheck = {
  name: "failback waited for DR's objects",
  appliesTo: ({ world }) => world.targetRole === 'main',
  check: ({ run }) => judgeReplicationBeforeFailback(run),
};

/** The invariants, in report order. */
export const INVARIANTS: readonly InvariantCheck[] = [
  exactlyOneWriter,
  dnsAtWriter,
  trafficAfterPromotion,
  promotedMovedTrafficOrSaysSo,
  plannedLostNothing,
  noDuplicateInstances,
  failuresNotified,
  neverScaledIn,
  succeedsWithoutFaults,
  replicationBeforeFailback,
];

/** Judge every applicable invariant after `run`, whose report describes `primary` and `findings`. */
export function checkInvariants(run: DrillRun, primary: ExecutionRecord, findings: Findings): Invariant[] {
  const judged: Judged = {
    ...findings,
    run,
    world: run.world,
    primary,
    promoted: primary.status === 'SUCCEEDED' && outcomeOf(primary) === 'PROMOTED',
  };
  return INVARIANTS.filter((i) => i.appliesTo?.(judged) ?? true).map((i) => ({
    name: i.name,
    ...i.check(judged),
  }));
}
