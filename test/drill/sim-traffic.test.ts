import { Resolver } from 'node:dns/promises';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { judgeTrafficAfterPromotion } from '../../drill/analysis/invariants-traffic';
import type { DrillRun } from '../../drill/runner/run';
import { SIM_APP_CONTAINER_NAME } from '../../drill/sim/ecs/task-definitions';
import { ALB_ADDRESSES } from '../../drill/sim/route53/dns';
import { APP_CONTAINER_NAME } from '../../infra/stacks/service-stack';
import { authoritativeAnswers } from '../../lambdas/shared/dns-answers';
import {
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  trafficClaimDimensions,
} from '../../lambdas/shared/traffic-claim';
import { capacityParameters } from '../infra/app-fixture';
import {
  appService,
  appServiceConfig,
  config,
  DR,
  HOSTNAME,
  inSimulation,
  MAIN,
  makeWorld,
  names,
  rejectionOf,
  sleep,
} from './sim-helpers';

const claim = (value: number, role: 'main' | 'dr') =>
  new PutMetricDataCommand({
    Namespace: TRAFFIC_CLAIM_NAMESPACE,
    MetricData: [
      {
        MetricName: TRAFFIC_CLAIM_METRIC,
        Dimensions: trafficClaimDimensions(config.project, role),
        Value: value,
      },
    ],
  });
const describe_ = (region: string, role: 'main' | 'dr') =>
  new CloudWatchClient({ region }).send(
    new DescribeAlarmsCommand({ AlarmNames: [names.regions[role].trafficClaimAlarmName] }),
  );

describe('simulated CloudWatch alarms', () => {
  it('reports INSUFFICIENT_DATA until the first data point, then evaluates at the minute boundary plus the delay', async () => {
    // Prepare
    const world = makeWorld({ alarmEvaluationDelaySeconds: 20 });
    const cw = new CloudWatchClient({ region: DR });

    // Act
    const states = await inSimulation(world, async () => {
      const before = (await describe_(DR, 'dr')).MetricAlarms?.[0]?.StateValue;
      await sleep(10);
      await cw.send(claim(1, 'dr'));
      await sleep(60); // t ≈ 70: period [0, 60) evaluated at 80
      const early = (await describe_(DR, 'dr')).MetricAlarms?.[0];
      await sleep(15); // t ≈ 85
      const late = (await describe_(DR, 'dr')).MetricAlarms?.[0];
      return { before, early: early?.StateValue, late };
    });

    // Assess
    expect(states.before).toBe('INSUFFICIENT_DATA');
    expect(states.early).toBe('INSUFFICIENT_DATA');
    expect(states.late?.StateValue).toBe('ALARM');
    expect(states.late?.StateUpdatedTimestamp).toEqual(world.clock.dateAt(80));
    expect(states.late).toMatchObject({
      Statistic: 'Maximum',
      Period: 60,
      TreatMissingData: 'ignore',
      Threshold: 1,
    });
  });

  it('holds the state through periods without data (treatMissingData: ignore)', async () => {
    // Prepare
    const world = makeWorld({ alarmEvaluationDelaySeconds: 5 });

    // Act
    const state = await inSimulation(world, async () => {
      await new CloudWatchClient({ region: MAIN }).send(claim(1, 'main'));
      await sleep(600);
      return (await describe_(MAIN, 'main')).MetricAlarms?.[0];
    });

    // Assess
    expect(state?.StateValue).toBe('OK');
    expect(state?.StateUpdatedTimestamp).toEqual(world.clock.dateAt(65));
  });

  it('answers only the alarms of the region asked, filtered by name and state', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const out = await inSimulation(world, async () => ({
      named: await describe_(MAIN, 'dr'),
      byState: await new CloudWatchClient({ region: DR }).send(
        new DescribeAlarmsCommand({ StateValue: 'OK' }),
      ),
    }));

    // Assess
    expect(out.named.MetricAlarms).toEqual([]);
    expect(out.byState.MetricAlarms).toEqual([]);
  });
});

