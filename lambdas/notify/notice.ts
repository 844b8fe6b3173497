import type { FenceReport, StepResult } from '../shared/contracts';
import { dataLossDatabases, resourceLine, resourcesOf, shortfallLines } from '../shared/resource-lines';
import { POLLED_STEP_KEYS, STEPS } from '../shared/steps';
import { approvalDecisionLines, approvalRequestLines } from './approval-lines';
import type { DatabaseWriter } from './live-state';
import { readinessLines } from './readiness-lines';
import type { NoticeKind, NotifyEvent, RunFacts } from './run-record';
import type { NoticeSettings } from './settings';

/** SNS allows subjects of up to 100 printable ASCII characters. */
export const SUBJECT_LIMIT = 100;

export interface Notice {
  readonly subject: string;
  readonly message: string;
  /** Machine-readable outcome, as SNS message attributes (subscription filters, the drill). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Where the databases and the traffic are, as far as this run knows. */
export interface Whereabouts {
  /** Where the writer is (one database), or each database's, `name: where`, `; `-joined. */
  readonly writer: string;
  /** Each database's writer, in config order. */
  readonly writers: readonly {
    readonly name: string;
    readonly writer: string;
    readonly here: boolean;
    /** AWS is moving this database's writer to the target region now. */
    readonly comingHere: boolean;
  }[];
  readonly traffic: string;
  /** Every database's writer is here. */
  readonly promotedHere: boolean;
  readonly trafficHere: boolean;
  /** A database promoted here but traffic elsewhere: the state an operator must finish. */
  readonly split: boolean;
}

function asciiSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '-');
  return ascii.length <= SUBJECT_LIMIT ? ascii : `${ascii.slice(0, SUBJECT_LIMIT - 3)}...`;
}

function seconds(r: StepResult): string {
  if (r.finishedAt === undefined) return '';
  const s = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  return Number.isFinite(s) ? ` in ${Math.round(s)} s` : '';
}

function stepLine(label: string, r: StepResult | undefined, failedStep: string | undefined): string {
  // At least one space after the longest label (DrainReplication fills 16).
  const name = `${label.padEnd(15)} `;
  if (failedStep === label) return `  ${name}FAILED${r === undefined ? '' : ` (last: ${r.detail})`}`;
  if (r === undefined) return `  ${name}no result recorded`;
  if (r.status === 'READY')
    return `  ${name}${r.alreadyDone ? 'already done' : `done${seconds(r)}`}: ${r.detail}`;
  return `  ${name}${r.status}: ${r.detail}`;
}

/** A step's line, then one line per resource it reported, then its shortfalls (capacity, target counts). */
function stepLines(label: string, r: StepResult | undefined, failedStep: string | undefined): string[] {
  return [
    stepLine(label, r, failedStep),
    ...resourcesOf(r?.resources).map((x) => `      - ${resourceLine(x)}`),
    ...shortfallLines(r).map((l) => `      - ${l}`),
  ];
}

/**
 * Where things are, from the live writer reads and what the run recorded: a database whose read
 * failed is placed by the promotion's record (its resource, else the step's status).
 */
export function whereabouts(
  settings: NoticeSettings,
  facts: RunFacts,
  writers: readonly DatabaseWriter[],
): Whereabouts {
  const here = `${settings.targetRegion} (${settings.targetRole})`;
  const other = settings.sourceRegion;
  const promotion = facts.steps.promotion;
  const recorded = resourcesOf(promotion?.resources);
  const each = writers.map(({ name, writer }) => {
    const promotedByRun =
      recorded.find((r) => r.kind === 'database' && r.name === name)?.done ?? promotion?.status === 'READY';
    const isHere = writer.known ? writer.region === settings.targetRegion : promotedByRun;
    const text = writer.known
      ? writer.region === settings.targetRegion
        ? here
        : writer.region
      : `${isHere ? here : other} according to this run (live read failed: ${writer.why})`;
    const comingHere = writer.known && writer.movingTo === settings.targetRegion;
    return { name, writer: comingHere ? `${text}, moving to ${here}` : text, here: isHere, comingHere };
  });
  const trafficHere = facts.steps.dns?.status === 'READY';
  const promotedHere = each.length > 0 && each.every((w) => w.here);
  return {
    writer:
      each.length === 1 ? (each[0]?.writer ?? '') : each.map((w) => `${w.name}: ${w.writer}`).join('; '),
    writers: each,
    traffic: trafficHere ? here : `${other} (not moved by this run)`,
    promotedHere,
    trafficHere,
    split: each.some((w) => w.here) && !trafficHere,
  };
}

