import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type DescribeScalingActivitiesCommandInput,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeCapacityReservationsCommand,
  type DescribeCapacityReservationsCommandInput,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { zoneShortage } from '../../drill/faults/capacity';
import { CAPACITY_FOR_TAG } from '../../drill/sim/ec2/reservations';
import type { World } from '../../drill/sim/world';
import { loadConfig } from '../../infra/config/load';
import { reservationSpread } from '../../infra/config/schema';
import {
  appDatabase,
  appService,
  DR,
  inSimulation,
  makeWorld,
  names,
  rejectionOf,
  sleep,
} from './sim-helpers';

/**
 * The crowded DR region in the simulator (issue 22): Auto Scaling launches per zone and type,
 * failed scaling activities and their retries, capacity reservations, ECS tasks waiting in
 * PROVISIONING, RDS placing an instance in a zone that has its class.
 */

const dr = names.regions.dr;
const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];
const shop = loadConfig('shop');
/** The default model's durations, named where a test counts on them. */
const LAUNCH = 120;
const REGISTER = 60;
const RETRY = 20;

function world(project = loadConfig('base')): World {
  return makeWorld(
    {
      asgInstanceLaunchSeconds: LAUNCH,
      ecsInstanceRegistrationSeconds: REGISTER,
      asgLaunchRetrySeconds: RETRY,
    },
    'dr',
    project,
  );
}

/** EC2 in DR has none of `types` in `zones`. */
function shortOf(w: World, types: readonly string[], zones: readonly string[]): void {
  w.capacity.interceptors.push(
    zoneShortage({ service: 'ec2', region: DR, types: new Set(types), zones: new Set(zones) }),
  );
}

/** Raise a group (DR's by default) to `desired` through the API; call inside {@link inSimulation}. */
function raise(desired: number, name = dr.asgName, region = DR): Promise<unknown> {
  return new AutoScalingClient({ region }).send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: desired,
      DesiredCapacity: desired,
      MaxSize: Math.max(desired, 3),
    }),
  );
}

/** Let `seconds` of simulated time pass and apply what fell due (inside {@link inSimulation}). */
async function wait(w: World, seconds: number): Promise<void> {
  await sleep(seconds);
  w.clock.sync();
}

/** DR's instances as `type@zone`, in launch order. */
function launched(w: World): string[] {
  return (w.autoscaling.ofRole('dr')?.instances ?? []).map((i) => `${i.instanceType}@${i.az}`);
}

