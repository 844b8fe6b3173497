import type { RegionCapacity, ZoneRefusals } from '../analysis/capacity';
import { fmtSeconds, roundSeconds } from './figures';

/**
 * The report's capacity section: per region, what EC2 and RDS refused, what the group launched
 * (fallbacks marked), the reservations, and what the shortfall cost. Stored rounded in
 * `report.json`, printed from the stored values by the console and `report.md`.
 */

function roundRefusals(r: readonly ZoneRefusals[]): ZoneRefusals[] {
  return r.map((x) => ({ ...x, first: roundSeconds(x.first), last: roundSeconds(x.last) }));
}

/** The capacity figures as `report.json` stores them: times to a tenth of a second. */
export function capacityFigures(regions: readonly RegionCapacity[]): RegionCapacity[] {
  return regions.map((r) => {
    const s = r.asg?.shortfall;
    return {
      ...r,
      ...(r.asg === undefined
        ? {}
        : {
            asg: {
              ...r.asg,
              refused: roundRefusals(r.asg.refused),
              ...(s === undefined
                ? {}
                : {
                    shortfall: {
                      desired: s.desired,
                      unrefusedAt: roundSeconds(s.unrefusedAt),
                      ...(s.reachedAt === undefined ? {} : { reachedAt: roundSeconds(s.reachedAt) }),
                      ...(s.costSeconds === undefined ? {} : { costSeconds: roundSeconds(s.costSeconds) }),
                    },
                  }),
            },
          }),
      databases: r.databases.map((d) => ({ ...d, refused: roundRefusals(d.refused) })),
    };
  });
}

/** `t3.small in us-west-2a ×2 (1.0 s → 21.0 s)`. */
function refusalPhrase(r: ZoneRefusals): string {
  const when = r.count === 1 ? `at ${fmtSeconds(r.first)}` : `${fmtSeconds(r.first)} → ${fmtSeconds(r.last)}`;
  const why = r.refusal === 'Unsupported' ? ', not offered' : '';
  return `${r.instanceType} in ${r.zone} ×${r.count} (${when}${why})`;
}

/** Whether anything in `r` is worth a line: a launch, a refusal, a reservation, a created DB instance. */
function eventful(r: RegionCapacity): boolean {
  const a = r.asg;
  return (
    r.databases.length > 0 ||
    (a !== undefined &&
      (a.refused.length > 0 || a.launched.length > 0 || a.reservations.length > 0 || a.failedActivities > 0))
  );
}

/** The capacity section's lines (none when neither region launched, reserved or was refused anything). */
export function capacityLines(regions: readonly RegionCapacity[]): string[] {
  const lines: string[] = [];
  for (const r of regions.filter(eventful)) {
    const a = r.asg;
    if (a !== undefined) {
      const launched =
        a.launched.length === 0
          ? 'launched nothing'
          : `launched ${a.launched
              .map(
                (l) =>
                  `${l.count} ${l.instanceType}${l.fallback ? ' (fallback)' : ''}${l.reserved > 0 ? `, ${l.reserved} in reservations` : ''} in ${l.zones.join(', ')}`,
              )
              .join('; ')}`;
      lines.push(`${r.region} (${r.role}) ASG ${a.name} [${a.instanceTypes.join(' > ')}]: ${launched}`);
      if (a.refused.length > 0) {
        lines.push(
          `  EC2 refused ${a.refused.map(refusalPhrase).join(', ')}; ${a.failedActivities} scaling activit${a.failedActivities === 1 ? 'y' : 'ies'} failed`,
        );
      }
      for (const res of a.reservations) {
        lines.push(
          `  reservation ${res.id} ${res.instanceType} in ${res.zone}: ${res.used}/${res.total} used (${res.state})`,
        );
      }
      const s = a.shortfall;
      if (s !== undefined) {
        lines.push(
          s.reachedAt === undefined
            ? `  ${s.desired} instance(s) asked for never all went InService (without refusals: at ${fmtSeconds(s.unrefusedAt)})`
            : `  ${s.desired} instance(s) InService at ${fmtSeconds(s.reachedAt)}; without refusals ${fmtSeconds(s.unrefusedAt)}: the shortfall cost ${fmtSeconds(s.costSeconds ?? 0)}`,
        );
      }
    }
    for (const d of r.databases) {
      const parts = [
        ...(d.refused.length === 0 ? [] : [`RDS had no ${d.refused.map(refusalPhrase).join(', ')}`]),
        ...(d.refusedCreates.length === 0
          ? []
          : [
              `CreateDBInstance refused ${d.refusedCreates.map((c) => `${c.instanceClass} ×${c.count}`).join(', ')}`,
            ]),
        ...(d.placed.length === 0
          ? []
          : [`created ${d.placed.map((p) => `${p.id} ${p.instanceClass} in ${p.zone}`).join(', ')}`]),
      ];
      lines.push(`${r.region} (${r.role}) database ${d.database}: ${parts.join('; ')}`);
    }
  }
  return lines;
}
