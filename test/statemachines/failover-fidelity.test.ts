import { join } from 'node:path';
import { failedStepOfNotice } from '../../drill/analysis/failure-notice';
import type { ExecutionRecord } from '../../drill/runner/execution';
import { Orchestrator } from '../../drill/runner/orchestrator';
import { REPO_ROOT } from '../../drill/runner/run';
import { DRILL_EPOCH_MS, Simulation } from '../../drill/runner/simulation';
import { createWorld } from '../../drill/sim/create-world';
import type { SimPublished } from '../../drill/sim/sns';
import type { WiredFunction } from '../../drill/synth/function';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { STEPS, WORKFLOW_STATES } from '../../lambdas/shared/steps';

/**
 * What the failover's notices, output and run record hold, executed on the drill's simulator, now
 * that the interpreter has Step Functions' semantics (vendor/aws-local-stepfunctions): the start
 * notice, sent from inside the Parallel, is dated from the execution's start; a raw fallback notice
 * is the JSON AWS publishes; a Lambda error's cause (quotes, backslashes, newlines) reaches the
 * execution's output, the notices and the run record intact.
 */

const config = loadConfig('base');
const names = projectNames(config);
const { dr } = names.regions;

/** What Lambda reports when a bundle cannot load a module: quotes and newlines in the message. */
const IMPORT_ERROR = {
  name: 'Runtime.ImportModuleError',
  message: "Error: Cannot find module '@aws-sdk/client-ssm'\nRequire stack:\n- /var/task/index.js",
} as const;
const UNLOADABLE_ENTRY = join(REPO_ROOT, 'test/fixtures/drill/unloadable/index.ts');

let wiring: OrchestratorWiring;
beforeAll(async () => {
  ({ wiring } = await synthesizeOrchestrator(config, 'dr'));
}, 120_000);

let sim: Simulation;
/** Lambda.ServiceException faults by Task state. */
let lambdaFaults: Map<string, number>;

beforeEach(() => {
  const timings = sampleTimings(loadTimingModel());
  sim = Simulation.start(createWorld({ config, names, targetRole: 'dr', timings, epochMs: DRILL_EPOCH_MS }));
  lambdaFaults = new Map();
});
afterEach(() => sim.stop());

/** DR's orchestrator as synthesized, except that `substitution`'s function fails to load with {@link IMPORT_ERROR}. */
function withUnloadable(substitution: string): OrchestratorWiring {
  const found = [...wiring.functions].find(([, fn]) => fn.key === substitution);
  if (found === undefined) throw new Error(`the template has no function bound to ${substitution}`);
  const [arn, fn] = found;
  const broken: WiredFunction = {
    ...fn,
    entry: UNLOADABLE_ENTRY,
    environment: {
      ...fn.environment,
      FIXTURE_ERROR_NAME: IMPORT_ERROR.name,
      FIXTURE_ERROR_MESSAGE: IMPORT_ERROR.message,
    },
  };
  return { ...wiring, functions: new Map([...wiring.functions, [arn, broken]]) };
}

/** Run one execution of DR's orchestrator deployed as `deployed` to its end. */
function execute(deployed: OrchestratorWiring = wiring): Promise<ExecutionRecord> {
  const orchestrator = new Orchestrator(sim.world, deployed, {
    repoRoot: REPO_ROOT,
    serviceExceptions: lambdaFaults,
  });
  return sim.drive(orchestrator.execute({ mode: 'planned', reason: 'game day' }));
}

function published(e: ExecutionRecord): SimPublished[] {
  return sim.world.sns.published.filter((p) => p.execution === e.executionArn);
}

/** Lambda's error payload (the `Cause` Step Functions records) as the drill's Lambda emulation writes it. */
function errorPayload(cause: unknown): { readonly errorType?: unknown; readonly errorMessage?: unknown } {
  expect(typeof cause).toBe('string');
  return JSON.parse(cause as string) as { errorType?: unknown; errorMessage?: unknown };
}

describe('the failover on Step Functions’ semantics', () => {
  it('dates the start notice, sent from inside the Parallel, from the execution’s start, as every other notice', async () => {
    // Act
    const result = await execute();

    // Assess: preflight ran before the Parallel, so a branch's own start would be later.
    expect(result.status).toBe('SUCCEEDED');
    const started = new Date(sim.world.clock.epochMs + result.startedAt * 1000).toISOString();
    const notices = published(result);
    expect(notices.map((p) => p.state)).toEqual([
      WORKFLOW_STATES.notifyStart,
      WORKFLOW_STATES.notifyTrafficMoved,
      WORKFLOW_STATES.notifySuccess,
    ]);
    expect(notices.map((p) => /\(started ([^)]+)\)/.exec(p.message)?.[1])).toEqual([
      started,
      started,
      started,
    ]);
    const parallelEntered = result.events.find(
      (ev) => ev.type === 'StateEntered' && ev.state === WORKFLOW_STATES.parallel,
    );
    expect(parallelEntered?.at).toBeGreaterThan(result.startedAt);
  });

  it('keeps a fencing cause intact in the execution’s output and the success notice', async () => {
    // Prepare: the fence Lambda cannot load; fencing is best effort, so the run still promotes.
    const deployed = withUnloadable(STEPS.fence.substitution);

    // Act
    const result = await execute(deployed);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const prefix = `fencing not done: ${IMPORT_ERROR.name}: `;
    const detail = (result.output as { steps?: { fence?: { detail?: unknown } } }).steps?.fence?.detail;
    expect(typeof detail).toBe('string');
    expect((detail as string).startsWith(prefix)).toBe(true);
    expect(errorPayload((detail as string).slice(prefix.length))).toMatchObject({
      errorType: IMPORT_ERROR.name,
      errorMessage: IMPORT_ERROR.message,
    });
    const success = published(result).find((p) => p.state === WORKFLOW_STATES.notifySuccess);
    expect(success?.message).toContain(detail as string);
  });

  it('publishes the raw fallback notice as the failure state in JSON, cause intact, and names the failed step', async () => {
    // Prepare: the database step's Lambda cannot load, and every attempt of the notify Lambda fails
    // (the first and its 6 retries), so the failure goes out raw.
    const deployed = withUnloadable(STEPS.database.substitution);
    lambdaFaults.set(WORKFLOW_STATES.notifyFailure, 7);

    // Act
    const result = await execute(deployed);

    // Assess
    expect(result.status).toBe('FAILED');
    const raw = published(result).find((p) => p.state === `${WORKFLOW_STATES.notifyFailure}Raw`);
    if (raw === undefined) throw new Error('no raw failure notice was published');
    const state = JSON.parse(raw.message) as Record<string, unknown>;
    expect(state).toMatchObject({
      outcome: 'FAILED',
      failedStep: STEPS.database.label,
      error: IMPORT_ERROR.name,
    });
    expect(errorPayload(state.cause)).toMatchObject({ errorMessage: IMPORT_ERROR.message });
    expect(failedStepOfNotice(raw)).toBe(STEPS.database.label);
    // The execution fails with that cause, and the run record written before the notice keeps it.
    expect(result).toMatchObject({ error: IMPORT_ERROR.name, cause: state.cause });
    const objects = sim.world.runRecords.current(dr.runRecordBucketName);
    const key = [...objects.keys()].find((k) => k.endsWith(`/${result.name}.json`));
    const body = key === undefined ? undefined : objects.get(key)?.body;
    expect(JSON.parse(body ?? 'null')).toMatchObject({
      outcome: { result: 'FAILED', failedStep: STEPS.database.label, cause: state.cause },
    });
  });
});