describe('Auto Scaling launches in a crowded region', () => {
  it('balances over the zones with the first type when EC2 has it', async () => {
    // Prepare
    const w = world();

    // Act
    await inSimulation(w, () => raise(3));

    // Assess
    expect(launched(w)).toEqual(ZONES.map((z) => `t3.small@${z}`));
    expect(w.autoscaling.ofRole('dr')?.activities.map((a) => a.status)).toEqual([
      'InProgress',
      'InProgress',
      'InProgress',
    ]);
  });

  it('falls back to the next type in priority order in a zone short of the first', async () => {
    // Prepare
    const w = world();
    shortOf(w, ['t3.small'], ['us-west-2a']);
    shortOf(w, ['t3.small', 't3a.small'], ['us-west-2b']);

    // Act
    await inSimulation(w, () => raise(3));

    // Assess
    expect(launched(w)).toEqual(['t3a.small@us-west-2a', 't3.medium@us-west-2b', 't3.small@us-west-2c']);
    expect(w.capacity.refusals.map((r) => `${r.instanceType}@${r.zone}`)).toEqual([
      't3.small@us-west-2a',
      't3.small@us-west-2b',
      't3a.small@us-west-2b',
    ]);
    expect(w.autoscaling.ofRole('dr')?.activities.filter((a) => a.status === 'Failed')).toEqual([]);
  });

  it('fails the activity when every type is out in the zone, and launches in the other zones at once', async () => {
    // Prepare
    const w = world();
    shortOf(w, ['t3.small', 't3a.small', 't3.medium'], ['us-west-2a']);

    // Act
    const atRaise = await inSimulation(w, async () => {
      await raise(3);
      return launched(w);
    });

    // Assess: the first launch failed in 2a; balanced-best-effort moved on to 2b and 2c without waiting.
    expect(atRaise).toEqual(['t3.small@us-west-2b', 't3.small@us-west-2c', 't3.small@us-west-2b']);
    const activities = w.autoscaling.ofRole('dr')?.activities ?? [];
    expect(activities.map((a) => `${a.status} ${a.zone}`)).toEqual([
      'Failed us-west-2a',
      'InProgress us-west-2b',
      'InProgress us-west-2c',
      'InProgress us-west-2b',
    ]);
    expect((activities[1]?.at ?? 0) - (activities[0]?.at ?? 0)).toBe(0);
  });

  it('keeps retrying while every zone refuses, and launches once EC2 has capacity again', async () => {
    // Prepare
    const w = world();
    const out = zoneShortage({
      service: 'ec2',
      region: DR,
      types: new Set(['t3.small', 't3a.small', 't3.medium']),
      zones: new Set(ZONES),
    });
    w.capacity.interceptors.push(out);

    // Act
    const failed = await inSimulation(w, async () => {
      await raise(3);
      await wait(w, RETRY * 5 + 1);
      const n = w.autoscaling.ofRole('dr')?.activities.length;
      w.capacity.interceptors.splice(w.capacity.interceptors.indexOf(out), 1);
      await wait(w, RETRY + 1);
      return n;
    });

    // Assess: each attempt fails in every zone (three activities), six attempts, then three launches.
    expect(failed).toBe(18);
    expect(launched(w)).toHaveLength(3);
  });

  it('launches into a reservation with room first, immune to the shortage, and uses it up', async () => {
    // Prepare: the shop's DR reserves 2 t3.medium (a:1, b:1); EC2 has no t3.medium anywhere.
    const w = world(shop);
    const shopDr = w.names.regions.dr;
    w.capacity.interceptors.push(
      zoneShortage({
        service: 'ec2',
        region: shopDr.region,
        types: new Set(['t3.medium']),
        zones: new Set(shop.regions.dr.availabilityZones),
      }),
    );

    // Act
    await inSimulation(w, () => raise(3, shopDr.asgName, shopDr.region));

    // Assess
    const instances = w.autoscaling.ofRole('dr')?.instances ?? [];
    expect(instances.map((i) => [i.instanceType, i.az, i.reservationId !== undefined])).toEqual([
      ['t3.medium', 'eu-central-1a', true],
      ['t3.medium', 'eu-central-1b', true],
      ['t3a.medium', 'eu-central-1c', false],
    ]);
    expect(
      w.reservations.inRegion(shopDr.region).map((r) => `${r.zone} ${r.instances.length}/${r.total}`),
    ).toEqual(['eu-central-1a 1/1', 'eu-central-1b 1/1']);
  });

  it('spreads a reservation over the zones in order, the first zones taking the extra one', () => {
    expect([...reservationSpread(2, ZONES)]).toEqual([
      ['us-west-2a', 1],
      ['us-west-2b', 1],
    ]);
    expect([...reservationSpread(5, ZONES)]).toEqual([
      ['us-west-2a', 2],
      ['us-west-2b', 2],
      ['us-west-2c', 1],
    ]);
  });
});

