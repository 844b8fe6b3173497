import { composeNotice, whereabouts } from '../../lambdas/notify/notice';
import { type NotifyEvent, type RunFacts, runFacts } from '../../lambdas/notify/run-record';
import type { NoticeSettings } from '../../lambdas/notify/settings';
import type { FenceReport } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { ACCOUNT, makePrevious, REGION_SETTINGS, SOURCE_REGION, TARGET_REGION } from './helpers';
import { WRITER_HERE, WRITER_THERE, WRITER_UNKNOWN, writers } from './notify-fixtures';

const STATE_MACHINE_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:stateMachine:proj-dr-failover`;
const SETTINGS: NoticeSettings = {
  ...REGION_SETTINGS,
  project: 'proj',
  configName: 'base',
  stateMachineArn: STATE_MACHINE_ARN,
};
const HERE = `${TARGET_REGION} (dr)`;

function makeEvent(overrides: Partial<NotifyEvent> = {}): NotifyEvent {
  return {
    kind: 'FAILED',
    state: {},
    executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-1`,
    startTime: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function makeFacts(overrides: Partial<RunFacts> = {}): RunFacts {
  return { steps: {}, ...overrides };
}

/** The body's lines after "Steps:", up to the blank line before "Execution:". */
function stepLines(message: string): string[] {
  const lines = message.split('\n');
  const start = lines.indexOf('Steps:') + 1;
  return lines.slice(start, lines.indexOf('', start));
}

