import { outcomeOf } from '../../drill/analysis/execution-output';
import { parseDrillArgs } from '../../drill/cli/args';
import { DRILL_APPROVER, type DrillApproval } from '../../drill/runner/approval';
import { type DrillOutcome, drillOnce, type PreparedDrill, prepareDrill } from '../../drill/sweep/sweep';
import type { ProjectConfig } from '../../infra/config/schema';
import { WORKFLOW_STATES } from '../../lambdas/shared/steps';

/** Synthesis runs once; each drill takes a few seconds of wall time. */
const SYNTH_TIMEOUT_MS = 180_000;
const DRILL_TIMEOUT_MS = 120_000;

const MUTATING = new Set([
  'CreateDBInstance',
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'UpdateAutoScalingGroup',
  'UpdateService',
]);

let prepared: PreparedDrill;
beforeAll(async () => {
  prepared = await prepareDrill({ configName: 'base', role: 'dr', mode: 'planned', faults: [] });
}, SYNTH_TIMEOUT_MS);

/** One drill of the prepared plan answered as `approval` says, with the config's gate overridden. */
function drill(
  approval: DrillApproval,
  gate?: Partial<ProjectConfig['failover']['approval']>,
): Promise<DrillOutcome> {
  const config =
    gate === undefined
      ? prepared.config
      : {
          ...prepared.config,
          failover: {
            ...prepared.config.failover,
            approval: { ...prepared.config.failover.approval, ...gate },
          },
        };
  return drillOnce({ ...prepared, config, plan: { ...prepared.plan, approval } });
}

function changesOf(o: DrillOutcome): string[] {
  return o.run.world.calls
    .filter((c) => MUTATING.has(c.command) && c.error === undefined)
    .map((c) => c.command);
}

function noticeStates(o: DrillOutcome): string[] {
  return o.run.world.sns.published.map((p) => p.state ?? '');
}

describe('drill: the approval gate', () => {
  it(
    '--approve-after 300: promotes once approved, and the RTO includes the wait',
    async () => {
      // Prepare: the same drill without the gate.
      const ungated = await drillOnce(prepared);

      // Act
      const o = await drill({ decision: 'approve', afterSeconds: 300 });

      // Assess
      expect(o.run.executions.map(outcomeOf)).toEqual(['PROMOTED']);
      expect(o.run.executions[0]?.output).toMatchObject({
        approval: { outcome: 'APPROVED', approver: DRILL_APPROVER },
      });
      const rto = o.report.incident.rtoSeconds ?? Number.NaN;
      const base = ungated.report.incident.rtoSeconds ?? Number.NaN;
      const approved = o.run.executions[0]?.events.find(
        (e) => e.type === 'StateExited' && e.state === WORKFLOW_STATES.approval,
      );
      expect(approved?.at).toBeGreaterThanOrEqual(300);
      // Nothing started before the approval, so the wait adds to the RTO; the traffic claim's
      // minute boundary can shift the end by up to a minute either way.
      expect(Math.abs(rto - base - 300)).toBeLessThan(60);
      expect(o.report.invariants.filter((i) => !i.held)).toEqual([]);
      expect(noticeStates(o)[0]).toBe(WORKFLOW_STATES.approval);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    '--deny: changes nothing in AWS, notified as DENIED; no invariant breaks',
    async () => {
      // Act
      const o = await drill({ decision: 'deny', afterSeconds: 60 });

      // Assess
      expect(o.run.executions.map(outcomeOf)).toEqual(['DENIED']);
      expect(changesOf(o)).toEqual([]);
      const notice = o.run.world.sns.published.find((p) => p.state === WORKFLOW_STATES.notifyNoAction);
      expect(notice?.subject).toContain('(DENIED)');
      expect(notice?.message).toContain(`denied by ${DRILL_APPROVER}`);
      expect(o.report.invariants.filter((i) => !i.held)).toEqual([]);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'no answer, onTimeout stop: changes nothing after the timeout, notified',
    async () => {
      // Act
      const o = await drill({ decision: 'none' }, { timeoutMinutes: 10, onTimeout: 'stop' });

      // Assess
      expect(o.run.executions.map(outcomeOf)).toEqual(['APPROVAL_TIMED_OUT']);
      expect(changesOf(o)).toEqual([]);
      expect(o.run.endedAt).toBeGreaterThanOrEqual(600);
      expect(noticeStates(o)).toEqual([WORKFLOW_STATES.approval, WORKFLOW_STATES.notifyNoAction]);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'no answer, onTimeout proceed: promotes after the timeout',
    async () => {
      // Act
      const o = await drill({ decision: 'none' }, { timeoutMinutes: 5, onTimeout: 'proceed' });

      // Assess
      expect(o.run.executions.map(outcomeOf)).toEqual(['PROMOTED']);
      expect(o.run.executions[0]?.output).toMatchObject({ approval: { outcome: 'TIMED_OUT_PROCEEDED' } });
      expect(o.report.incident.rtoSeconds).toBeGreaterThan(300);
    },
    DRILL_TIMEOUT_MS,
  );
});

describe('drill flags: --approve-after and --deny', () => {
  it('parses them into the approval the drill gives its approver', () => {
    // Act / Assess
    expect(parseDrillArgs(['--approve-after', '90'], ['base']).approval).toEqual({
      decision: 'approve',
      afterSeconds: 90,
    });
    expect(parseDrillArgs(['--deny'], ['base']).approval).toMatchObject({ decision: 'deny' });
    expect(parseDrillArgs([], ['base']).approval).toBeUndefined();
  });

  it('refuses both at once, and a negative or non-numeric wait', () => {
    // Act / Assess
    expect(() => parseDrillArgs(['--approve-after', '5', '--deny'], ['base'])).toThrow(/give one/);
    expect(() => parseDrillArgs(['--approve-after', 'soon'], ['base'])).toThrow(
      "--approve-after: expected seconds (0 or more), got 'soon'",
    );
    expect(() => parseDrillArgs(['--approve-after=-1'], ['base'])).toThrow(/expected seconds/);
  });
});
