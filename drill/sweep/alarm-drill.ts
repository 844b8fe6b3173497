import { loadConfig } from '../../infra/config/load';
import { analyzeDrill, type DrillAnalysis } from '../analysis/analyze';
import { WiringError } from '../errors';
import { checkFaultEntries } from '../faults/catalog';
import { gitCommit } from '../report/meta';
import { buildReport } from '../report/report';
import type { DrillReport } from '../report/types';
import { type DetectionReport, detectionFigures, detectionTimeline } from '../runner/detection';
import { fmtTime } from '../runner/progress';
import { type DrillRun, REPO_ROOT, runDrill } from '../runner/run';
import { synthesizeWithTrigger } from '../synth/alarm-synthesize';
import type { TriggerWiring } from '../synth/alarm-template';
import { loadTimingModel } from '../timing';
import type { DrillPlan, DrillVariant, PreparedDrill } from './sweep';
import { timingsOf } from './sweep';

/**
 * `npm run drill -- --trigger alarm`: one synthesis read for both the state machine and its alarm
 * path, then a drill that starts at the outage instead of at the state machine.
 */

/** A prepared drill with the alarm path it rehearses. */
export interface PreparedTriggerDrill extends PreparedDrill {
  readonly trigger: TriggerWiring;
}

/** The report of an alarm-triggered drill: the usual one (when an execution ran) and detection. */
export interface TriggerOutcome {
  readonly run: DrillRun;
  readonly analysis?: DrillAnalysis;
  /** The report with its `detection` section; absent when the alarm never started an execution. */
  readonly report?: DrillReport;
  readonly detection: DetectionReport;
}

/** Load, synthesize once, read the alarm path. @throws WiringError when the role has no alarm rule */
export async function prepareTriggerDrill(plan: DrillPlan): Promise<PreparedTriggerDrill> {
  const config = loadConfig(plan.configName);
  checkFaultEntries(config, plan.faults);
  const model = loadTimingModel(plan.timingFile);
  const s = await synthesizeWithTrigger(config, plan.role, plan.configName);
  if (s.trigger === undefined) {
    throw new WiringError(
      `${s.stackName} has no alarm rule: add '${plan.role}' to failover.alarm.regions to rehearse the alarm path`,
    );
  }
  const { wiring, stackName, trigger } = s;
  return { plan, config, model, wiring, stackName, trigger, commit: gitCommit(REPO_ROOT) };
}

/** Run one alarm-triggered drill of `p`. */
export async function triggerDrillOnce(
  p: PreparedTriggerDrill,
  variant: DrillVariant = {},
): Promise<TriggerOutcome> {
  const { plan } = p;
  const run = await runDrill({
    config: p.config,
    role: plan.role,
    mode: 'auto',
    faults: plan.faults,
    timings: timingsOf(p, variant),
    wiring: p.wiring,
    trigger: p.trigger,
    ...(variant.log === undefined ? {} : { log: variant.log }),
  });
  const log = run.detection;
  if (log === undefined) throw new WiringError('the alarm-triggered drill recorded no detection');
  const timeline = detectionTimeline(log).map((l) => ({ at: Math.round(l.at * 10) / 10, what: l.what }));
  if (run.executions.length === 0) {
    return { run, detection: { ...detectionFigures(log), timeline } };
  }
  const analysis = analyzeDrill(run, { configName: plan.configName });
  const rto = analysis.incident.rtoSeconds;
  const detection: DetectionReport = {
    ...detectionFigures(log, {
      ...(rto === undefined ? {} : { rtoSeconds: rto }),
      lowerBoundSeconds: analysis.criticalPath.seconds,
    }),
    timeline,
  };
  const report = buildReport(run, analysis, {
    faults: plan.faults.map((f) => (f.argument === undefined ? f.name : `${f.name}:${f.argument}`)),
    configName: plan.configName,
    commit: p.commit,
    ...(variant.seed === undefined ? {} : { seed: variant.seed }),
    ...(plan.timingFile === undefined ? {} : { timingFile: plan.timingFile }),
    ...(plan.scale === undefined ? {} : { scale: plan.scale }),
  });
  return { run, analysis, report: { ...report, detection }, detection };
}

/** The detection phase as console lines. */
export function formatDetection(d: DetectionReport): string {
  const lines = [
    '',
    `  Detection (${d.source}: ${d.alarmName.length > 70 ? `${d.alarmName.slice(0, 67)}...` : d.alarmName})`,
    '    times from the outage (00:00); the figures above count from the first execution',
    `    minimum detection ${d.minimumDetectionSeconds} s (datapointsToAlarm × period); alarm at ${d.alarmAt === undefined ? 'never' : `${d.alarmAt} s`}; first execution at ${d.firstStartAt === undefined ? 'none' : `${d.firstStartAt} s`}`,
    `    probes ${d.probes} (${d.probesFailed} unhealthy, ${d.probesUnpublished} not published); alarm transitions ${d.alarmTransitions}; executions started ${d.executionsStarted}`,
  ];
  if (d.rtoFromOutageSeconds !== undefined && d.lowerBoundFromOutageSeconds !== undefined) {
    lines.push(
      `    RTO from the outage ${d.rtoFromOutageSeconds} s against ${d.lowerBoundFromOutageSeconds} s (minimum detection + failover lower bound): ${d.rtoOverLowerBound}`,
    );
  }
  let lastProbe: string | undefined;
  for (const l of d.timeline) {
    // A probe line only when what the probe sees changes: the schedule repeats it every period.
    if (l.what.startsWith('probe:')) {
      if (l.what === lastProbe) continue;
      lastProbe = l.what;
    }
    lines.push(`    ${fmtTime(l.at)}  ${l.what.length > 160 ? `${l.what.slice(0, 157)}...` : l.what}`);
  }
  return `${lines.join('\n')}\n`;
}
