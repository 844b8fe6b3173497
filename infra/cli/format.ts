/** `13m09s`, `45s`, `1h02m`: how long, at the precision an operator reads. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}

/** `2026-11-24 10:00:00` (UTC), or `-` when unknown. */
export function formatTime(at: Date | undefined): string {
  return at ? at.toISOString().slice(0, 19).replace('T', ' ') : '-';
}
