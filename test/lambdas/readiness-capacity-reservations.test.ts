import { DescribeCapacityReservationsCommand } from '@aws-sdk/client-ec2';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { CAPACITY_RESERVATION_TAG } from '../../lambdas/shared/readiness-contract';
import { throttled } from './helpers';
import { healthyWorld, mocks, onlyFinding, reservation, resetMocks, SETTINGS } from './readiness-fixtures';

const check = (settings: ReadinessSettings = SETTINGS) => onlyFinding('capacity-reservations', settings);

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('capacity-reservations', () => {
  it('is PASS when the active reservations hold the configured instances, read by the tag on the group', async () => {
    const result = await check();
    expect(result).toMatchObject({ status: 'PASS' });
    expect(result.what).toBe('2 instance(s) reserved for ASG proj-dr-asg, every reservation active');
    const [call] = mocks.ec2.commandCalls(DescribeCapacityReservationsCommand);
    expect(call?.args[0].input.Filters).toEqual([
      { Name: `tag:${CAPACITY_RESERVATION_TAG}`, Values: ['proj-dr-asg'] },
    ]);
  });

  it('is PASS without reading anything when no reservation is configured (the headless default)', async () => {
    const result = await check({ ...SETTINGS, promotion: { ...SETTINGS.promotion, reservedInstances: 0 } });
    expect(result.status).toBe('PASS');
    expect(result.what).toMatch(/^no capacity reservation configured \(regions\.dr\.capacity\.reservation\)/);
    expect(mocks.ec2.commandCalls(DescribeCapacityReservationsCommand)).toHaveLength(0);
  });

  it('is FAIL naming each reservation that is not active, and what the active ones still hold', async () => {
    mocks.ec2.on(DescribeCapacityReservationsCommand).resolves({
      CapacityReservations: [
        reservation('cr-0a', 'us-west-2a', 1, 'expired'),
        reservation('cr-0b', 'us-west-2b', 1),
      ],
    });
    const result = await check();
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      'cr-0a (1 × t3.small in us-west-2a) is expired; 1 of 2 instance(s) held by active reservations',
    );
    expect(result.fix).toMatch(/deploy this region's service stack .*regions\.dr\.capacity\.reservation/);
    expect(result.fix).toMatch(/aws ec2 describe-capacity-reservations --filters Name=tag:/);
  });

  it('is FAIL when the reservations are gone', async () => {
    mocks.ec2.on(DescribeCapacityReservationsCommand).resolves({ CapacityReservations: [] });
    const result = await check();
    expect(result).toMatchObject({ status: 'FAIL', why: '0 of 2 instance(s) held by active reservations' });
  });

  it('reads every page', async () => {
    mocks.ec2
      .on(DescribeCapacityReservationsCommand)
      .resolvesOnce({ CapacityReservations: [reservation('cr-0a', 'us-west-2a', 1)], NextToken: 'p2' })
      .resolves({ CapacityReservations: [reservation('cr-0b', 'us-west-2b', 1)] });
    const result = await check();
    expect(result.status).toBe('PASS');
    const calls = mocks.ec2.commandCalls(DescribeCapacityReservationsCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'p2']);
  });

  it('is UNKNOWN with the action when the read is throttled', async () => {
    mocks.ec2.on(DescribeCapacityReservationsCommand).rejects(throttled());
    const result = await check();
    expect(result.status).toBe('UNKNOWN');
    expect(result.why).toMatch(/^ec2:DescribeCapacityReservations failed: ThrottlingException/);
  });
});
