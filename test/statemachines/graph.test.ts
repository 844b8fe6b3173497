import {
  NOTIFIER,
  POLLED_STEP_KEYS,
  READINESS,
  RECORDER,
  STEP_LIST,
  STEPS,
  stepOfState,
  stepStates,
  WORKFLOW_STATES,
} from '../../lambdas/shared/steps';
import type { Definition, State, StateGraph } from '../../statemachines/build/asl';
import { successors } from '../../statemachines/build/asl';
import { buildFailoverDefinition, INSTANCES_AND_DRAIN } from '../../statemachines/build/failover';
import { failedStateName } from '../../statemachines/build/failure';

/**
 * Walks the generated definition as a graph. A Fail state inside a Parallel branch ends only the
 * branch: the Parallel's Catch continues the walk, so "reachable without the notification" is
 * judged on paths that end the execution.
 */

interface Walk {
  /** Fail states that end the execution and are reachable from StartAt without NotifyFailure. */
  readonly unnotifiedFails: string[];
  readonly reached: Set<string>;
}

function walk(graph: StateGraph, notify: string, catchOfParent?: readonly string[]): Walk {
  const unnotifiedFails: string[] = [];
  const reached = new Set<string>();
  // (state, notified so far)
  const queue: Array<[string, boolean]> = [[graph.StartAt, false]];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const [name, notified] = queue.shift() as [string, boolean];
    const key = `${name}:${notified}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reached.add(name);
    const state: State | undefined = graph.States[name];
    if (state === undefined) throw new Error(`state ${name} is referenced but not defined`);
    const nowNotified = notified || name === notify;
    if (state.Type === 'Fail') {
      // A branch's Fail hands over to its Parallel's Catch; a top-level Fail ends the execution.
      if (catchOfParent === undefined && !nowNotified) unnotifiedFails.push(name);
      continue;
    }
    if (state.Type === 'Parallel') {
      const catchTargets = (state.Catch ?? []).map((c) => c.Next);
      for (const branch of state.Branches) {
        const inner = walk(branch, notify, catchTargets);
        for (const r of inner.reached) reached.add(r);
        if (inner.unnotifiedFails.length > 0) unnotifiedFails.push(...inner.unnotifiedFails);
      }
    }
    for (const next of successors(state)) queue.push([next, nowNotified]);
  }
  return { unnotifiedFails, reached };
}

function everyState(graph: StateGraph): Array<[string, State, boolean]> {
  return Object.entries(graph.States).flatMap(([name, s]) => [
    [name, s, false] as [string, State, boolean],
    ...(s.Type === 'Parallel'
      ? s.Branches.flatMap((b) => everyState(b).map(([n, st]) => [n, st, true] as [string, State, boolean]))
      : []),
  ]);
}

describe('failover definition graph', () => {
  const definition: Definition = buildFailoverDefinition();

  it('reaches no Fail state that ends the execution without passing the failure notification', () => {
    // Act
    const result = walk(definition, WORKFLOW_STATES.notifyFailure);

    // Assess
    expect(result.unnotifiedFails).toEqual([]);
  });

  it('detects an unnotified Fail state (the walk can fail)', () => {
    // Prepare: a Choice default that goes straight to a Fail state, as `Proceed?` used to.
    const broken: StateGraph = {
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [{ Variable: '$.s', StringEquals: 'OK', Next: 'Done' }],
          Default: 'Oops',
        },
        Oops: { Type: 'Fail', Error: 'UnknownStepStatus' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const result = walk(broken, WORKFLOW_STATES.notifyFailure);

    // Assess
    expect(result.unnotifiedFails).toEqual(['Oops']);
  });

  it('reaches every state it defines', () => {
    // Act
    const result = walk(definition, WORKFLOW_STATES.notifyFailure);

    // Assess
    const defined = everyState(definition).map(([name]) => name);
    expect(defined.filter((n) => !result.reached.has(n))).toEqual([]);
  });

  it('names states uniquely across the whole machine (branches included)', () => {
    // Act
    const names = everyState(definition).map(([name]) => name);

    // Assess
    expect(new Set(names).size).toBe(names.length);
  });

  it('catches every error of every Task inside a branch, so a branch failure always names its step', () => {
    // Act
    const branchTasks = everyState(definition).filter(([, s, inBranch]) => inBranch && s.Type === 'Task');

    // Assess: a step's Task goes to its failure route; a notification's to its raw fallback or on.
    expect(branchTasks.length).toBeGreaterThan(0);
    for (const [name, s] of branchTasks) {
      const catchAll =
        s.Type === 'Task' ? s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL')) : undefined;
      const expected =
        stepOfState(name) !== undefined
          ? /Failed$/
          : s.Type === 'Task' && s.Resource === `\${${READINESS.substitution}}`
            ? /Unavailable$/
            : /Raw$|Notified$/;
      expect({ name, next: catchAll?.Next }).toEqual({ name, next: expect.stringMatching(expected) });
    }
  });

  it('has no Wait state: steps poll inside their Lambda (two transitions per window)', () => {
    // Act
    const waits = everyState(definition).filter(([, s]) => s.Type === 'Wait');

    // Assess
    expect(waits).toEqual([]);
  });

  it('promotes inside the database branch and moves traffic only after the Parallel', () => {
    // Prepare
    const parallel = definition.States[WORKFLOW_STATES.parallel];

    // Act
    const branches = parallel?.Type === 'Parallel' ? parallel.Branches.map((b) => Object.keys(b.States)) : [];

    // Assess
    expect(branches[0]).toEqual(expect.arrayContaining([INSTANCES_AND_DRAIN, STEPS.promotion.label]));
    expect(branches[1]).toEqual(expect.arrayContaining([STEPS.service.label]));
    expect(parallel && 'Next' in parallel ? parallel.Next : undefined).toBe(STEPS.dns.label);
  });

  it('adds the instances and drains S3 side by side, both before the promotion', () => {
    // Prepare
    const parallel = definition.States[WORKFLOW_STATES.parallel];
    const dbBranch = parallel?.Type === 'Parallel' ? parallel.Branches[0] : undefined;

    // Act
    const inner = dbBranch?.States[INSTANCES_AND_DRAIN];

    // Assess
    expect(dbBranch?.StartAt).toBe(INSTANCES_AND_DRAIN);
    expect(inner?.Type).toBe('Parallel');
    const sides = inner?.Type === 'Parallel' ? inner.Branches.map((b) => b.StartAt) : [];
    expect(sides).toEqual([STEPS.database.label, STEPS.replication.label]);
    expect(inner && 'Next' in inner ? inner.Next : undefined).toBe(STEPS.promotion.label);
  });

  it('names each polled step once: act, check and failure states carry the step table label', () => {
    // Prepare
    const names = new Set(everyState(definition).map(([name]) => name));

    // Act / Assess
    for (const key of POLLED_STEP_KEYS) {
      const s = stepStates(STEPS[key]);
      for (const stateName of [s.act, s.check, s.done, s.failed]) {
        expect({ key, stateName, defined: names.has(stateName) }).toEqual({ key, stateName, defined: true });
        expect(stateName.startsWith(STEPS[key].label)).toBe(true);
      }
    }
    expect(names.has(failedStateName(STEPS.preflight.label))).toBe(true);
  });

  it('changes nothing before the approval gate: from Approval? the Parallel is reached only through AwaitApproval', () => {
    // Prepare: walk from the gate's readiness check, stopping at AwaitApproval.
    const start = 'CheckReadinessForApproval';
    const seen = new Set<string>();
    const queue = [start];

    // Act
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (seen.has(name) || name === WORKFLOW_STATES.approval) continue;
      seen.add(name);
      const state = definition.States[name];
      if (state !== undefined) queue.push(...successors(state));
    }

    // Assess
    expect(seen.has(WORKFLOW_STATES.parallel)).toBe(false);
    expect([...seen].filter((n) => stepOfState(n) !== undefined)).toEqual([]);
    const gate = definition.States['Approval?'];
    expect(gate?.Type === 'Choice' ? gate.Default : undefined).toBe(WORKFLOW_STATES.parallel);
    expect(definition.States['Preflight?']).toMatchObject({
      Choices: expect.arrayContaining([expect.objectContaining({ Next: 'Approval?' })]),
    });
  });

  it('binds every Lambda Task to a step table substitution', () => {
    // Prepare
    const substitutions = new Set(
      [...STEP_LIST, NOTIFIER, READINESS, RECORDER].map((s) => `\${${s.substitution}}`),
    );

    // Act
    const lambdaTasks = everyState(definition).filter(
      ([, s]) => s.Type === 'Task' && !s.Resource.startsWith('arn:aws:states:::'),
    );

    // Assess
    for (const [name, s] of lambdaTasks) {
      expect({ name, known: s.Type === 'Task' && substitutions.has(s.Resource) }).toEqual({
        name,
        known: true,
      });
    }
  });
});