describe('composeNotice', () => {
  describe('headline, for facts the run did not record', () => {
    it.each<[NotifyEvent['kind'], RunFacts, string]>([
      ['START', makeFacts({ requestedMode: 'auto' }), `failover to ${HERE} started (auto)`],
      ['START', makeFacts(), `failover to ${HERE} started (unknown mode)`],
      ['TRAFFIC_MOVED', makeFacts({ mode: 'unplanned' }), `traffic moved to ${HERE} (unplanned)`],
      ['PROMOTED', makeFacts(), `${HERE} PROMOTED (unknown mode)`],
      ['FAILED', makeFacts(), `failover to ${HERE} FAILED at an unknown step`],
      ['NO_ACTION', makeFacts(), `no failover to ${HERE} (no action)`],
    ])('titles %s with %j as "%s"', (kind, facts, headline) => {
      // Act
      const notice = composeNotice(makeEvent({ kind }), SETTINGS, facts, WRITER_HERE);
      // Assess
      expect(notice.subject).toBe(`pilot-light proj: ${headline}`);
    });
  });

  it('tells that traffic moved and that fencing the old region follows, before the fence step ran', () => {
    // Act
    const notice = composeNotice(makeEvent({ kind: 'TRAFFIC_MOVED' }), SETTINGS, makeFacts(), WRITER_HERE);
    // Assess
    expect(notice.message).toContain('every hostname of the application answers with this region');
    expect(notice.message).toContain(`the old region ${SOURCE_REGION} is fenced (best effort, bounded)`);
    expect(notice.attributes.outcome).toBe('TRAFFIC_MOVED');
    expect(notice.attributes.fence).toBeUndefined();
  });

  it('says a step failed with an unknown error when the failure record is empty, and adds no cause line', () => {
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, makeFacts(), WRITER_THERE);
    // Assess
    const lines = notice.message.split('\n');
    const at = lines.indexOf('What happened: a step failed with an unknown error.');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('Requested mode: unknown; used: not decided.');
    expect(notice.message).toContain('--mode auto --follow');
    expect(notice.attributes).not.toHaveProperty('failedStep');
  });

  it('says which databases AWS is still moving here when a planned run failed on another one', () => {
    // Prepare: orders' switchover was refused after app's went out (lambdas/promote-database).
    const moving = [
      { name: 'app', writer: { known: true as const, region: SOURCE_REGION, movingTo: TARGET_REGION } },
      { name: 'orders', writer: { known: true as const, region: SOURCE_REGION } },
    ];
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, makeFacts({ requestedMode: 'planned' }), moving);
    // Assess
    expect(notice.message).toContain(
      `AWS is moving database(s) app to ${TARGET_REGION} while the run failed`,
    );
    expect(notice.message).toContain(`app: ${SOURCE_REGION}, moving to ${HERE}`);
    expect(notice.message).toContain('--mode unplanned --follow');
    expect(notice.message).not.toContain('Nothing has moved');
  });

  it('falls back to generic text when preflight left no message', () => {
    // Act
    const none = composeNotice(makeEvent({ kind: 'NO_ACTION' }), SETTINGS, makeFacts(), WRITER_HERE);
    const start = composeNotice(makeEvent({ kind: 'START' }), SETTINGS, makeFacts(), WRITER_HERE);
    // Assess
    expect(none.message).toContain('What happened: preflight decided not to act\n');
    expect(none.message).not.toContain('Steps:');
    expect(start.message).toContain('What happens next: the promotion starts now\n');
  });

  it('offers an unplanned rerun for a split whose mode was not recorded', () => {
    // Prepare: promoted here (live read), traffic not moved, no mode anywhere.
    const facts = makeFacts({ failedStep: STEPS.dns.label });
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, facts, WRITER_HERE);
    // Assess
    expect(notice.message).toContain(`>>> The database is promoted in ${TARGET_REGION}`);
    expect(notice.message).toContain(
      'npm run failover -- --project base --region dr --mode unplanned --follow',
    );
    expect(notice.message).toContain(`"mode":"unplanned"`);
  });

  it('shows each step as the run left it: already done, timed, failed with its last detail, pending, missing', () => {
    // Prepare
    const facts = makeFacts({
      failedStep: STEPS.promotion.label,
      steps: {
        database: makePrevious('database', { status: 'READY', alreadyDone: true, detail: '2 instances' }),
        service: makePrevious('service', {
          status: 'READY',
          startedAt: 'not a time',
          finishedAt: '2026-01-01T00:05:00.000Z',
          detail: '3 tasks',
        }),
        promotion: makePrevious('promotion', { detail: 'switchover in progress' }),
      },
    });
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, facts, WRITER_UNKNOWN);
    // Assess
    expect(stepLines(notice.message)).toEqual([
      `  ${STEPS.database.label.padEnd(16)}already done: 2 instances`,
      `  ${STEPS.service.label.padEnd(16)}done: 3 tasks`,
      `  ${STEPS.replication.label} no result recorded`,
      `  ${STEPS.promotion.label.padEnd(16)}FAILED (last: switchover in progress)`,
      `  ${STEPS.dns.label.padEnd(16)}no result recorded`,
      `  ${STEPS.fence.label.padEnd(16)}no result recorded`,
    ]);
  });

  describe('the old region (fence report)', () => {
    const promoted = (fence: FenceReport) =>
      makeFacts({
        mode: 'unplanned',
        steps: {
          promotion: makePrevious('promotion', { status: 'READY' }),
          dns: makePrevious('dns', { status: 'READY' }),
          fence: makePrevious('fence', { status: 'READY', fence }),
        },
      });

    it('shows FENCED and what was done, with the fence attribute, and no commands', () => {
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'PROMOTED' }),
        SETTINGS,
        promoted({ state: 'FENCED', done: ['main ECS service proj-main-app scaled to 0'], commands: [] }),
        WRITER_HERE,
      );
      // Assess
      expect(notice.message).toContain(
        `Old region ${SOURCE_REGION}: FENCED (its service is at 0 and its traffic claim released)\n` +
          '  Done:\n    - main ECS service proj-main-app scaled to 0\n',
      );
      expect(notice.message).not.toContain('To finish');
      expect(notice.attributes).toMatchObject({
        outcome: 'PROMOTED',
        trafficMovedHere: 'true',
        fence: 'FENCED',
      });
    });

    it('lists the commands to finish when PENDING', () => {
      // Prepare
      const command = 'aws ecs update-service --region us-east-1 --cluster c --service s --desired-count 0';
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'PROMOTED' }),
        SETTINGS,
        promoted({ state: 'PENDING', done: [], commands: [command] }),
        WRITER_HERE,
      );
      // Assess
      expect(notice.message).toContain(
        `Old region ${SOURCE_REGION}: PENDING (it did not answer in time; finish by hand)`,
      );
      expect(notice.message).toContain(`  To finish (in order, each safe to repeat):\n    ${command}\n`);
      expect(notice.attributes.fence).toBe('PENDING');
    });

    it('has no fence section nor attribute when the run did not reach the fence step', () => {
      // Act
      const notice = composeNotice(makeEvent(), SETTINGS, makeFacts(), WRITER_HERE);
      // Assess
      expect(notice.message).not.toContain('Old region');
      expect(notice.attributes).not.toHaveProperty('fence');
    });
  });

  it('shows the status of a step that had not finished when the run stopped elsewhere', () => {
    // Prepare
    const facts = makeFacts({
      failedStep: STEPS.service.label,
      steps: { database: makePrevious('database', { status: 'PENDING', detail: '1 of 2 available' }) },
    });
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, facts, WRITER_HERE);
    // Assess
    expect(stepLines(notice.message)).toContain(
      `  ${STEPS.database.label.padEnd(16)}PENDING: 1 of 2 available`,
    );
    expect(stepLines(notice.message)).toContain(`  ${STEPS.service.label.padEnd(16)}FAILED`);
  });

  it('goes out for an execution state that is not an object at all', () => {
    // Prepare
    const event = makeEvent({ state: 'States.Runtime' });
    // Act
    const notice = composeNotice(event, SETTINGS, runFacts(event), WRITER_UNKNOWN);
    // Assess
    expect(notice.subject).toBe(`pilot-light proj: failover to ${HERE} FAILED at an unknown step`);
    expect(notice.attributes).toEqual({
      outcome: 'FAILED',
      targetRegion: TARGET_REGION,
      databasePromotedHere: 'false',
      trafficMovedHere: 'false',
    });
  });
});

