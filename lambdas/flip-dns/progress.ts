import type { DnsAnswers } from '../shared/dns-answers';
import { type ClaimRole, otherRole } from '../shared/traffic-claim';

/** What the DNS step must reach: the application's name answers what this region's record answers. */
export interface DnsTarget {
  /** The application's name, e.g. `app.example.com` (a failover pair). */
  readonly recordName: string;
  /** This region's record (an alias to its ALB), e.g. `dr.app.example.com`. */
  readonly targetRecordName: string;
  /** The other region's record, e.g. `main.app.example.com`. */
  readonly sourceRecordName: string;
}

/** Which region a name's answer belongs to. */
export type AnswerOwner = 'target' | 'source' | 'neither';

export interface DnsProgress {
  /** The name answers the target: non-empty, within the target's answer, none of the source's. */
  readonly done: boolean;
  readonly owner: AnswerOwner;
  /** What the name answers now (sorted). */
  readonly answer: readonly string[];
  readonly detail: string;
}

/** The roles and regions a detail names (`dr (us-west-2)`). */
export interface DnsRegions {
  readonly targetRole: ClaimRole;
  readonly targetRegion: string;
  readonly sourceRegion: string;
}

function within(answer: readonly string[], of: readonly string[]): boolean {
  return answer.length > 0 && answer.every((ip) => of.includes(ip));
}

/** Whose answer `answer` is; a mixed or empty answer is neither's (the flip is not finished). */
export function answerOwner(
  answer: readonly string[],
  target: readonly string[],
  source: readonly string[],
): AnswerOwner {
  const disjoint = (a: readonly string[], b: readonly string[]) => !a.some((ip) => b.includes(ip));
  if (within(answer, target) && disjoint(answer, source)) return 'target';
  if (within(answer, source) && disjoint(answer, target)) return 'source';
  return 'neither';
}

const list = (ips: readonly string[]) => (ips.length === 0 ? 'no answer' : ips.join(', '));

/**
 * Read-only, from the data plane: whether the application's name already answers this region's
 * record. Shared by the step and by preflight.
 *
 * @throws TransientAwsError a lookup failed or timed out
 */
export async function readDnsProgress(
  dns: DnsAnswers,
  target: DnsTarget,
  regions: DnsRegions,
): Promise<DnsProgress> {
  const [answer, targetAnswer, sourceAnswer] = await Promise.all([
    dns.resolve4(target.recordName),
    dns.resolve4(target.targetRecordName),
    dns.resolve4(target.sourceRecordName),
  ]);
  const owner = answerOwner(answer, targetAnswer, sourceAnswer);
  const where =
    owner === 'target'
      ? `${regions.targetRole} (${regions.targetRegion})`
      : owner === 'source'
        ? `${otherRole(regions.targetRole)} (${regions.sourceRegion})`
        : `neither region (${target.targetRecordName}: ${list(targetAnswer)}; ${target.sourceRecordName}: ${list(sourceAnswer)})`;
  return {
    done: owner === 'target',
    owner,
    answer,
    detail: `${target.recordName} answers ${where}: ${list(answer)}`,
  };
}
