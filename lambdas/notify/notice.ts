import type { FenceReport, StepResult } from '../shared/contracts';
import { POLLED_STEP_KEYS, STEPS } from '../shared/steps';
import { approvalDecisionLines, approvalRequestLines } from './approval-lines';
import type { WriterRegion } from './live-state';
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

/** Where the database and the traffic are, as far as this run knows. */
export interface Whereabouts {
  readonly writer: string;
  readonly traffic: string;
  readonly promotedHere: boolean;
  readonly trafficHere: boolean;
  /** Promoted here but traffic elsewhere: the state an operator must finish. */
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

/** Where things are, from the live writer read and what the run recorded. */
export function whereabouts(settings: NoticeSettings, facts: RunFacts, writer: WriterRegion): Whereabouts {
  const here = `${settings.targetRegion} (${settings.targetRole})`;
  const other = settings.sourceRegion;
  const promotedHere = writer.known
    ? writer.region === settings.targetRegion
    : facts.steps.promotion?.status === 'READY';
  const writerText = writer.known
    ? writer.region === settings.targetRegion
      ? here
      : writer.region
    : `${promotedHere ? here : other} according to this run (live read failed: ${writer.why})`;
  const trafficHere = facts.steps.dns?.status === 'READY';
  const trafficText = trafficHere ? here : `${other} (not moved by this run)`;
  return {
    writer: writerText,
    traffic: trafficText,
    promotedHere,
    trafficHere,
    split: promotedHere && !trafficHere,
  };
}

const FENCE_MEANING: Readonly<Record<FenceReport['state'], string>> = {
  FENCED: 'its service is at 0 and its traffic claim released',
  RELEASED: 'its traffic claim is released',
  PENDING: 'it did not answer in time; finish by hand',
};

/** The region traffic left: what fence-source did there and, when PENDING, the commands to finish. */
function fenceSection(settings: NoticeSettings, fence: FenceReport): string[] {
  const lines = ['', `Old region ${settings.sourceRegion}: ${fence.state} (${FENCE_MEANING[fence.state]})`];
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

/** The subject and the readable body of a notification. */
export function composeNotice(
  event: NotifyEvent,
  settings: NoticeSettings,
  facts: RunFacts,
  writer: WriterRegion,
): Notice {
  const title = `pilot-light ${settings.project}: ${headline(event.kind, settings, facts)}`;
  const where = whereabouts(settings, facts, writer);
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
      'What happened: the database is promoted here and every hostname of the application answers with this region.',
      `What happens next: the old region ${settings.sourceRegion} is fenced (best effort, bounded); a final notice reports it.`,
    );
  } else {
    lines.push('What happened: the database is promoted here and traffic has moved here.');
  }
  lines.push(`Requested mode: ${facts.requestedMode ?? 'unknown'}; used: ${facts.mode ?? 'not decided'}.`);
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
  lines.push(
    '',
    'Where things are now:',
    `  Database writer: ${where.writer}`,
    `  Traffic:         ${where.traffic}`,
  );
  if (where.split) {
    lines.push(
      '',
      `>>> The database is promoted in ${settings.targetRegion} but traffic is not here yet. Finish the job:`,
      ...rerunCommands(settings, facts.mode ?? 'unplanned'),
    );
  } else if (event.kind === 'FAILED') {
    lines.push(
      '',
      'Nothing has moved the database. Fix the cause above, then rerun with the same input:',
      ...rerunCommands(settings, facts.requestedMode ?? 'auto'),
    );
  }
  const fence = facts.steps.fence?.fence;
  if (fence !== undefined) lines.push(...fenceSection(settings, fence));
  if (event.kind !== 'NO_ACTION' && event.kind !== 'APPROVAL_REQUESTED') {
    lines.push('', 'Steps:');
    for (const key of POLLED_STEP_KEYS) {
      lines.push(stepLine(STEPS[key].label, facts.steps[key], facts.failedStep));
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