describe('DescribeAutoScalingGroups with fallback types', () => {
  it('shows the mixed-instances policy (overrides in order, prioritized, all On-Demand) and balanced-best-effort', async () => {
    // Prepare
    const w = world();

    // Act
    const out = await inSimulation(w, () =>
      new AutoScalingClient({ region: DR }).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [dr.asgName] }),
      ),
    );

    // Assess
    const g = out.AutoScalingGroups?.[0];
    expect(g?.LaunchTemplate).toBeUndefined();
    expect(g?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId).toMatch(
      /^lt-/,
    );
    expect(g?.MixedInstancesPolicy?.LaunchTemplate?.Overrides?.map((o) => o.InstanceType)).toEqual([
      't3.small',
      't3a.small',
      't3.medium',
    ]);
    expect(g?.MixedInstancesPolicy?.InstancesDistribution).toMatchObject({
      OnDemandAllocationStrategy: 'prioritized',
      OnDemandBaseCapacity: 0,
      OnDemandPercentageAboveBaseCapacity: 100,
    });
    expect(g?.AvailabilityZoneDistribution).toEqual({ CapacityDistributionStrategy: 'balanced-best-effort' });
  });

  it('a group with one type names its launch template on its own', async () => {
    // Prepare
    const w = world();
    const out = await inSimulation(w, () =>
      new AutoScalingClient({ region: names.regions.main.region }).send(
        new DescribeAutoScalingGroupsCommand({}),
      ),
    );

    // Assess
    expect(out.AutoScalingGroups?.[0]?.LaunchTemplate?.LaunchTemplateId).toMatch(/^lt-/);
    expect(out.AutoScalingGroups?.[0]?.MixedInstancesPolicy).toBeUndefined();
  });
});

