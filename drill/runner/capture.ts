/**
 * While the drill runs, the handlers' structured logs (Powertools writes JSON lines to stdout) and
 * the SDK's warnings would bury the progress lines: collect them for `<out>/lambda-logs.jsonl`
 * and keep a private writer for the drill's own output.
 */
export interface OutputCapture {
  /** Everything written to stdout/stderr by anyone but the drill since `capture`. */
  readonly lines: string[];
  /** Run `fn` with the real stdout/stderr (for the drill's own output). */
  bypass(fn: () => void): void;
  restore(): void;
}

type Write = typeof process.stdout.write;

/** Start capturing process output. */
export function captureOutput(): OutputCapture {
  const lines: string[] = [];
  const out = process.stdout;
  const err = process.stderr;
  const realOut: Write = out.write;
  const realErr: Write = err.write;
  let pending = '';
  const collect = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.length > 0));
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    return true;
  }) as Write;
  out.write = collect;
  err.write = collect;
  return {
    lines,
    bypass: (fn: () => void) => {
      out.write = realOut;
      err.write = realErr;
      try {
        fn();
      } finally {
        out.write = collect;
        err.write = collect;
      }
    },
    restore: () => {
      out.write = realOut;
      err.write = realErr;
      if (pending.length > 0) lines.push(pending);
    },
  };
}
