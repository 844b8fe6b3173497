import type { DnsAnswers } from '../shared/dns-answers';
import { InvalidInputError } from '../shared/errors';
import { nameList } from '../shared/name-list';
import { type ClaimRole, otherRole } from '../shared/traffic-claim';

/**
 * What the DNS step must reach: every application hostname answers what this region's record
 * answers. The hostnames are failover pairs on the same claim health checks, so they move together.
 */
export interface DnsTarget {
  /**
   * The application's hostnames in config order (at least one), e.g. `app.example.com`,
   * `api.example.com`: each a failover pair.
   */
  readonly recordNames: readonly string[];
  /** This region's record (an alias to its ALB), named after the first hostname, e.g. `dr.app.example.com`. */
  readonly targetRecordName: string;
  /** The other region's record, e.g. `main.app.example.com`. */
  readonly sourceRecordName: string;
}

/** Which region a name's answer belongs to. */
export type AnswerOwner = 'target' | 'source' | 'neither';

/** One hostname at the last read. */
export interface HostnameAnswer {
  readonly name: string;
  readonly owner: AnswerOwner;
  /** What the name answers now (sorted). */
  readonly answer: readonly string[];
}

export interface DnsProgress {
  /** Every hostname answers the target: non-empty, within the target's answer, none of the source's. */
  readonly done: boolean;
  /** Each hostname's answer, in {@link DnsTarget.recordNames} order. */
  readonly hostnames: readonly HostnameAnswer[];
  /** What the first hostname answers now (sorted): the regional records are named after it. */
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

/** `app.example.com answers` / `app.example.com and api.example.com answer`. */
export function hostnamesAnswer(names: readonly string[]): string {
  return `${nameList(names)} ${names.length === 1 ? 'answers' : 'answer'}`;
}

const list = (ips: readonly string[]) => (ips.length === 0 ? 'no answer' : ips.join(', '));

/**
 * Read-only, from the data plane: whether every application hostname already answers this
 * region's record. Shared by the step and by preflight. All names are looked up at once: they are
 * few (the config's hostnames and the two regional records).
 *
 * @throws InvalidInputError `target` names no hostname (nothing would tell that traffic moved)
 * @throws TransientAwsError a lookup failed or timed out
 */
export async function readDnsProgress(
  dns: DnsAnswers,
  target: DnsTarget,
  regions: DnsRegions,
): Promise<DnsProgress> {
  const names = target.recordNames;
  if (names.length === 0) throw new InvalidInputError('the DNS step was given no hostname to move');
  const [targetAnswer, sourceAnswer, ...answers] = await Promise.all([
    dns.resolve4(target.targetRecordName),
    dns.resolve4(target.sourceRecordName),
    ...names.map((name) => dns.resolve4(name)),
  ]);
  const hostnames = names.map((name, i): HostnameAnswer => {
    const answer = answers[i] ?? [];
    return { name, owner: answerOwner(answer, targetAnswer, sourceAnswer), answer };
  });
  const here = `${regions.targetRole} (${regions.targetRegion})`;
  const where = (owner: AnswerOwner) =>
    owner === 'target'
      ? here
      : owner === 'source'
        ? `${otherRole(regions.targetRole)} (${regions.sourceRegion})`
        : `neither region (${target.targetRecordName}: ${list(targetAnswer)}; ${target.sourceRecordName}: ${list(sourceAnswer)})`;
  const line = (h: HostnameAnswer) => `${h.name} answers ${where(h.owner)}: ${list(h.answer)}`;
  const lagging = hostnames.filter((h) => h.owner !== 'target');
  const [first] = hostnames;
  let detail: string;
  if (hostnames.length === 1 && first !== undefined) detail = line(first);
  else if (lagging.length === 0) {
    detail = `all ${hostnames.length} hostnames answer ${here}: ${hostnames.map((h) => `${h.name} (${list(h.answer)})`).join(', ')}`;
  } else {
    detail = `${lagging.map(line).join('; ')}; ${hostnames.length - lagging.length} of ${hostnames.length} hostnames answer ${regions.targetRole}`;
  }
  return { done: lagging.length === 0, hostnames, answer: first?.answer ?? [], detail };
}
