/**
 * A problem with how the drill was invoked (flags, project, timing file): the CLI prints the
 * message and exits 2 without a stack trace.
 */
export class DrillUsageError extends Error {
  override readonly name = 'DrillUsageError';
}

/** The synthesized orchestrator cannot be run as-is (a wiring mistake): the drill fails loudly. */
export class WiringError extends Error {
  override readonly name = 'WiringError';
}

/** A drill's record cannot be analysed (it holds no execution). */
export class AnalysisError extends Error {
  override readonly name = 'AnalysisError';
}

/** `npm run bench` could not measure what it reports. */
export class MeasurementError extends Error {
  override readonly name = 'MeasurementError';
}
