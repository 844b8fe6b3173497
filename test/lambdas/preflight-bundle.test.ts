import { resolve } from 'node:path';
import { build } from 'esbuild';
import { STEP_LIST, STEPS } from '../../lambdas/shared/steps';

const ROOT = resolve(__dirname, '..', '..');

/** The commands only the steps' actions send: none may reach preflight, which changes nothing. */
const MUTATING_COMMANDS = [
  'CreateDBInstanceCommand',
  'UpdateAutoScalingGroupCommand',
  'UpdateServiceCommand',
  'SwitchoverGlobalClusterCommand',
  'FailoverGlobalClusterCommand',
  'ChangeResourceRecordSetsCommand',
];

/**
 * Files of other steps preflight may import besides their progress.ts: lists of names, no handler
 * code. `scale-service/target-env.ts` holds `SERVICE_TARGET_FIELDS`, the `SERVICES` fields the
 * service reader needs, which `preflight/env.ts` reads with (so infra writes preflight's `SERVICES`
 * from the same list the reader is typed by). Each must import nothing at run time (its one import
 * is type-only), which the test checks, so it cannot become a way into a step's actions.
 */
const CONSTANTS_ONLY = ['lambdas/scale-service/target-env.ts'];

describe('the preflight bundle', () => {
  it('reaches the other steps only through their read-only progress readers, never their actions', async () => {
    // Prepare: bundled as CDK bundles it (ES modules first, so unused SDK commands are dropped).
    const entry = `${STEPS.preflight.folder}/index.ts`;
    // Act
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      mainFields: ['module', 'main'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    // Assess: preflight and the shared modules enter another step only through its progress.ts
    // (what that reader imports in turn is its own step's business; the commands check below holds
    // whatever it is) or a constants-only file that imports nothing.
    const { inputs } = result.metafile;
    const otherSteps = STEP_LIST.filter((s) => s.key !== 'preflight').map((s) => `${s.folder}/`);
    const inOtherStep = (f: string) => otherSteps.some((folder) => f.startsWith(folder));
    const entries = Object.entries(inputs)
      .filter(([file]) => !inOtherStep(file))
      .flatMap(([, input]) => input.imports.map((i) => i.path))
      .filter(inOtherStep);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((f) => !f.endsWith('/progress.ts') && !CONSTANTS_ONLY.includes(f))).toEqual([]);
    const constantsImports = CONSTANTS_ONLY.flatMap((f) =>
      (inputs[f]?.imports ?? []).map((i) => `${f} -> ${i.path}`),
    );
    expect(constantsImports).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('\n');
    expect(MUTATING_COMMANDS.filter((c) => code.includes(c))).toEqual([]);
  });
});
