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
  it("holds the other steps' read-only progress readers, never their actions", async () => {
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
    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    const otherSteps = STEP_LIST.filter((s) => s.key !== 'preflight').map((s) => `${s.folder}/`);
    const fromOtherSteps = inputs.filter((f) => otherSteps.some((folder) => f.startsWith(folder)));
    expect(fromOtherSteps.length).toBeGreaterThan(0);
    expect(fromOtherSteps.filter((f) => !f.endsWith('/progress.ts'))).toEqual([]);
    const code = result.outputFiles.map((f) => f.text).join('\n');
    expect(MUTATING_COMMANDS.filter((c) => code.includes(c))).toEqual([]);
  });
});