const FENCE_MEANING: Readonly<Record<FenceReport['state'], string>> = {
  FENCED: 'its service is at 0 and its traffic claim released',
  RELEASED: 'its traffic claim is released',
  PENDING: 'it did not answer in time; finish by hand',
};

/** The region traffic left: what fence-source did there and, when PENDING, the commands to finish. */
function fenceSection(settings: NoticeSettings, fence: FenceReport, services: number): string[] {
  const meaning =
    fence.state === 'FENCED' && services > 1
      ? `its ${services} services are at 0 and its traffic claim released`
      : FENCE_MEANING[fence.state];
  const lines = ['', `Old region ${settings.sourceRegion}: ${fence.state} (${meaning})`];
  if (fence.done.length > 0) lines.push('  Done:', ...fence.done.map((d) => `    - ${d}`));
  if (fence.state === 'PENDING' && fence.commands.length > 0) {
    // main's reset before Route 53 has read DR's release would send traffic back to DR.
    const order =
      settings.targetRole === 'main'
        ? "; reset main's claim last, once DR's claim alarm has been OK for 2 minutes"
        : '';
    lines.push(
      `  To finish (in order, each safe to repeat${order}):`,
      ...fence.commands.map((c) => `    ${c}`),
    );
  }
  return lines;
}

function rerunCommands(settings: NoticeSettings, mode: string): string[] {
  const input = JSON.stringify({ mode, reason: 'finish the failover' });
  return [
    `  npm run failover -- --project ${settings.configName} --region ${settings.targetRole} --mode ${mode} --follow`,
    `  or: aws stepfunctions start-execution --region ${settings.targetRegion} --state-machine-arn ${settings.stateMachineArn} --input '${input}'`,
    '  (a rerun reads what is done and skips it)',
  ];
}

function headline(kind: NoticeKind, settings: NoticeSettings, facts: RunFacts): string {
  const to = `${settings.targetRegion} (${settings.targetRole})`;
  switch (kind) {
    case 'START':
      return `failover to ${to} started (${facts.mode ?? facts.requestedMode ?? 'unknown mode'})`;
    case 'TRAFFIC_MOVED':
      return `traffic moved to ${to} (${facts.mode ?? 'unknown mode'})`;
    case 'PROMOTED':
      return `${to} PROMOTED (${facts.mode ?? 'unknown mode'})`;
    case 'FAILED':
      return `failover to ${to} FAILED at ${facts.failedStep ?? 'an unknown step'}`;
    case 'NO_ACTION':
      return `no failover to ${to} (${facts.outcome ?? facts.preflightStatus ?? 'no action'})`;
    case 'APPROVAL_REQUESTED':
      return `APPROVAL NEEDED: failover to ${to} (${facts.mode ?? facts.requestedMode ?? 'unknown mode'})`;
  }
}

/** `the database is` / `the databases are`, for the body's sentences. */
function databasesAre(count: number): string {
  return count === 1 ? 'the database is' : 'the databases are';
}

