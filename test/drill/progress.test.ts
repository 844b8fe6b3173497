import { ExecutionProgress, fmtTime, returnedStatus } from '../../drill/runner/progress';
import { STEPS } from '../../lambdas/shared/steps';

describe('drill progress lines', () => {
  it.each([
    [0, '00:00.0'],
    [784.3, '13:04.3'],
    [-5, '-00:05.0'],
  ])('formats simulated second %d as %s', (t, text) => {
    // Act
    const formatted = fmtTime(t);

    // Assess
    expect(formatted).toBe(text);
  });

  it("shows the status a step Lambda returned, found by its substitution's result path", () => {
    // Prepare
    const output = { [STEPS.dns.resultPath]: { status: 'READY' } };

    // Act
    const shown = [
      returnedStatus(STEPS.dns.substitution, output),
      returnedStatus(STEPS.dns.substitution, 'not an object'),
      returnedStatus(undefined, output),
    ];

    // Assess
    expect(shown).toEqual([' → READY', '', '']);
  });

  it('writes a line per state entered and left, with its duration and the status it returned', () => {
    // Prepare
    const lines: string[] = [];
    const progress = new ExecutionProgress(
      (l) => lines.push(l),
      3,
      (state) => (state === STEPS.dns.label ? STEPS.dns.substitution : undefined),
    );
    const task = { state: STEPS.dns.label, stateType: 'Task' };

    // Act
    progress.started(0, 'drill-3', { mode: 'planned' });
    progress.state({ ...task, at: 1, type: 'StateEntered' });
    progress.state({ ...task, at: 3.5, type: 'StateExited', output: { dns: { status: 'PENDING' } } });
    progress.state({ at: 3.5, type: 'StateExited', state: 'Done?', stateType: 'Choice' });
    progress.ended(4, 'drill-3', 'FAILED', 'WaitTimeoutError');

    // Assess
    expect(lines).toEqual([
      '00:00.0  #3 execution drill-3 started: {"mode":"planned"}',
      `00:01.0  #3 ▶ ${STEPS.dns.label}`,
      `00:03.5  #3 ✔ ${STEPS.dns.label} (2.5 s) → PENDING`,
      '00:03.5  #3 · Done?',
      '00:04.0  #3 execution drill-3 FAILED: WaitTimeoutError',
    ]);
  });
});