describe('Route 53 data plane', () => {
  it('answers main at rest, and DR once DR claims: alarm evaluation, then the health-check lag', async () => {
    // Prepare
    const world = makeWorld({ alarmEvaluationDelaySeconds: 20, route53HealthCheckLagSeconds: 30 });
    const moves: [number, string | undefined][] = [];

    // Act
    await inSimulation(world, async () => {
      moves.push([0, world.dnsRole()]);
      await sleep(10);
      await new CloudWatchClient({ region: DR }).send(claim(1, 'dr'));
      for (const t of [100, 111]) {
        await sleep(t - world.clock.now());
        moves.push([t, world.dnsRole()]);
      }
    });

    // Assess: evaluated at 80, seen by the check at 110
    expect(moves).toEqual([
      [0, 'main'],
      [100, 'main'],
      [111, 'dr'],
    ]);
  });

  it('keeps answering during the control-plane outage and a main outage', async () => {
    // Prepare
    const world = makeWorld({ alarmEvaluationDelaySeconds: 10, route53HealthCheckLagSeconds: 10 });
    world.outages.route53 = { from: -180 };
    world.outages.regions.set(MAIN, { from: -180 });

    // Act
    const answered = await inSimulation(world, async () => {
      const before = await authoritativeAnswers(config.dns.zoneName).resolve4(HOSTNAME);
      await new CloudWatchClient({ region: DR }).send(claim(1, 'dr'));
      await sleep(120);
      return {
        before,
        after: await authoritativeAnswers(config.dns.zoneName).resolve4(HOSTNAME),
      };
    });

    // Assess
    expect(answered.before).toEqual([...ALB_ADDRESSES.main]);
    expect(answered.after).toEqual([...ALB_ADDRESSES.dr]);
  });

  it("keeps DR's last known status while DR's CloudWatch is unreachable (failback drill)", async () => {
    // Prepare: DR claims (its alarm in ALARM); DR's region goes down
    const world = makeWorld({}, 'main');
    world.outages.regions.set(DR, { from: -180 });

    // Act
    const role = await inSimulation(world, async () => world.dnsRole());

    // Assess: DR's check stays unhealthy (last known), main's unhealthy: the name still answers DR
    expect(role).toBe('dr');
    expect(world.traffic.alarmCheckHealthy('dr')).toBe(false);
  });
});

describe('simulated DNS', () => {
  it('answers NS, name-server addresses, regional records and ENOTFOUND, and records each query', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const out = await inSimulation(world, async () => {
      const r = new Resolver();
      const ns = await r.resolveNs(config.dns.zoneName);
      const nsAddress = await r.resolve4(ns[0] ?? '');
      r.setServers(nsAddress);
      const regional = await r.resolve4(names.regions.dr.regionalRecordName);
      const missing = await rejectionOf(r.resolve4(`nope.${config.dns.zoneName}`));
      return { ns, nsAddress, regional, missing };
    });

    // Assess
    expect(out.ns).toHaveLength(4);
    expect(out.nsAddress).toEqual(['192.0.2.1']);
    expect(out.regional).toEqual([...ALB_ADDRESSES.dr]);
    expect(out.missing.code).toBe('ENOTFOUND');
    expect(world.calls.filter((c) => c.service === 'dns').map((c) => c.command)).toEqual([
      'resolveNs',
      'resolve4',
      'resolve4',
      'resolve4',
    ]);
  });

  it('restores node:dns after the drill', async () => {
    // Prepare
    const before = Resolver.prototype.resolve4;

    // Act
    await inSimulation(makeWorld(), async () => undefined);

    // Assess
    expect(Resolver.prototype.resolve4).toBe(before);
  });
});