describe('whereabouts', () => {
  it('places the writer by what the run recorded when the live read failed: not promoted, so still the source', () => {
    // Act
    const where = whereabouts(SETTINGS, makeFacts(), WRITER_UNKNOWN);
    // Assess
    const writer = `${SOURCE_REGION} according to this run (live read failed: TimeoutError: DescribeGlobalClusters)`;
    expect(where).toEqual({
      writer,
      writers: [{ name: 'app', writer, here: false, comingHere: false }],
      traffic: `${SOURCE_REGION} (not moved by this run)`,
      promotedHere: false,
      trafficHere: false,
      split: false,
    });
  });

  it('places the writer here by the recorded promotion when the live read failed', () => {
    // Prepare
    const facts = makeFacts({ steps: { promotion: makePrevious('promotion', { status: 'READY' }) } });
    // Act
    const where = whereabouts(SETTINGS, facts, WRITER_UNKNOWN);
    // Assess
    expect(where.writer).toBe(
      `${HERE} according to this run (live read failed: TimeoutError: DescribeGlobalClusters)`,
    );
    expect(where.split).toBe(true);
  });

  it('trusts the live read over the run record', () => {
    // Prepare: the run recorded a promotion, but the writer is live in the source region.
    const facts = makeFacts({ steps: { promotion: makePrevious('promotion', { status: 'READY' }) } });
    // Act
    const where = whereabouts(SETTINGS, facts, WRITER_THERE);
    // Assess
    expect(where).toMatchObject({ writer: SOURCE_REGION, promotedHere: false, split: false });
  });
});

