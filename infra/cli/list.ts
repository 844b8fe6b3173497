import { type ExecutionListItem, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { RegionRole } from '../config/schema';
import type { ListCommand } from './args';
import { errorText, isCredentialError } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { formatDuration, formatTime } from './format';

interface Row {
  readonly role: RegionRole;
  readonly item: ExecutionListItem;
}

/** `13m09s`, or how long so far for a run still going. */
function durationOf(item: ExecutionListItem, now: Date): string {
  if (!item.startDate) return '-';
  const end = item.stopDate ?? now;
  const took = formatDuration(end.getTime() - item.startDate.getTime());
  return item.stopDate ? took : `${took} so far`;
}

/**
 * `list`: the newest executions of the chosen regions' state machines, merged, newest first. A region
 * that does not answer is reported on stderr; exit status 1 only when none answered.
 */
export async function runList(ctx: CommandContext, cmd: ListCommand): Promise<number> {
  const answers = await Promise.all(
    cmd.roles.map(async (role) => {
      const { names, clients } = regionOf(ctx, role);
      try {
        const page = await clients.sfn.send(
          new ListExecutionsCommand({ stateMachineArn: names.stateMachineArn, maxResults: cmd.limit }),
        );
        return (page.executions ?? []).map((item): Row => ({ role, item }));
      } catch (err: unknown) {
        if (isCredentialError(err)) throw err;
        ctx.deps.err(`warning: ${regionLabel(names)} did not answer: ${errorText(err)}`);
        return undefined;
      }
    }),
  );
  const rows = answers
    .flatMap((a) => a ?? [])
    .sort((a, b) => (b.item.startDate?.getTime() ?? 0) - (a.item.startDate?.getTime() ?? 0))
    .slice(0, cmd.limit);
  if (answers.every((a) => a === undefined)) return 1;
  if (rows.length === 0) {
    ctx.deps.out(`no executions in ${cmd.roles.join(' or ')}`);
    return 0;
  }
  const now = ctx.deps.now();
  const table = [
    ['STARTED (UTC)', 'REGION', 'STATUS', 'DURATION', 'NAME'],
    ...rows.map(({ role, item }) => [
      formatTime(item.startDate),
      role,
      item.status ?? '-',
      durationOf(item, now),
      item.name ?? '-',
    ]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of table) {
    ctx.deps.out(
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    );
  }
  return 0;
}
