import { loadConfig } from '../../infra/config/load';
import { STEPS } from '../../lambdas/shared/steps';
import { awsError, type FakeAws, installFakeAws } from './fake-aws';
import { type LocalFailover, localFailover } from './harness';

/**
 * Executes the real ASL with the real handlers (environment as synthesized) against a stateful
 * fake of RDS, Auto Scaling, ECS, Route 53 and Step Functions.
 */

const DR_CLUSTER_ARN = 'arn:aws:rds:us-west-2:111111111111:cluster:sonar-proj-1-dr-aurora';
const MAIN_CLUSTER_ARN = 'arn:aws:rds:us-east-1:111111111111:cluster:sonar-proj-1-main-aurora';

describe('failover state machine (executed)', () => {
  let aws: FakeAws;
  let dr: LocalFailover;
  let main: LocalFailover;

  beforeAll(async () => {
    dr = await localFailover('dr');
    main = await localFailover('main');
  });
  beforeEach(() => {
    aws = installFakeAws();
  });
  afterEach(() => aws.restore());

  it('planned: adds DB instances and capacity in parallel, switches over, flips DNS, notifies success', async () => {
    const result = await dr.run({ mode: 'planned', reason: 'game day' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'PROMOTED', mode: 'planned', targetRegion: 'us-west-2' });
    expect(aws.mutations).toEqual(
      expect.arrayContaining([
        'RDS.CreateDBInstance sonar-proj-1-dr-aurora-1',
        'RDS.CreateDBInstance sonar-proj-1-dr-aurora-2',
        'ASG.UpdateAutoScalingGroup sonar-proj-1-dr-ecs-asg min=3',
        'ECS.UpdateService sonar-proj-1-dr-app desired=3',
        `RDS.SwitchoverGlobalCluster ${DR_CLUSTER_ARN}`,
        'Route53.ChangeResourceRecordSets app.example.com -> dr.app.example.com',
      ]),
    );
    expect(aws.mutations).toHaveLength(6);
    // DNS moves only after the database is promoted.
    const order = aws.mutations.map((m) => m.split(' ')[0]);
    expect(order.indexOf('Route53.ChangeResourceRecordSets')).toBeGreaterThan(
      order.indexOf('RDS.SwitchoverGlobalCluster'),
    );
    expect(aws.writerRole).toBe('dr');
    expect(aws.recordTarget).toBe('dr.app.example.com');
    expect(result.published.map((p) => p.state)).toEqual(['NotifySuccess']);
    expect(result.published[0]?.subject).toBe('pilot-light: us-west-2 promoted (planned)');
  });

  it('unplanned: fails over with AllowDataLoss and never calls switchover', async () => {
    const result = await dr.run({ mode: 'unplanned', reason: 'us-east-1 outage' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'PROMOTED', mode: 'unplanned' });
    expect(aws.mutations).toContain(`RDS.FailoverGlobalCluster ${DR_CLUSTER_ARN} AllowDataLoss=true`);
    expect(aws.mutations.some((m) => m.startsWith('RDS.SwitchoverGlobalCluster'))).toBe(false);
    expect(aws.writerRole).toBe('dr');
  });

  it('auto: chooses unplanned when the source region RDS API does not answer', async () => {
    aws.unreachableRegion = 'us-east-1';

    const result = await dr.run({ mode: 'auto', reason: 'alarm' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ mode: 'unplanned', requestedMode: 'auto' });
    expect(aws.mutations).toContain(`RDS.FailoverGlobalCluster ${DR_CLUSTER_ARN} AllowDataLoss=true`);
  });

  it('auto: falls back to unplanned when the switchover is refused', async () => {
    aws.refuseSwitchover = 'InvalidGlobalClusterStateFault';

    const result = await dr.run({ mode: 'auto', reason: 'alarm' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ mode: 'unplanned', requestedMode: 'auto' });
    expect(aws.mutations).toContain(`RDS.FailoverGlobalCluster ${DR_CLUSTER_ARN} AllowDataLoss=true`);
    expect(aws.writerRole).toBe('dr');
  });

  it('planned: a refused switchover fails the run, notified, and DNS is left alone', async () => {
    aws.refuseSwitchover = 'InvalidGlobalClusterStateFault';

    const result = await dr.run({ mode: 'planned', reason: 'game day' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('SwitchoverRefusedError');
    expect(aws.recordTarget).toBe('main.app.example.com');
    expect(aws.mutations.some((m) => m.startsWith('RDS.FailoverGlobalCluster'))).toBe(false);
    const failure = result.published.find((p) => p.state === 'NotifyFailure');
    expect(failure?.message).toMatchObject({ outcome: 'FAILED', failedStep: STEPS.promotion.label });
  });

  it('resumes after a partial run: creates nothing twice and finishes the remaining steps', async () => {
    aws.refuseSwitchover = 'InvalidGlobalClusterStateFault';
    const first = await dr.run({ mode: 'planned', reason: 'game day' });
    expect(first.status).toBe('FAILED');
    const createdFirst = aws.mutations.filter((m) => m.startsWith('RDS.CreateDBInstance'));
    aws.refuseSwitchover = undefined;
    aws.mutations.length = 0;

    const second = await dr.run({ mode: 'planned', reason: 'game day, retry' });

    expect(second.status).toBe('SUCCEEDED');
    expect(createdFirst).toHaveLength(2);
    expect(aws.mutations).toEqual([
      `RDS.SwitchoverGlobalCluster ${DR_CLUSTER_ARN}`,
      'Route53.ChangeResourceRecordSets app.example.com -> dr.app.example.com',
    ]);
    expect(second.output).toMatchObject({
      steps: {
        database: { alreadyDone: true },
        service: { alreadyDone: true },
        promotion: { alreadyDone: false },
      },
    });
  });

  it('single flight: ends without acting while an earlier execution runs', async () => {
    aws.executions.push({
      executionArn: `${dr.stateMachineArn.replace(':stateMachine:', ':execution:')}:earlier`,
      stateMachineArn: dr.stateMachineArn,
      name: 'earlier',
      status: 'RUNNING',
      startDate: new Date(Date.now() - 60_000),
    });

    const result = await dr.run({ mode: 'auto', reason: 'alarm again' });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'IN_FLIGHT' });
    expect(String(result.output?.message)).toContain('earlier');
    expect(aws.mutations).toEqual([]);
    expect(result.published.map((p) => p.state)).toEqual(['NotifyNoAction']);
  });

  it('cool-down: ends without acting shortly after a promotion', async () => {
    aws.executions.push({
      executionArn: `${dr.stateMachineArn.replace(':stateMachine:', ':execution:')}:done`,
      stateMachineArn: dr.stateMachineArn,
      name: 'done',
      status: 'SUCCEEDED',
      startDate: new Date(Date.now() - 20 * 60_000),
      stopDate: new Date(Date.now() - 5 * 60_000),
      output: JSON.stringify({ outcome: 'PROMOTED' }),
    });

    const result = await dr.run({ mode: 'auto', reason: 'flapping alarm' });

    expect(result.output).toMatchObject({ outcome: 'COOL_DOWN' });
    expect(aws.mutations).toEqual([]);
  });

  it('dry run: reports the plan after preflight and changes nothing', async () => {
    const result = await dr.run({ mode: 'planned', reason: 'rehearsal', dryRun: true });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      outcome: 'DRY_RUN',
      preflight: { alreadyDone: { database: false, service: false, promotion: false, dns: false } },
    });
    expect(aws.mutations).toEqual([]);
    expect(result.states).not.toContain(STEPS.database.label);
  });

  it('rejects bad input before touching AWS, with a failure notification naming the field', async () => {
    const result = await dr.run({ mode: 'sideways', reason: 'typo' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidInputError');
    expect(result.cause).toContain('mode');
    expect(aws.mutations).toEqual([]);
    expect(result.published[0]?.message).toMatchObject({
      failedStep: STEPS.preflight.label,
      error: 'InvalidInputError',
    });
  });

  it('a service that never stabilises ends in a bounded wait and a failure notification', async () => {
    aws.serviceReads = Number.POSITIVE_INFINITY;

    const result = await dr.run({ mode: 'planned', reason: 'game day' });

    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('WaitTimeoutError');
    const checks = result.states.filter((s) => s === STEPS.service.check).length;
    expect(checks).toBe(loadConfig('base').failover.service.maxAttempts);
    expect(result.published.find((p) => p.state === 'NotifyFailure')?.message).toMatchObject({
      failedStep: STEPS.service.label,
      error: 'WaitTimeoutError',
    });
    // Traffic stays where it was: DNS is never flipped to a region that is not ready.
    expect(aws.recordTarget).toBe('main.app.example.com');
    expect(aws.writerRole).toBe('main');
  });

  it('retries transient errors (throttling, Lambda service exceptions) and succeeds', async () => {
    aws.failNext.set('RDS.CreateDBInstance', { count: 2, error: () => awsError('Throttling') });
    aws.failNext.set('Route53.ChangeResourceRecordSets', {
      count: 3,
      error: () => awsError('PriorRequestNotComplete'),
    });
    let lambdaFaults = 1;

    const result = await dr.run(
      { mode: 'planned', reason: 'game day' },
      {
        wrap: {
          PromoteDatabase: (real) => async (event) => {
            if (lambdaFaults-- > 0)
              throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.ServiceException' });
            return real(event);
          },
        },
      },
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(result.states.filter((s) => s === STEPS.database.label)).toHaveLength(3);
    expect(result.states.filter((s) => s === STEPS.promotion.label)).toHaveLength(2);
    expect(result.states.filter((s) => s === STEPS.dns.label)).toHaveLength(4);
    expect(aws.mutations.filter((m) => m.startsWith('RDS.CreateDBInstance'))).toHaveLength(2);
  });

  it('fails back: the main-region copy promotes main again after a DR promotion', async () => {
    await dr.run({ mode: 'planned', reason: 'game day' });
    expect(aws.writerRole).toBe('dr');
    aws.mutations.length = 0;

    const result = await main.run({ mode: 'planned', reason: 'failback' });

    expect(result.status).toBe('SUCCEEDED');
    expect(aws.writerRole).toBe('main');
    expect(aws.recordTarget).toBe('main.app.example.com');
    // Main kept its writer and readers: nothing to create there.
    expect(aws.mutations).toEqual([
      `RDS.SwitchoverGlobalCluster ${MAIN_CLUSTER_ARN}`,
      'Route53.ChangeResourceRecordSets app.example.com -> main.app.example.com',
    ]);
  });

  it('ends with nothing to do when the region is already promoted', async () => {
    await dr.run({ mode: 'planned', reason: 'game day' });
    aws.mutations.length = 0;

    const result = await dr.run({ mode: 'planned', reason: 'double click' });

    expect(result.output).toMatchObject({ outcome: 'ALREADY_PROMOTED' });
    expect(aws.mutations).toEqual([]);
  });
});
