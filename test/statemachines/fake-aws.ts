import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../infra/config/load';
import { type ProjectNames, projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';

/**
 * A compact, stateful fake of the AWS APIs the failover calls, for executing the state machine in
 * tests. Long operations finish after a number of *reads* rather than after time (the tests run
 * with zero waits); the drill has the time-accurate simulator.
 */

export function awsError(name: string, httpStatusCode = 400, message = name): Error {
  const err = new Error(message);
  err.name = name;
  Object.assign(err, { $metadata: { httpStatusCode }, $fault: httpStatusCode >= 500 ? 'server' : 'client' });
  return err;
}

interface Instance {
  id: string;
  cluster: string;
  status: string;
  readsUntilAvailable: number;
}

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  startDate: Date;
  stopDate?: Date;
  output?: string;
}

export interface FakeAws {
  readonly names: ProjectNames;
  /** Mutating calls made, in order: `Service.Command target`. */
  readonly mutations: string[];
  writerRole: RegionRole;
  /** The region whose RDS API does not answer (times out). */
  unreachableRegion?: string;
  /** Throw this many times from the named command, then behave. */
  failNext: Map<string, { count: number; error: () => Error }>;
  /** Reads of the global cluster an in-flight switchover/failover takes to finish. */
  promotionReads: number;
  /** Reads an instance stays `creating`. */
  instanceReads: number;
  /** Reads the service takes to reach steady state after a scale-up; Infinity = never. */
  serviceReads: number;
  /** Refuse switchovers (the source is unhealthy) with this fault. */
  refuseSwitchover?: string;
  readonly instances: Instance[];
  readonly executions: Execution[];
  recordTarget: string;
  restore(): void;
}