describe('composeNotice (resources)', () => {
  it('shows each resource of a step on its own line, under the step', () => {
    // Prepare
    const facts = makeFacts({
      steps: {
        service: makePrevious('service', {
          status: 'PENDING',
          detail: 'waiting for web',
          resources: [
            { kind: 'service', name: 'api', done: true, detail: 'api: 3/3 task(s) running (target 3)' },
            { kind: 'service', name: 'web', done: false, detail: 'web: 1/2 task(s) running (target 2)' },
            { kind: 'service', name: 'worker', done: true, detail: 'service worker: 1/1 task(s) running' },
          ],
        }),
      },
    });
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, facts, WRITER_UNKNOWN);
    // Assess
    const lines = stepLines(notice.message);
    const at = lines.indexOf(`  ${STEPS.service.label.padEnd(16)}PENDING: waiting for web`);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '      - service api (done): 3/3 task(s) running (target 3)',
      '      - service web (not done): 1/2 task(s) running (target 2)',
      '      - service worker (done): 1/1 task(s) running',
    ]);
  });

  it('skips resource entries that are not well formed', () => {
    // Prepare
    const facts = makeFacts({
      steps: {
        database: makePrevious('database', {
          status: 'READY',
          detail: 'ok',
          resources: [
            { kind: 'database', name: 'app', done: true, detail: 'app: 2/2 instance(s) available' },
            { kind: 'database', name: 'orders' },
            'nonsense',
          ] as never,
        }),
      },
    });
    // Act
    const notice = composeNotice(makeEvent(), SETTINGS, facts, WRITER_UNKNOWN);
    // Assess
    expect(notice.message).toContain('      - database app (done): 2/2 instance(s) available\n');
    expect(notice.message).not.toContain('database orders');
  });

  it('counts the services fenced in the old region', () => {
    // Prepare
    const facts = makeFacts({
      steps: {
        dns: makePrevious('dns', { status: 'READY' }),
        fence: makePrevious('fence', {
          status: 'READY',
          fence: { state: 'FENCED', done: [], commands: [] },
          resources: ['api', 'web', 'worker'].map((name) => ({
            kind: 'service' as const,
            name,
            done: true,
            detail: `${name}: proj-main-${name} at 0`,
          })),
        }),
      },
    });
    // Act
    const notice = composeNotice(makeEvent({ kind: 'PROMOTED' }), SETTINGS, facts, WRITER_HERE);
    // Assess
    expect(notice.message).toContain(
      `Old region ${SOURCE_REGION}: FENCED (its 3 services are at 0 and its traffic claim released)`,
    );
    expect(notice.message).toContain('      - service web (done): proj-main-web at 0');
  });

  it('places each database by its own promotion record when the live reads failed', () => {
    // Prepare
    const facts = makeFacts({
      steps: {
        promotion: makePrevious('promotion', {
          resources: [
            { kind: 'database', name: 'app', done: true, detail: 'app: writer', modeUsed: 'unplanned' },
            { kind: 'database', name: 'orders', done: false, detail: 'orders: failing over' },
          ],
        }),
      },
    });
    const unknown = { known: false as const, why: 'TimeoutError' };
    // Act
    const where = whereabouts(SETTINGS, facts, [...writers(unknown, 'app'), ...writers(unknown, 'orders')]);
    // Assess
    expect(where.writers.map((w) => [w.name, w.here])).toEqual([
      ['app', true],
      ['orders', false],
    ]);
    expect(where).toMatchObject({ promotedHere: false, split: true });
  });

  describe('capacity shortfalls and serving shares', () => {
    const service = makePrevious('service', {
      status: 'READY',
      partial: true,
      finishedAt: '2026-01-01T00:05:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      detail: 'serving below target: api: serving at 2/3 healthy (servingShare 0.6), still scaling to 3',
      capacity: {
        refusals: [],
        otherFailures: [],
        substitutes: [],
        lines: ['t3.small: no capacity in us-west-2a ×3 (InsufficientInstanceCapacity)'],
      },
    });

    it('says some services keep scaling when traffic moved at their share', () => {
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'TRAFFIC_MOVED' }),
        SETTINGS,
        makeFacts({ steps: { service } }),
        WRITER_HERE,
      );
      // Assess
      expect(notice.message).toContain('Some services serve below their target count (servingShare)');
      expect(stepLines(notice.message)).toContain(
        '      - capacity: t3.small: no capacity in us-west-2a ×3 (InsufficientInstanceCapacity)',
      );
    });

    it('lists who is still scaling under the service step before the run scaled on', () => {
      // Prepare
      const scaling = { ...service, fullTarget: { state: 'SCALING' as const, lines: ['api: 2/3 so far'] } };
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'TRAFFIC_MOVED' }),
        SETTINGS,
        makeFacts({ steps: { service: scaling } }),
        WRITER_HERE,
      );
      // Assess
      expect(stepLines(notice.message)).toContain('      - still scaling: api: 2/3 so far');
    });

    it('says how far each service got after traffic moved in the success notice', () => {
      // Prepare
      const after = { ...service, fullTarget: { state: 'REACHED' as const, lines: ['api: 3/3 at +4m10s'] } };
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'PROMOTED' }),
        SETTINGS,
        makeFacts({ steps: { service: after } }),
        WRITER_HERE,
      );
      // Assess
      expect(notice.message).toContain(
        'Services below their target count when traffic moved: api: 3/3 at +4m10s',
      );
      expect(stepLines(notice.message)).toContain('      - after traffic moved: api: 3/3 at +4m10s');
    });

    it('says nothing of shares when no service was partial', () => {
      // Act
      const notice = composeNotice(
        makeEvent({ kind: 'PROMOTED' }),
        SETTINGS,
        makeFacts({ steps: { service: { ...service, partial: false, capacity: undefined } } }),
        WRITER_HERE,
      );
      // Assess
      expect(notice.message).not.toContain('below their target count');
      expect(notice.message).not.toContain('      - capacity:');
    });
  });
});
