/**
 * What invokes the readiness Lambda: its EventBridge schedule, or the failover state machine at the
 * start of a run (`{ "source": "execution", "executionArn.$": "$$.Execution.Id" }`).
 */
export type ReadinessEvent = ScheduledReadinessEvent | ExecutionReadinessEvent;

/** An EventBridge scheduled event (`source` `aws.events`); nothing else of it is read. */
export interface ScheduledReadinessEvent {
  readonly source: 'aws.events';
  readonly 'detail-type'?: string;
  readonly time?: string;
}

/** Called by a run: the report lands in `$.readiness`; a publish failure never fails the run. */
export interface ExecutionReadinessEvent {
  readonly source: 'execution';
  readonly executionArn: string;
}

/** Whether `event` comes from a run (anything else is treated as the schedule). */
export function isExecutionEvent(event: unknown): event is ExecutionReadinessEvent {
  return (
    typeof event === 'object' && event !== null && (event as { source?: unknown }).source === 'execution'
  );
}
