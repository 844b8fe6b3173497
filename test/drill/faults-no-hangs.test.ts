import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutDir } from '../../drill/cli/out-dir';
import { DrillUsageError } from '../../drill/errors';
import { FAULT_NAMES as EVERY_FAULT, faultRunsOn } from '../../drill/faults/catalog';
import { REPO_ROOT } from '../../drill/runner/run';
import { SimulationRunawayError } from '../../drill/sim/scheduler';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings, TIMING_KEYS, type Timings } from '../../drill/timing';
import { drill, drWiring } from './faults-helpers';
import { config } from './sim-helpers';

/** The faults the base config can run (reservation-inactive needs a reservation it does not keep). */
const FAULT_NAMES = EVERY_FAULT.filter((f) => faultRunsOn(f, config, 'dr'));

/**
 * No hangs: a drill with zero durations finishes or fails with a named error, whatever the fault;
 * the simulation's step guard names what looped; a bad `--out` is refused before the drill runs;
 * a reader that stops early (`npm run drill | head`) does not crash it.
 */

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, 120_000);

const ZERO = Object.fromEntries(TIMING_KEYS.map((k) => [k, 0])) as Timings;

describe('zero durations', () => {
  it('taskStartSeconds 0 with ecs-unhealthy: the step guard stops the drill, naming the task start that looped', async () => {
    // Prepare
    const timings = { ...sampleTimings(loadTimingModel()), taskStartSeconds: 0 };

    // Act
    const act = drill(wiring, 'planned', ['ecs-unhealthy'], { timings });

    // Assess
    await expect(act).rejects.toThrow(SimulationRunawayError);
    await expect(act).rejects.toThrow(/ECS task start \(.+\)' kept rescheduling itself/);
  });

  it('every duration 0 and no fault: the drill promotes', async () => {
    // Act
    const { a } = await drill(wiring, 'planned', [], { timings: ZERO });

    // Assess
    expect(a.outcome).toBe('PROMOTED');
  });

  it.each(FAULT_NAMES)('every duration 0 with %s: finishes, or stops with the step guard', async (fault) => {
    // Act
    const ended = await drill(wiring, 'auto', [fault], { timings: ZERO }).then(
      (d) => d.run.executions.length,
      (err: unknown) => err,
    );

    // Assess
    if (typeof ended === 'number') expect(ended).toBeGreaterThan(0);
    else expect(ended).toBeInstanceOf(SimulationRunawayError);
  });
});

describe('--out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drill-out-'));

  it('refuses a file in the way, and a folder under a file', () => {
    // Prepare
    const file = join(dir, 'report.txt');
    writeFileSync(file, 'not a folder');

    // Act / Assess
    expect(() => checkOutDir(file)).toThrow(DrillUsageError);
    expect(() => checkOutDir(file)).toThrow(`--out ${file}: is a file, not a folder`);
    expect(() => checkOutDir(join(file, 'sub'))).toThrow(/is a file, not a folder/);
  });

  it('refuses a folder it may not write to, naming the error', () => {
    // Prepare
    const denied = (() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    }) as typeof import('node:fs').accessSync;

    // Act / Assess
    expect(() => checkOutDir(join(dir, 'new', 'deeper'), denied)).toThrow(
      `--out ${join(dir, 'new', 'deeper')} (its parent ${dir}): not writable (EACCES)`,
    );
  });

  it('accepts a folder to create under a writable one', () => {
    // Act / Assess
    expect(() => checkOutDir(join(dir, 'fresh', 'out'))).not.toThrow();
  });
});

/** Run `npm run drill` with `args`; `closeAfterFirstChunk` stops reading stdout like `| head`. */
function runCli(
  args: readonly string[],
  closeAfterFirstChunk = false,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['drill/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run drill', () => {
  it('refuses a bad --out with exit 2 before synthesizing anything', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'drill-out-')), 'taken');
    writeFileSync(file, '');

    // Act
    const { status, stdout, stderr } = await runCli(['--out', file]);

    // Assess
    expect(status).toBe(2);
    expect(stderr).toBe(`error: --out ${file}: is a file, not a folder\n`);
    expect(stdout).not.toContain('Synthesizing');
  }, 60_000);

  it('exits cleanly when its reader goes away (| head): no EPIPE, the report still written', async () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'drill-out-'));

    // Act
    const { status, stderr } = await runCli(
      ['--out', out, '--fault', 'db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge'],
      true,
    );

    // Assess
    expect(stderr).not.toMatch(/EPIPE|Unhandled|drill failed/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      invariants: { held: boolean }[];
    };
    expect(status).toBe(report.invariants.every((i) => i.held) ? 0 : 1);
  }, 180_000);
});
