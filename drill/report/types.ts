import type { RunRecord } from '../../lambdas/record-run/record';
import type { FenceReport } from '../../lambdas/shared/contracts';
import type { PeakRate } from '../analysis/calls';
import type { RegionCapacity } from '../analysis/capacity';
import type { Transition } from '../analysis/executions';
import type { ReplicationFigures } from '../analysis/replication';
import type { StateLeft } from '../analysis/state';
import type { DetectionReport } from '../runner/detection';
import type { CallRecord, CapacityHistory, NotificationRecord } from './evidence';
import type { IncidentFigures } from './figures';

/**
 * The machine-readable report (`report.json`): the incident's figures, every execution with its
 * steps and transitions, and the run's inputs. Every time is in seconds since the first trigger.
 */

/** One step of an execution, as stored. */
export interface StepReport {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly actualDoneAt?: number;
  readonly criticalPath: boolean;
  readonly failed?: boolean;
}

/** One execution, as stored. */
export interface ExecutionReport {
  readonly name: string;
  readonly executionArn: string;
  readonly status: string;
  readonly outcome?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly failedStep?: string;
  readonly start: number;
  readonly end: number;
  /** Step Functions bills one per state entered and per retry. */
  readonly stateTransitions: number;
  readonly steps: readonly StepReport[];
  readonly transitions: readonly Transition[];
}

/** The seed's manual runbook under the same timings (a failover only: a failback has no runbook). */
export interface RunbookReport {
  readonly rtoSeconds: number;
  readonly awsOnlySeconds: number;
  /** Incident RTO ÷ runbook RTO, when the incident has an RTO. */
  readonly rtoOverRunbook?: number;
}

/** What the drill was asked to do, beyond the config, and the code that did it. */
export interface ReportMeta {
  readonly seed?: number;
  readonly faults: readonly string[];
  /** `project-config/<configName>.yml`. @default the analysis's */
  readonly configName?: string;
  /** The `--timing` overrides file, if any. */
  readonly timingFile?: string;
  /** Every AWS duration was multiplied by this after seeding (`--scale`). */
  readonly scale?: number;
  /** `git rev-parse HEAD` of the code that ran. @default {@link UNKNOWN_COMMIT} */
  readonly commit?: string;
}

/** `report.json`. */
export interface DrillReport {
  readonly project: string;
  /** The config file the drill ran, relative to the repository. */
  readonly configFile: string;
  /** The commit of the code that produced the report, or `unknown`. */
  readonly commit: string;
  /** Failover (promote DR) or failback (promote main). */
  readonly kind: string;
  readonly role: string;
  readonly targetRegion: string;
  readonly sourceRegion: string;
  readonly mode: string;
  readonly requestedMode: string;
  /** What the primary execution returned, or how it ended. */
  readonly outcome: string;
  readonly faults: readonly string[];
  readonly seed?: number;
  readonly timingFile?: string;
  readonly scale?: number;
  /** The figures of the incident, and the one line they print as everywhere. */
  readonly incident: IncidentFigures;
  /** What is where when the drill ended; `split` is the loudest line of the report. */
  readonly stateLeft: StateLeft;
  readonly runbook?: RunbookReport;
  /** When the name first answered the promoted region (Route 53's data plane). */
  readonly trafficMovedSeconds?: number;
  /** What the fence step did to the old region and what is left; absent when not reached. */
  readonly fence?: FenceReport;
  readonly lostWritesSeconds?: number;
  /**
   * S3: objects of the region traffic left not yet replicated at the start (the S3 part of the
   * data-loss window), over every bucket; each bucket's too when there is more than one.
   */
  readonly s3Replication?: ReplicationFigures;
  /** Of every execution of the incident. */
  readonly stateTransitions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly apiErrors: Readonly<Record<string, number>>;
  /** Per service, the most requests in any minute (`from`: when that minute began). */
  readonly apiPeakPerMinute: Readonly<Record<string, PeakRate>>;
  /** Every execution in start order, with its steps and transitions. */
  readonly executions: readonly ExecutionReport[];
  /** Every notification as published: subject, body, attributes. */
  readonly notifications: readonly NotificationRecord[];
  readonly invariants: readonly { name: string; held: boolean; detail: string }[];
  /** Every duration the simulated AWS used (after seeding and scaling). */
  readonly timings: Readonly<Record<string, number>>;
  /** Both regions' Auto Scaling group and ECS services over the drill. */
  readonly capacity: readonly CapacityHistory[];
  /**
   * Per region: the launches EC2 refused (type, zone, how many, first and last time), the instances
   * launched by type (fallbacks marked), the reservations used, the DB classes RDS refused and where
   * it placed the instances created, and what the shortfall cost.
   */
  readonly capacityFound: readonly RegionCapacity[];
  /** Every AWS call the handlers made, in order. */
  readonly calls: readonly CallRecord[];
  /** `--trigger alarm`: the detection phase, in seconds since the outage. */
  readonly detection?: DetectionReport;
  /** The run records the executions wrote (`lambdas/record-run`), from the simulated bucket. */
  readonly runRecords?: readonly RunRecordCopy[];
}

/** One record the drill's executions wrote, as found in the simulated bucket. */
export interface RunRecordCopy {
  readonly execution: string;
  readonly s3Uri: string;
  readonly record: RunRecord;
  readonly markdown: string;
}
