import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../infra/config/load';
import { projectNames } from '../infra/config/names';
import { ENTRY_METADATA_KEY } from '../infra/constructs/entry-metadata';
import type { ResolvedMode } from '../lambdas/shared/contracts';
import { analyzeDrill } from './analysis';
import { MeasurementError } from './errors';
import { REPO_ROOT, runDrill } from './run';
import { synthesizeOrchestrator } from './synthesize';
import { loadTimingModel, sampleTimings } from './timing';

/**
 * `npm run bench`: the performance numbers of issue 4 with their targets. A benchmark, not a
 * test: it prints a table and always exits 0 unless it cannot measure.
 */

interface Row {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly pass: boolean;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function timeNode(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new MeasurementError(`node ${args.join(' ')} exited ${String(r.status)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function drills(rows: Row[]): Promise<void> {
  const config = loadConfig('base');
  const { wiring } = await synthesizeOrchestrator(config, 'dr');
  const timings = sampleTimings(loadTimingModel());
  for (const mode of ['planned', 'unplanned'] as ResolvedMode[]) {
    const run = await runDrill({ config, role: 'dr', mode, timings, wiring });
    const a = analyzeDrill(run);
    const overCp = a.rtoSeconds / a.criticalPath.seconds;
    const overRb = a.rtoSeconds / a.runbook.seconds;
    const slow = a.steps
      .filter((s) => s.actualDoneAt !== undefined && s.end - s.actualDoneAt > 1)
      .map((s) => `${s.name} +${(s.end - (s.actualDoneAt ?? s.end)).toFixed(1)} s`)
      .join(', ');
    rows.push(
      {
        metric: `${mode}: RTO ÷ critical path`,
        value: `${overCp.toFixed(3)} (${a.rtoSeconds.toFixed(1)} / ${a.criticalPath.seconds.toFixed(0)} s${slow === '' ? '' : `; overshoot: ${slow}`})`,
        target: '≤ 1.03',
        pass: overCp <= 1.03,
      },
      {
        metric: `${mode}: RTO ÷ seed runbook`,
        value: `${overRb.toFixed(3)} (runbook ${a.runbook.seconds.toFixed(0)} s; AWS-only ${a.runbook.awsOnlySeconds.toFixed(0)} s → ${(a.rtoSeconds / a.runbook.awsOnlySeconds).toFixed(3)})`,
        target: '≤ 0.5',
        pass: overRb <= 0.5,
      },
      {
        metric: `${mode}: state transitions`,
        value: String(a.stateTransitions),
        target: '≤ 100',
        pass: a.stateTransitions <= 100,
      },
    );
  }
}

/**
 * Measure the bundles CDK itself built in `assemblyDir` (the same esbuild settings that deploy),
 * one per function of the DR orchestrator stack.
 */
function bundles(rows: Row[], assemblyDir: string, stackName: string): void {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { properties?: { templateFile?: string; stackName?: string } }>;
  };
  // The manifest omits `stackName` when it equals the artifact id (construct id and stack name alike).
  const artifact = Object.entries(manifest.artifacts).find(
    ([id, a]) => (a.properties?.stackName ?? id) === stackName,
  )?.[1];
  const templateFile = artifact?.properties?.templateFile;
  if (templateFile === undefined) throw new MeasurementError(`${stackName} is not in ${assemblyDir}`);
  const template = JSON.parse(readFileSync(join(assemblyDir, templateFile), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const functions = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA_KEY] !== undefined)
    .map((r) => ({
      step: (r.Metadata?.[ENTRY_METADATA_KEY] ?? '').replace('lambdas/', ''),
      file: join(assemblyDir, r.Metadata?.['aws:asset:path'] ?? '', 'index.js'),
    }))
    .sort((a, b) => a.step.localeCompare(b.step));
  for (const { step, file } of functions) {
    const kb = statSync(file).size / 1024;
    rows.push({
      metric: `bundle ${step}`,
      value: `${kb.toFixed(0)} KB`,
      target: '≤ 700 KB',
      pass: kb <= 700,
    });
    // Interleave bare and loading runs and take the median of the paired differences: on a busy
    // two-core machine, load drifts between runs, and pairing cancels most of it.
    const deltas: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 15; i++) {
      const b = timeNode(['-e', '']);
      bare.push(b);
      deltas.push(timeNode(['-e', `require(${JSON.stringify(file)})`]) - b);
    }
    const above = median(deltas);
    rows.push({
      metric: `cold require ${step}`,
      value: `${above.toFixed(1)} ms above bare node (${median(bare).toFixed(0)} ms)`,
      target: '≤ 60 ms',
      pass: above <= 60,
    });
  }
}

/** Synthesize the whole app (timed) into `out`; false when synth failed. */
function synth(rows: Row[], out: string): boolean {
  const t = Date.now();
  const r = spawnSync('npx', ['cdk', 'synth', '-c', 'project=base', '--quiet', '-o', out], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const seconds = (Date.now() - t) / 1000;
  const ok = r.status === 0;
  rows.push({
    metric: 'cdk synth (whole app)',
    value: ok ? `${seconds.toFixed(1)} s` : `failed: ${r.stderr.split('\n').slice(-3).join(' ')}`,
    target: '≤ 15 s',
    pass: ok && seconds <= 15,
  });
  return ok;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  await drills(rows);
  const out = mkdtempSync(join(tmpdir(), 'pilot-light-synth-'));
  try {
    if (synth(rows, out)) bundles(rows, out, projectNames(loadConfig('base')).regions.dr.stacks.orchestrator);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const w = Math.max(...rows.map((r) => r.metric.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  process.stdout.write(`\n${'metric'.padEnd(w)}  ${'value'.padEnd(v)}  target     result\n`);
  for (const r of rows) {
    process.stdout.write(
      `${r.metric.padEnd(w)}  ${r.value.padEnd(v)}  ${r.target.padEnd(9)}  ${r.pass ? 'pass' : 'MISS'}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