/** The subject and the readable body of a notification. */
export function composeNotice(
  event: NotifyEvent,
  settings: NoticeSettings,
  facts: RunFacts,
  writers: readonly DatabaseWriter[],
): Notice {
  const title = `pilot-light ${settings.project}: ${headline(event.kind, settings, facts)}`;
  const where = whereabouts(settings, facts, writers);
  const several = writers.length > 1;
  const lines: string[] = [title, ''];
  if (event.kind === 'FAILED') {
    lines.push(
      `What happened: ${facts.failedStep ?? 'a step'} failed with ${facts.error ?? 'an unknown error'}.`,
    );
    if (facts.cause !== undefined) lines.push(`  ${facts.cause}`);
  } else if (event.kind === 'NO_ACTION') {
    lines.push(`What happened: ${facts.message ?? facts.preflightMessage ?? 'preflight decided not to act'}`);
  } else if (event.kind === 'START') {
    lines.push(`What happens next: ${facts.preflightMessage ?? 'the promotion starts now'}`);
  } else if (event.kind === 'APPROVAL_REQUESTED') {
    lines.push(`What will happen once approved: ${facts.preflightMessage ?? 'the promotion'}`);
  } else if (event.kind === 'TRAFFIC_MOVED') {
    lines.push(
      `What happened: ${databasesAre(writers.length)} promoted here and every hostname of the application answers with this region.`,
      `What happens next: the old region ${settings.sourceRegion} is fenced (best effort, bounded); a final notice reports it.`,
    );
    if (facts.steps.service?.partial === true) {
      lines.push(
        'Some services serve below their target count (servingShare): they keep scaling after fencing, and the final notice says how far they got.',
      );
    }
  } else {
    lines.push(`What happened: ${databasesAre(writers.length)} promoted here and traffic has moved here.`);
    const reached = shortfallLines({ fullTarget: facts.steps.service?.fullTarget });
    if (reached.length > 0) {
      lines.push(
        `Services below their target count when traffic moved: ${reached.map((l) => l.replace(/^after traffic moved: /, '')).join('; ')}`,
      );
    }
  }
  lines.push(`Requested mode: ${facts.requestedMode ?? 'unknown'}; used: ${facts.mode ?? 'not decided'}.`);
  const lossy = dataLossDatabases(resourcesOf(facts.steps.promotion?.resources));
  if (lossy.length > 0) {
    lines.push(`Data loss allowed (unplanned failover) for: ${lossy.map((n) => `database ${n}`).join(', ')}`);
  }
  if (facts.reason !== undefined) lines.push(`Reason given: ${facts.reason}`);
  if (facts.trigger !== undefined) {
    lines.push(`Started by: CloudWatch alarm ${facts.trigger.alarmName} (ALARM at ${facts.trigger.alarmAt})`);
  }
  lines.push(...approvalDecisionLines(facts.approval));
  // A failure shows readiness too: a red check is often why it failed.
  if (
    event.kind === 'START' ||
    event.kind === 'APPROVAL_REQUESTED' ||
    (event.kind === 'FAILED' && facts.readiness !== undefined)
  ) {
    lines.push('', ...readinessLines(facts.readiness));
  }
  if (event.kind === 'APPROVAL_REQUESTED') {
    lines.push('', ...approvalRequestLines(settings, event.executionArn, facts.approvalPlan));
  }
  lines.push('', 'Where things are now:');
  if (several) {
    lines.push('  Database writers:', ...where.writers.map((w) => `    ${w.name}: ${w.writer}`));
  } else {
    lines.push(`  Database writer: ${where.writer}`);
  }
  lines.push(`  Traffic:         ${where.traffic}`);
  if (where.split) {
    const promoted = several
      ? `Database(s) ${where.writers
          .filter((w) => w.here)
          .map((w) => w.name)
          .join(', ')} ${where.writers.filter((w) => w.here).length === 1 ? 'is' : 'are'}`
      : 'The database is';
    lines.push(
      '',
      `>>> ${promoted} promoted in ${settings.targetRegion} but traffic is not here yet. Finish the job:`,
      ...rerunCommands(settings, facts.mode ?? 'unplanned'),
    );
  } else if (event.kind === 'FAILED') {
    // A planned run refused for one database may already have started another's switchover.
    const moving = where.writers.filter((w) => w.comingHere).map((w) => w.name);
    lines.push(
      '',
      moving.length > 0
        ? `>>> AWS is moving database(s) ${moving.join(', ')} to ${settings.targetRegion} while the run failed: ` +
            'they will write here, the others will not, and traffic has not moved. Fix the cause above, then rerun ' +
            '(mode unplanned fails over the databases a switchover cannot move):'
        : `Nothing has moved ${several ? 'the databases' : 'the database'}. Fix the cause above, then rerun with the same input:`,
      ...rerunCommands(settings, moving.length > 0 ? 'unplanned' : (facts.requestedMode ?? 'auto')),
    );
  }
  const fence = facts.steps.fence?.fence;
  if (fence !== undefined) {
    const services = resourcesOf(facts.steps.fence?.resources).filter((r) => r.kind === 'service').length;
    lines.push(...fenceSection(settings, fence, services));
  }
  if (event.kind !== 'NO_ACTION' && event.kind !== 'APPROVAL_REQUESTED') {
    lines.push('', 'Steps:');
    for (const key of POLLED_STEP_KEYS) {
      lines.push(...stepLines(STEPS[key].label, facts.steps[key], facts.failedStep));
    }
  }
  if (facts.runRecord !== undefined) {
    lines.push('', `Run record: ${facts.runRecord.s3Uri}`, `  ${facts.runRecord.consoleUrl}`);
  }
  lines.push('', `Execution: ${event.executionArn} (started ${event.startTime})`);
  return {
    subject: asciiSubject(title),
    message: `${lines.join('\n')}\n`,
    attributes: {
      outcome: event.kind,
      targetRegion: settings.targetRegion,
      ...(event.kind === 'NO_ACTION' && facts.outcome !== undefined
        ? { noActionOutcome: facts.outcome }
        : {}),
      ...(facts.readiness === undefined ? {} : { ready: String(facts.readiness.ready) }),
      ...(facts.failedStep === undefined ? {} : { failedStep: facts.failedStep }),
      databasePromotedHere: String(where.promotedHere),
      trafficMovedHere: String(where.trafficHere),
      ...(fence === undefined ? {} : { fence: fence.state }),
    },
  };
}
