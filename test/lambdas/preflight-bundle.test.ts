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
    // whatever it is).
    const { inputs } = result.metafile;
    const otherSteps = STEP_LIST.filter((s) => s.key !== 'preflight').map((s) => `${s.folder}/`);
    const inOtherStep = (f: string) => otherSteps.some((folder) => f.startsWith(folder));
    const entries = Object.entries(inputs)
      .filter(([file]) => !inOtherStep(file))
      .flatMap(([, input]) => input.imports.map((i) => i.path))
      .filter(inOtherStep);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((f) => !f.endsWith('/progress.ts'))).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('\n');
    expect(MUTATING_COMMANDS.filter((c) => code.includes(c))).toEqual([]);
  });
});