describe('DescribeScalingActivities', () => {
  type Input = DescribeScalingActivitiesCommandInput;

  const activities = (input: Input) =>
    new AutoScalingClient({ region: DR }).send(new DescribeScalingActivitiesCommand(input));

  /**
   * A world whose DR group fails once in 2a and launches three instances after the retry, described
   * with each input in turn once the launches are done.
   */
  async function crowded(...inputs: Input[]) {
    const w = world();
    shortOf(w, ['t3.small', 't3a.small', 't3.medium'], ['us-west-2a']);
    const out = await inSimulation(w, async () => {
      await raise(3);
      await wait(w, RETRY + LAUNCH + 1);
      const answers = [];
      for (const input of inputs) answers.push(await activities(input));
      return answers;
    });
    return { w, out };
  }

  it('lists the launches newest first, the failed one with EC2’s InsufficientInstanceCapacity message', async () => {
    // Act
    const { w, out } = await crowded({ AutoScalingGroupName: dr.asgName, MaxRecords: 10 });

    // Assess
    const listed = out[0]?.Activities ?? [];
    expect(listed.map((a) => a.StatusCode)).toEqual(['Successful', 'Successful', 'Successful', 'Failed']);
    const [newest] = listed;
    const failed = listed[3];
    const instance = w.autoscaling.ofRole('dr')?.instances[2]?.id ?? '';
    expect(newest?.Description).toBe(`Launching a new EC2 instance: ${instance}`);
    expect(newest?.Progress).toBe(100);
    expect(JSON.parse(newest?.Details ?? '{}')).toEqual({
      'Subnet ID': expect.stringMatching(/^subnet-0[0-9a-f]{16}$/),
      'Availability Zone': 'us-west-2b',
    });
    expect(failed?.StatusMessage).toBe(
      'We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (us-west-2a). Our system will be working on provisioning additional capacity. You can currently get t3.medium capacity by not specifying an Availability Zone in your request or choosing us-west-2b, us-west-2c. Launching EC2 instance failed.',
    );
    expect(failed?.Description).toBe(
      `Launching a new EC2 instance.  Status Reason: ${failed?.StatusMessage}`,
    );
    expect(failed?.Cause).toMatch(
      /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ a user request update of AutoScalingGroup constraints to min: 3, max: 3, desired: 3 changing the desired capacity from 0 to 3\. {2}At .*Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1\.$/,
    );
    expect(failed?.EndTime).toEqual(failed?.StartTime);
    expect(failed?.AutoScalingGroupName).toBe(dr.asgName);
    expect(failed?.ActivityId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages with MaxRecords and NextToken', async () => {
    // Act
    const { out } = await crowded(
      { AutoScalingGroupName: dr.asgName, MaxRecords: 3 },
      { AutoScalingGroupName: dr.asgName, MaxRecords: 3, NextToken: '3' },
    );

    // Assess
    const [first, second] = out;
    expect(first?.Activities).toHaveLength(3);
    expect(first?.NextToken).toBe('3');
    expect(second?.Activities?.map((a) => a.StatusCode)).toEqual(['Failed']);
    expect(second?.NextToken).toBeUndefined();
  });

  it('refuses MaxRecords outside 1-100 and a bad token; an unknown group has no activities', async () => {
    // Prepare
    const w = world();

    const send = (input: Input) => inSimulation(w, () => activities(input));

    // Act
    const tooMany = await rejectionOf(send({ MaxRecords: 101 }));
    const zero = await rejectionOf(send({ MaxRecords: 0 }));
    const token = await rejectionOf(send({ NextToken: 'not-a-token' }));
    const unknown = await send({ AutoScalingGroupName: 'nope' });

    // Assess
    expect(tooMany.name).toBe('ValidationError');
    expect(zero.name).toBe('ValidationError');
    expect(token.name).toBe('InvalidNextToken');
    expect(unknown.Activities).toEqual([]);
  });
});

describe('DescribeCapacityReservations', () => {
  const ec2 = (w: World, region: string, input: DescribeCapacityReservationsCommandInput) =>
    inSimulation(w, () => new EC2Client({ region }).send(new DescribeCapacityReservationsCommand(input)));

  it("finds the shop's DR reservations by the group's tag, active, with what is available", async () => {
    // Prepare
    const w = world(shop);
    const n = w.names.regions.dr;

    // Act
    const out = await ec2(w, n.region, {
      Filters: [{ Name: `tag:${CAPACITY_FOR_TAG}`, Values: [n.asgName] }],
    });

    // Assess
    expect(
      out.CapacityReservations?.map((r) => [
        r.AvailabilityZone,
        r.TotalInstanceCount,
        r.AvailableInstanceCount,
        r.State,
      ]),
    ).toEqual([
      ['eu-central-1a', 1, 1, 'active'],
      ['eu-central-1b', 1, 1, 'active'],
    ]);
    expect(out.CapacityReservations?.[0]).toMatchObject({
      CapacityReservationId: expect.stringMatching(/^cr-0[0-9a-f]{16}$/),
      CapacityReservationArn: expect.stringMatching(
        /^arn:aws:ec2:eu-central-1:\d{12}:capacity-reservation\/cr-/,
      ),
      InstanceType: 't3.medium',
      InstancePlatform: 'Linux/UNIX',
      Tenancy: 'default',
      InstanceMatchCriteria: 'targeted',
      EndDateType: 'unlimited',
      Tags: [{ Key: CAPACITY_FOR_TAG, Value: n.asgName }],
    });
  });

  it("the shop's DR launch template targets the reservations' resource group; the base one targets none", async () => {
    // Prepare
    const w = world(shop);
    const n = w.names.regions.dr;
    const template = w.deployed.ec2.templateOf('dr');

    // Act
    const out = await inSimulation(w, () =>
      new EC2Client({ region: n.region }).send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template?.id, Versions: ['$Default'] }),
      ),
    );

    // Assess
    expect(out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.CapacityReservationSpecification).toEqual({
      CapacityReservationTarget: {
        CapacityReservationResourceGroupArn: `arn:aws:resource-groups:${n.region}:${shop.regions.dr.account}:group/${n.asgName}-reservations`,
      },
    });
    expect(world().deployed.ec2.templateOf('dr')?.versions[0]?.reservationGroupArn).toBeUndefined();
  });

  it('filters by state, type and zone; pages; refuses unknown ids and filters', async () => {
    // Prepare
    const w = world(shop);
    const region = w.names.regions.dr.region;

    // Act
    const inB = await ec2(w, region, {
      Filters: [
        { Name: 'availability-zone', Values: ['eu-central-1b'] },
        { Name: 'instance-type', Values: ['t3.medium'] },
        { Name: 'state', Values: ['active'] },
      ],
    });
    const expired = await ec2(w, region, { Filters: [{ Name: 'state', Values: ['expired'] }] });
    const page1 = await ec2(w, region, { MaxResults: 1 });
    const page2 = await ec2(w, region, { MaxResults: 1, NextToken: page1.NextToken });
    const missing = await rejectionOf(ec2(w, region, { CapacityReservationIds: ['cr-0123456789abcdef0'] }));
    const filter = await rejectionOf(ec2(w, region, { Filters: [{ Name: 'colour', Values: ['x'] }] }));
    const none = await ec2(w, DR, {});

    // Assess
    expect(inB.CapacityReservations?.map((r) => r.AvailabilityZone)).toEqual(['eu-central-1b']);
    expect(expired.CapacityReservations).toEqual([]);
    expect(page1.CapacityReservations).toHaveLength(1);
    expect(page2.CapacityReservations).toHaveLength(1);
    expect(page2.NextToken).toBeUndefined();
    expect(page1.CapacityReservations?.[0]?.CapacityReservationId).not.toBe(
      page2.CapacityReservations?.[0]?.CapacityReservationId,
    );
    expect(missing.name).toBe('InvalidCapacityReservationId.NotFound');
    expect(filter.name).toBe('InvalidParameterValue');
    expect(none.CapacityReservations).toEqual([]);
  });
});