/** Install the fake for `config` (default base.yml): main is writer, DR headless, DNS on main. */
export function installFakeAws(config: ProjectConfig = loadConfig('base')): FakeAws {
  const names = projectNames(config);
  const regionOf = (role: RegionRole) => names.regions[role].region;
  const roleOfRegion = (region: string): RegionRole => (region === regionOf('main') ? 'main' : 'dr');

  const rds = mockClient(RDSClient);
  const asg = mockClient(AutoScalingClient);
  const ecs = mockClient(ECSClient);
  const r53 = mockClient(Route53Client);
  const sfn = mockClient(SFNClient);

  const service: Record<RegionRole, { desired: number; running: number; readsLeft: number; asgMin: number }> =
    {
      main: {
        desired: config.regions.main.service.desiredCount,
        running: config.regions.main.service.desiredCount,
        readsLeft: 0,
        asgMin: config.regions.main.service.minCapacity,
      },
      dr: {
        desired: config.regions.dr.service.desiredCount,
        running: config.regions.dr.service.desiredCount,
        readsLeft: 0,
        asgMin: config.regions.dr.service.minCapacity,
      },
    };
  let promotion: { to: RegionRole; readsLeft: number; kind: 'switching-over' | 'failing-over' } | undefined;
  let change: { id: string; readsLeft: number } | undefined;
  let changeCounter = 0;

  const fake: FakeAws = {
    names,
    mutations: [],
    writerRole: 'main',
    failNext: new Map(),
    promotionReads: 1,
    instanceReads: 1,
    serviceReads: 1,
    instances: Array.from({ length: config.regions.main.database.instances }, (_v, n) => ({
      id: names.regions.main.dbInstanceIdentifier(n),
      cluster: names.regions.main.dbClusterIdentifier,
      status: 'available',
      readsUntilAvailable: 0,
    })),
    executions: [],
    recordTarget: names.regions.main.regionalRecordName,
    restore() {
      for (const m of [rds, asg, ecs, r53, sfn]) m.restore();
    },
  };

  async function gate(command: string, getClient: () => { config: { region: () => Promise<string> } }) {
    const region = await getClient().config.region();
    const f = fake.failNext.get(command);
    if (f && f.count > 0) {
      f.count -= 1;
      throw f.error();
    }
    if (fake.unreachableRegion === region && command.startsWith('RDS.')) {
      // Never answers: the caller's own timeout must end the wait.
      await new Promise(() => {});
    }
    return roleOfRegion(region);
  }

  const clusterIdOf = (role: RegionRole) => names.regions[role].dbClusterIdentifier;
  const roleOfCluster = (idOrArn: string): RegionRole | undefined =>
    (['main', 'dr'] as const).find(
      (r) => names.regions[r].dbClusterIdentifier === idOrArn || names.regions[r].dbClusterArn === idOrArn,
    );

  function globalCluster() {
    if (promotion) {
      promotion.readsLeft -= 1;
      if (promotion.readsLeft < 0) {
        fake.writerRole = promotion.to;
        promotion = undefined;
      }
    }
    return {
      GlobalClusterIdentifier: names.globalClusterIdentifier,
      GlobalClusterArn: names.globalClusterArn,
      Status: promotion ? 'modifying' : 'available',
      Engine: 'aurora-postgresql',
      GlobalClusterMembers: (['main', 'dr'] as const).map((r) => ({
        DBClusterArn: names.regions[r].dbClusterArn,
        IsWriter: fake.writerRole === r,
      })),
      ...(promotion
        ? {
            FailoverState: {
              Status: promotion.kind,
              FromDbClusterArn: names.regions[fake.writerRole].dbClusterArn,
              ToDbClusterArn: names.regions[promotion.to].dbClusterArn,
            },
          }
        : {}),
    };
  }

  rds.on(DescribeGlobalClustersCommand).callsFake(async (input, getClient) => {
    await gate('RDS.DescribeGlobalClusters', getClient);
    if (input.GlobalClusterIdentifier !== names.globalClusterIdentifier)
      throw awsError('GlobalClusterNotFoundFault', 404);
    return { GlobalClusters: [globalCluster()] };
  });
  rds.on(DescribeDBClustersCommand).callsFake(async (input, getClient) => {
    const role = await gate('RDS.DescribeDBClusters', getClient);
    const target = roleOfCluster(input.DBClusterIdentifier ?? '');
    if (target !== role) throw awsError('DBClusterNotFoundFault', 404);
    return {
      DBClusters: [
        {
          DBClusterIdentifier: clusterIdOf(role),
          DBClusterArn: names.regions[role].dbClusterArn,
          Engine: 'aurora-postgresql',
          Status: 'available',
          GlobalClusterIdentifier: names.globalClusterIdentifier,
          DBClusterMembers: fake.instances
            .filter((i) => i.cluster === clusterIdOf(role))
            .map((i) => ({ DBInstanceIdentifier: i.id, IsClusterWriter: false })),
        },
      ],
    };
  });
  rds.on(DescribeDBInstancesCommand).callsFake(async (input, getClient) => {
    const role = await gate('RDS.DescribeDBInstances', getClient);
    const cluster =
      input.Filters?.find((f: { Name?: string }) => f.Name === 'db-cluster-id')?.Values?.[0] ??
      clusterIdOf(role);
    const list = fake.instances.filter(
      (i) => i.cluster === cluster || names.regions[role].dbClusterArn === cluster,
    );
    for (const i of list) {
      if (i.status === 'creating') {
        i.readsUntilAvailable -= 1;
        if (i.readsUntilAvailable < 0) i.status = 'available';
      }
    }
    return {
      DBInstances: list.map((i) => ({
        DBInstanceIdentifier: i.id,
        DBClusterIdentifier: i.cluster,
        DBInstanceStatus: i.status,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      })),
    };
  });
  rds.on(CreateDBInstanceCommand).callsFake(async (input, getClient) => {
    await gate('RDS.CreateDBInstance', getClient);
    const id = input.DBInstanceIdentifier ?? '';
    if (fake.instances.some((i) => i.id === id)) throw awsError('DBInstanceAlreadyExistsFault');
    fake.mutations.push(`RDS.CreateDBInstance ${id}`);
    fake.instances.push({
      id,
      cluster: input.DBClusterIdentifier ?? '',
      status: 'creating',
      readsUntilAvailable: fake.instanceReads,
    });
    return { DBInstance: { DBInstanceIdentifier: id, DBInstanceStatus: 'creating' } };
  });
  const startPromotion = (kind: 'switching-over' | 'failing-over', target: string) => {
    const to = roleOfCluster(target);
    if (to === undefined) throw awsError('DBClusterNotFoundFault', 404);
    if (promotion) throw awsError('InvalidGlobalClusterStateFault');
    promotion = { to, readsLeft: fake.promotionReads, kind };
  };
  rds.on(SwitchoverGlobalClusterCommand).callsFake(async (input, getClient) => {
    await gate('RDS.SwitchoverGlobalCluster', getClient);
    if (fake.refuseSwitchover) throw awsError(fake.refuseSwitchover);
    fake.mutations.push(`RDS.SwitchoverGlobalCluster ${input.TargetDbClusterIdentifier}`);
    startPromotion('switching-over', input.TargetDbClusterIdentifier ?? '');
    return { GlobalCluster: { GlobalClusterIdentifier: names.globalClusterIdentifier } };
  });
  rds.on(FailoverGlobalClusterCommand).callsFake(async (input, getClient) => {
    await gate('RDS.FailoverGlobalCluster', getClient);
    if (input.AllowDataLoss && input.Switchover) throw awsError('InvalidParameterCombination');
    fake.mutations.push(
      `RDS.FailoverGlobalCluster ${input.TargetDbClusterIdentifier} AllowDataLoss=${input.AllowDataLoss}`,
    );
    startPromotion('failing-over', input.TargetDbClusterIdentifier ?? '');
    return { GlobalCluster: { GlobalClusterIdentifier: names.globalClusterIdentifier } };
  });

  asg.on(DescribeAutoScalingGroupsCommand).callsFake(async (input, getClient) => {
    const role = await gate('ASG.DescribeAutoScalingGroups', getClient);
    const name = input.AutoScalingGroupNames?.[0];
    if (name !== names.regions[role].asgName) return { AutoScalingGroups: [] };
    const s = service[role];
    return {
      AutoScalingGroups: [
        {
          AutoScalingGroupName: name,
          MinSize: s.asgMin,
          MaxSize: config.regions[role].service.maxCapacity,
          DesiredCapacity: s.asgMin,
          DefaultCooldown: 300,
          AvailabilityZones: config.regions[role].availabilityZones,
          HealthCheckType: 'EC2',
          CreatedTime: new Date(0),
          Instances: Array.from({ length: s.asgMin }, (_v, n) => ({
            InstanceId: `i-${role}-${n}`,
            AvailabilityZone: config.regions[role].availabilityZones[0] ?? '',
            LifecycleState: 'InService' as const,
            HealthStatus: 'Healthy',
            ProtectedFromScaleIn: false,
          })),
        },
      ],
    };
  });
  asg.on(UpdateAutoScalingGroupCommand).callsFake(async (input, getClient) => {
    const role = await gate('ASG.UpdateAutoScalingGroup', getClient);
    fake.mutations.push(`ASG.UpdateAutoScalingGroup ${input.AutoScalingGroupName} min=${input.MinSize}`);
    service[role].asgMin = input.MinSize ?? service[role].asgMin;
    return {};
  });
  ecs.on(DescribeServicesCommand).callsFake(async (input, getClient) => {
    const role = await gate('ECS.DescribeServices', getClient);
    const s = service[role];
    if (input.services?.[0] !== names.regions[role].ecsServiceName) {
      return { services: [], failures: [{ reason: 'MISSING' }] };
    }
    if (s.running < s.desired) {
      s.readsLeft -= 1;
      if (s.readsLeft < 0) s.running = s.desired;
    }
    return {
      services: [
        {
          serviceName: names.regions[role].ecsServiceName,
          status: 'ACTIVE',
          desiredCount: s.desired,
          runningCount: s.running,
          pendingCount: s.desired - s.running,
          deployments: [
            {
              status: 'PRIMARY',
              desiredCount: s.desired,
              runningCount: s.running,
              rolloutState: s.running === s.desired ? ('COMPLETED' as const) : ('IN_PROGRESS' as const),
            },
          ],
        },
      ],
    };
  });
  ecs.on(UpdateServiceCommand).callsFake(async (input, getClient) => {
    const role = await gate('ECS.UpdateService', getClient);
    fake.mutations.push(`ECS.UpdateService ${input.service} desired=${input.desiredCount}`);
    service[role].desired = input.desiredCount ?? service[role].desired;
    service[role].readsLeft = fake.serviceReads;
    return {};
  });

  r53.on(ListResourceRecordSetsCommand).callsFake(async (input, getClient) => {
    await gate('Route53.ListResourceRecordSets', getClient);
    if (input.HostedZoneId !== config.dns.hostedZoneId) throw awsError('NoSuchHostedZone', 404);
    return {
      ResourceRecordSets: [
        {
          Name: `${config.dns.recordName}.`,
          Type: 'A',
          AliasTarget: {
            HostedZoneId: config.dns.hostedZoneId,
            DNSName: `${fake.recordTarget}.`,
            EvaluateTargetHealth: false,
          },
        },
      ],
      IsTruncated: false,
      MaxItems: 1,
    };
  });
  r53.on(ChangeResourceRecordSetsCommand).callsFake(async (input, getClient) => {
    await gate('Route53.ChangeResourceRecordSets', getClient);
    const rr = input.ChangeBatch?.Changes?.[0]?.ResourceRecordSet;
    fake.mutations.push(`Route53.ChangeResourceRecordSets ${rr?.Name} -> ${rr?.AliasTarget?.DNSName}`);
    fake.recordTarget = (rr?.AliasTarget?.DNSName ?? '').replace(/\.$/, '');
    changeCounter += 1;
    change = { id: `/change/C${changeCounter}`, readsLeft: 1 };
    return { ChangeInfo: { Id: change.id, Status: 'PENDING', SubmittedAt: new Date() } };
  });
  r53.on(GetChangeCommand).callsFake(async (input, getClient) => {
    await gate('Route53.GetChange', getClient);
    if (!change?.id.endsWith(input.Id ?? '?')) throw awsError('NoSuchChange', 404);
    change.readsLeft -= 1;
    return {
      ChangeInfo: {
        Id: change.id,
        Status: change.readsLeft < 0 ? 'INSYNC' : 'PENDING',
        SubmittedAt: new Date(),
      },
    };
  });

  sfn.on(ListExecutionsCommand).callsFake(async (input, getClient) => {
    await gate('SFN.ListExecutions', getClient);
    return {
      executions: fake.executions
        .filter((e) => e.stateMachineArn === input.stateMachineArn)
        .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
        .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
          executionArn,
          stateMachineArn,
          name,
          status,
          startDate,
          stopDate,
        })),
    };
  });
  sfn.on(DescribeExecutionCommand).callsFake(async (input, getClient) => {
    await gate('SFN.DescribeExecution', getClient);
    const e = fake.executions.find((x) => x.executionArn === input.executionArn);
    if (!e) throw awsError('ExecutionDoesNotExist', 400);
    return { ...e };
  });

  return fake;
}
