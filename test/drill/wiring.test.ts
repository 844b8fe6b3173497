import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDrill } from '../../drill/analysis/analyze';
import { WiringError } from '../../drill/errors';
import { runDrill } from '../../drill/runner/run';
import type { CfnTemplate } from '../../drill/synth/cfn-template';
import { extractOrchestrator, taskStates } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';

const FIXTURE = join(__dirname, '..', 'fixtures', 'drill', 'orchestrator.template.json');
// An ASL placeholder (escaped: not a template substitution).
const ONE_TASK = `{"StartAt":"Step","States":{"Step":{"Type":"Task","Resource":"\${StepFunctionArn}","End":true}}}`;
const where = { region: 'us-west-2', account: '111111111111' };

function fixture(): CfnTemplate & {
  Resources: Record<
    string,
    { Type: string; Metadata?: Record<string, unknown>; Properties: Record<string, unknown> }
  >;
} {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'));
}

describe('extractOrchestrator', () => {
  it('replaces every substitution with a fake ARN mapped to its function or topic', () => {
    // Act
    const wiring = extractOrchestrator(fixture(), where);

    // Assess
    const fnArn = 'arn:aws:lambda:us-west-2:111111111111:function:StepFunctionArn';
    expect(wiring.functions.get(fnArn)).toEqual({
      key: 'StepFunctionArn',
      logicalId: 'StepFunctionABCDEF12',
      entry: 'test/fixtures/drill/echo',
      environment: { TARGET_REGION: 'us-west-2', GREETING: 'hello' },
      timeoutSeconds: 10,
      memorySize: 256,
    });
    expect([...wiring.topics.keys()]).toEqual(['arn:aws:sns:us-west-2:111111111111:fixture-events']);
    expect(wiring.stateMachineName).toBe('fixture-dr-failover');
    expect(taskStates(wiring.definition)).toEqual([
      { name: 'Step', resource: fnArn },
      { name: 'Notify', resource: 'arn:aws:states:::sns:publish' },
    ]);
    expect(JSON.stringify(wiring.definition)).toContain('done in fixture');
  });

  it('accepts a plain-string DefinitionString', () => {
    // Prepare
    const t = fixture();
    const machine = t.Resources.Machine12345678;
    if (machine === undefined) throw new Error('fixture changed');
    machine.Properties.DefinitionString = ONE_TASK;

    // Act
    const wiring = extractOrchestrator(t, where);

    // Assess
    expect(taskStates(wiring.definition)[0]?.resource).toMatch(/function:StepFunctionArn$/);
  });

  it('reads a DefinitionS3Location asset through readAsset', () => {
    // Prepare
    const t = fixture();
    const machine = t.Resources.Machine12345678;
    if (machine === undefined) throw new Error('fixture changed');
    delete machine.Properties.DefinitionString;
    machine.Properties.DefinitionS3Location = { Bucket: 'b', Key: 'abc.json' };
    const text = ONE_TASK;

    // Act
    const wiring = extractOrchestrator(t, {
      ...where,
      readAsset: (key) => (key === 'abc.json' ? text : undefined),
    });

    // Assess
    expect(taskStates(wiring.definition)).toHaveLength(1);
  });

  it('names a placeholder without a substitution', () => {
    // Prepare
    const t = fixture();
    const machine = t.Resources.Machine12345678;
    if (machine === undefined) throw new Error('fixture changed');
    delete (machine.Properties.DefinitionSubstitutions as Record<string, unknown>).Where;

    // Act
    const extract = () => extractOrchestrator(t, where);

    // Assess
    expect(extract).toThrow(/\$\{Where\}/);
  });

  it('names a function without its entry metadata', () => {
    // Prepare
    const t = fixture();
    const fn = t.Resources.StepFunctionABCDEF12;
    if (fn === undefined) throw new Error('fixture changed');
    delete fn.Metadata;

    // Act
    const extract = () => extractOrchestrator(t, where);

    // Assess
    expect(extract).toThrow(/StepFunctionABCDEF12.*pilot-light:entry/);
  });

  it('rejects an environment value that is not a plain string', () => {
    // Prepare
    const t = fixture();
    const fn = t.Resources.StepFunctionABCDEF12;
    if (fn === undefined) throw new Error('fixture changed');
    fn.Properties.Environment = { Variables: { TOPIC: { Ref: 'TopicFEDCBA98' } } };

    // Act
    const extract = () => extractOrchestrator(t, where);

    // Assess
    expect(extract).toThrow(WiringError);
  });

  it('requires exactly one state machine', () => {
    // Act
    const extract = () => extractOrchestrator({ Resources: {} }, where);

    // Assess
    expect(extract).toThrow(/exactly one/);
  });
});

describe('runDrill with the fixture wiring', () => {
  it("runs the task's handler with exactly the template environment, on the virtual clock", async () => {
    // Prepare
    const config = loadConfig('base');
    const wiring = extractOrchestrator(fixture(), where);
    const started = Date.now();

    // Act
    const run = await runDrill({
      config,
      role: 'dr',
      mode: 'planned',
      timings: sampleTimings(loadTimingModel()),
      wiring,
    });

    // Assess
    expect(Date.now() - started).toBeLessThan(1900);
    const [execution] = run.executions;
    expect(execution?.status).toBe('SUCCEEDED');
    const step = execution?.events.find((e) => e.type === 'StateExited' && e.state === 'Step');
    expect(step?.output).toMatchObject({ greeting: 'hello', region: 'us-west-2', home: null });
    // 2 s in the handler + a cold start, in simulated time.
    expect((step?.at ?? 0) - (execution?.startedAt ?? 0)).toBeGreaterThanOrEqual(2);
    expect(run.world.sns.published).toHaveLength(1);
    expect(run.world.sns.published[0]?.message).toBe('done in fixture');
    expect(analyzeDrill(run).steps.map((s) => s.name)).toEqual(['Step', 'Notify']);
  });

  it('fails loudly when a function is wired to another region', async () => {
    // Prepare
    const config = loadConfig('base');
    const t = fixture();
    const fn = t.Resources.StepFunctionABCDEF12;
    if (fn === undefined) throw new Error('fixture changed');
    fn.Properties.Environment = { Variables: { TARGET_REGION: 'us-east-1' } };

    // Act
    const run = runDrill({
      config,
      role: 'dr',
      mode: 'planned',
      timings: sampleTimings(loadTimingModel()),
      wiring: extractOrchestrator(t, where),
    });

    // Assess
    await expect(run).rejects.toThrow(/TARGET_REGION is us-east-1/);
  });
});
