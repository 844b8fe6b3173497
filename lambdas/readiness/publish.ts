import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { asError } from '../shared/errors';
import { READINESS_METRIC, READINESS_NAMESPACE, type ReadinessReport } from '../shared/readiness-contract';
import type { ReadinessSettings } from './settings';

/**
 * The datums of one evaluation: `Ready` 1/0 per check (dimensions Project, Role, Check) and overall
 * (Project, Role), all at the evaluation's time. A check run per database or service is 1 only when
 * every one of its findings is PASS. UNKNOWN counts 0: nothing proves it ready.
 */
export function readinessDatums(
  report: ReadinessReport,
  settings: Pick<ReadinessSettings, 'project'>,
): MetricDatum[] {
  const timestamp = new Date(report.evaluatedAt);
  const base = [
    { Name: 'Project', Value: settings.project },
    { Name: 'Role', Value: report.role },
  ];
  const ids = [...new Set(report.checks.map((c) => c.id))];
  return [
    ...ids.map((id) => ({
      MetricName: READINESS_METRIC,
      Dimensions: [...base, { Name: 'Check', Value: id }],
      Value: report.checks.every((c) => c.id !== id || c.status === 'PASS') ? 1 : 0,
      Unit: 'None' as const,
      Timestamp: timestamp,
    })),
    {
      MetricName: READINESS_METRIC,
      Dimensions: base,
      Value: report.ready ? 1 : 0,
      Unit: 'None' as const,
      Timestamp: timestamp,
    },
  ];
}

/** The readiness metrics could not be published: the alarm on "not ready" would go stale. */
export class ReadinessPublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadinessPublishError';
  }
}

/**
 * Publish one evaluation's metrics in one PutMetricData (11 datums, one per check and one overall,
 * far below the 1000 a call takes).
 *
 * @throws ReadinessPublishError PutMetricData failed (its error is the cause)
 */
export async function publishReadiness(
  report: ReadinessReport,
  settings: Pick<ReadinessSettings, 'project'>,
  cloudwatch: CloudWatchClient,
): Promise<void> {
  try {
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: READINESS_NAMESPACE,
        MetricData: readinessDatums(report, settings),
      }),
    );
  } catch (err: unknown) {
    const e = asError(err);
    throw new ReadinessPublishError(
      `cloudwatch:PutMetricData ${READINESS_NAMESPACE}/${READINESS_METRIC}: ${e.name}: ${e.message}`,
      {
        cause: e,
      },
    );
  }
}