describe('ECS tasks waiting for capacity', () => {
  const service = appService(dr);

  const describeApp = () =>
    new ECSClient({ region: DR }).send(
      new DescribeServicesCommand({ cluster: dr.ecsClusterName, services: [service.ecsServiceName] }),
    );

  it('wait in PROVISIONING (neither pending nor running) until an instance registers, then are placed', async () => {
    // Prepare
    const w = world();
    const svc = w.ecs.service('dr', 'app');

    // Act
    const { waiting, provisioning, placed } = await inSimulation(w, async () => {
      await raise(3);
      await new ECSClient({ region: DR }).send(
        new UpdateServiceCommand({
          cluster: dr.ecsClusterName,
          service: service.ecsServiceName,
          desiredCount: 3,
        }),
      );
      const before = await describeApp();
      const count = svc?.provisioning.length;
      await wait(w, LAUNCH + REGISTER + 1);
      return { waiting: before, provisioning: count, placed: await describeApp() };
    });

    // Assess
    expect(provisioning).toBe(3);
    expect(waiting.services?.[0]).toMatchObject({ desiredCount: 3, pendingCount: 0, runningCount: 0 });
    expect(waiting.services?.[0]?.events?.[0]?.message).toMatch(/was unable to place a task/);
    expect(placed.services?.[0]).toMatchObject({ desiredCount: 3, pendingCount: 3, runningCount: 0 });
    expect(svc?.provisioning).toEqual([]);
  });
});

describe('RDS placing a DB instance', () => {
  const database = appDatabase(dr);
  const create = (w: World, id: string, instanceClass: string) =>
    inSimulation(w, () =>
      new RDSClient({ region: DR }).send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBClusterIdentifier: database.dbClusterIdentifier,
          DBInstanceClass: instanceClass,
          Engine: 'aurora-postgresql',
        }),
      ),
    );
  const shortOfClass = (w: World, zones: readonly string[]) =>
    w.capacity.interceptors.push(
      zoneShortage({ service: 'rds', region: DR, types: new Set(['db.r6g.large']), zones: new Set(zones) }),
    );

  it('spreads over the zones; a class out in some zones goes to one that has it', async () => {
    // Prepare
    const w = world();
    shortOfClass(w, ['us-west-2a', 'us-west-2b']);

    // Act
    await create(w, 'dr-1', 'db.r6g.large');
    await create(w, 'dr-2', 'db.r7g.large');

    // Assess
    const zones = w.rds
      .database('app')
      .clusterInstances('dr')
      .map((i) => `${i.instanceClass}@${i.availabilityZone}`);
    expect(zones).toEqual(['db.r6g.large@us-west-2c', 'db.r7g.large@us-west-2a']);
  });

  it('refuses with InsufficientDBInstanceCapacityFault when every zone is out', async () => {
    // Prepare
    const w = world();
    shortOfClass(w, ZONES);

    // Act
    const err = await rejectionOf(create(w, 'dr-1', 'db.r6g.large'));

    // Assess
    expect(err.name).toBe('InsufficientDBInstanceCapacityFault');
    expect(w.rds.database('app').clusterInstances('dr')).toEqual([]);
    expect(w.capacity.refusals.map((r) => r.zone)).toEqual(ZONES);
  });
});
