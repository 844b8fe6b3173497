import type { DrillAnalysis } from '../analysis/analyze';
import type { ExecutionSummary } from '../analysis/executions';
import { replicationFigures } from '../analysis/replication';
import type { DrillRun } from '../runner/run';
import { capacityFigures } from './capacity';
import { callRecords, capacityHistory, notificationRecords } from './evidence';
import { incidentFigures, roundMillis, roundRatio, roundSeconds } from './figures';
import { UNKNOWN_COMMIT } from './meta';
import { runRecordsOf } from './run-records';
import type { DrillReport, ExecutionReport, ReportMeta } from './types';

/** Building `report.json` (its shape: `types.ts`) from a drill's run and analysis. */

function executionReport(x: ExecutionSummary): ExecutionReport {
  return {
    name: x.name,
    executionArn: x.executionArn,
    status: x.status,
    ...(x.outcome === undefined ? {} : { outcome: x.outcome }),
    ...(x.error === undefined ? {} : { error: x.error }),
    ...(x.cause === undefined ? {} : { cause: x.cause }),
    ...(x.failedStep === undefined ? {} : { failedStep: x.failedStep }),
    start: roundSeconds(x.start),
    end: roundSeconds(x.end),
    stateTransitions: x.transitions.length,
    steps: x.steps.map((s) => ({
      name: s.name,
      start: roundSeconds(s.start),
      end: roundSeconds(s.end),
      ...(s.actualDoneAt === undefined ? {} : { actualDoneAt: roundSeconds(s.actualDoneAt) }),
      criticalPath: s.onCriticalPath,
      ...(s.failed === true ? { failed: true } : {}),
    })),
    transitions: x.transitions.map((t) => ({ ...t, at: roundSeconds(t.at) })),
  };
}

/** Build the JSON report. */
export function buildReport(run: DrillRun, a: DrillAnalysis, meta: ReportMeta): DrillReport {
  const w = run.world;
  const origin = a.incident.startedAt;
  const figures = incidentFigures(a.incident, a.executions.length);
  const rto = a.incident.rtoSeconds;
  return {
    project: run.options.config.project,
    configFile: `project-config/${meta.configName ?? a.configName}.yml`,
    commit: meta.commit ?? UNKNOWN_COMMIT,
    kind: a.incident.kind,
    role: run.options.role,
    targetRegion: w.regionOf(w.targetRole),
    sourceRegion: w.regionOf(w.sourceRole),
    mode: a.mode,
    requestedMode: a.requestedMode,
    outcome: a.outcome,
    faults: meta.faults,
    ...(meta.seed === undefined ? {} : { seed: meta.seed }),
    ...(meta.timingFile === undefined ? {} : { timingFile: meta.timingFile }),
    ...(meta.scale === undefined ? {} : { scale: meta.scale }),
    incident: figures,
    stateLeft: a.stateLeft,
    ...(a.incident.kind === 'failover'
      ? {
          runbook: {
            rtoSeconds: roundSeconds(a.runbook.seconds),
            awsOnlySeconds: roundSeconds(a.runbook.awsOnlySeconds),
            ...(rto === undefined ? {} : { rtoOverRunbook: roundRatio(rto / a.runbook.seconds) }),
          },
        }
      : {}),
    ...(a.trafficMovedSeconds === undefined
      ? {}
      : { trafficMovedSeconds: roundSeconds(a.trafficMovedSeconds) }),
    ...(a.fence === undefined ? {} : { fence: a.fence }),
    ...(a.lostWritesSeconds === undefined ? {} : { lostWritesSeconds: roundMillis(a.lostWritesSeconds) }),
    s3Replication: replicationFigures(run),
    stateTransitions: a.incident.transitions,
    apiCalls: a.apiCalls,
    apiErrors: a.apiErrors,
    apiPeakPerMinute: Object.fromEntries(
      Object.entries(a.apiPeakPerMinute).map(([k, p]) => [
        k,
        { requests: p.requests, from: roundSeconds(p.from - origin) },
      ]),
    ),
    executions: a.executions.map(executionReport),
    notifications: notificationRecords(w, origin),
    invariants: a.invariants.map((i) => ({ name: i.name, held: i.held, detail: i.detail })),
    timings: Object.fromEntries(Object.entries(w.timings).map(([k, v]) => [k, roundMillis(v)])),
    capacity: capacityHistory(w, origin),
    capacityFound: capacityFigures(a.capacity),
    calls: callRecords(w.calls, origin),
    runRecords: runRecordsOf(run),
  };
}