describe('simulated ELB target health', () => {
  it('registers running tasks: initial, then healthy after targetHealthySeconds; unknown groups are refused', async () => {
    // Prepare
    const world = makeWorld({ targetHealthySeconds: 30, taskStartSeconds: 10 });
    const ecs = new ECSClient({ region: MAIN });
    const elb = new ElasticLoadBalancingV2Client({ region: MAIN });
    const main = names.regions.main;

    // Act
    const out = await inSimulation(world, async () => {
      const svc = (
        await ecs.send(
          new DescribeServicesCommand({
            cluster: main.ecsClusterName,
            services: [appService(main).ecsServiceName],
          }),
        )
      ).services?.[0];
      const lb = svc?.loadBalancers?.[0];
      const arn = lb?.targetGroupArn ?? '';
      const states = async () =>
        (
          await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
        ).TargetHealthDescriptions?.map((d) => d.TargetHealth?.State);
      const at0 = await states();
      await ecs.send(
        new UpdateServiceCommand({
          cluster: main.ecsClusterName,
          service: appService(main).ecsServiceName,
          desiredCount: (svc?.desiredCount ?? 0) + 1,
        }),
      );
      await sleep(20);
      const at20 = await states();
      await sleep(30);
      const at50 = await states();
      const missing = await rejectionOf(
        elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${arn}x` })),
      );
      return { lb, at0, at20, at50, missing };
    });

    // Assess
    expect(out.lb).toMatchObject({ containerName: 'app', containerPort: appServiceConfig().containerPort });
    expect(out.at0?.every((s) => s === 'healthy')).toBe(true);
    expect(out.at20?.filter((s) => s === 'initial')).toHaveLength(1);
    expect(out.at50?.every((s) => s === 'healthy')).toBe(true);
    expect(out.missing.name).toBe('TargetGroupNotFoundException');
  });

  it('names the container as the service stack does', () => {
    expect(SIM_APP_CONTAINER_NAME).toBe(APP_CONTAINER_NAME);
  });
});

describe('simulated SSM parameters', () => {
  it('seeds the capacity parameters with the deployed capacity, reads and overwrites them, refuses unknown names', async () => {
    // Prepare
    const world = makeWorld();
    const ssm = new SSMClient({ region: DR });
    const [serviceDesiredCount = ''] = capacityParameters(names.regions.dr).names.serviceDesiredCounts;

    // Act
    const out = await inSimulation(world, async () => {
      const before = (await ssm.send(new GetParameterCommand({ Name: serviceDesiredCount }))).Parameter;
      const refused = await rejectionOf(
        ssm.send(new PutParameterCommand({ Name: serviceDesiredCount, Value: '3' })),
      );
      await ssm.send(
        new PutParameterCommand({ Name: serviceDesiredCount, Value: '3', Overwrite: true, Type: 'String' }),
      );
      const after = (await ssm.send(new GetParameterCommand({ Name: serviceDesiredCount }))).Parameter;
      const missing = await rejectionOf(ssm.send(new GetParameterCommand({ Name: '/nope' })));
      return { before, refused, after, missing };
    });

    // Assess
    expect(out.before).toMatchObject({
      Value: String(appServiceConfig().regions.dr.desiredCount),
      Version: 1,
    });
    expect(out.refused.name).toBe('ParameterAlreadyExists');
    expect(out.after).toMatchObject({ Value: '3', Version: 2 });
    expect(out.missing.name).toBe('ParameterNotFound');
  });
});

describe('traffic never moved before the promotion', () => {
  it('is broken when the name answered the target before any promotion step finished', async () => {
    // Prepare: DR claims at once, no execution promoted anything
    const world = makeWorld({ alarmEvaluationDelaySeconds: 10, route53HealthCheckLagSeconds: 10 });
    await inSimulation(world, async () => {
      await new CloudWatchClient({ region: DR }).send(claim(1, 'dr'));
      await sleep(120);
    });
    const run = { world, executions: [{ startedAt: 0, events: [] }], endedAt: 120 } as unknown as DrillRun;

    // Act
    const judged = judgeTrafficAfterPromotion(run);

    // Assess
    expect(judged.held).toBe(false);
    expect(judged.detail).toBe(
      'at start → main, 80.0 s → dr; the promotion step never finished: the name answered dr at 80.0 s before it, with database app not promoted, service app not serving',
    );
  });
});
