import { Template } from 'aws-cdk-lib/assertions';
import type { ExecutionRecord } from '../../drill/runner/execution';
import { Orchestrator } from '../../drill/runner/orchestrator';
import { REPO_ROOT } from '../../drill/runner/run';
import { DRILL_EPOCH_MS, Simulation } from '../../drill/runner/simulation';
import { createWorld } from '../../drill/sim/create-world';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { baseConfig, buildTestApp, capacityParameters, present } from '../infra/app-fixture';
import { APP, appDatabaseConfig, appService, appServiceConfig, failoverCalls } from './sim-helpers';

/**
 * Issue 12: after a failover or a failback, `cdk deploy` of any stack changes nothing the state
 * machine set. Runs a promotion on the drill's simulated AWS with the synthesized definition and
 * the real handlers, then computes what the next deploy of each stack would apply from the same
 * app's templates (CloudFormation resolving the service stack's SSM-typed parameters against the
 * simulated Parameter Store) and compares it with the simulated live state.
 */

const { built, config, names } = buildTestApp();

type Json = Record<string, unknown>;
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Json;
}
interface CfnTemplate {
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: string }>;
  readonly Resources: Record<string, CfnResource>;
}

const templates = {
  network: (role: RegionRole) =>
    Template.fromStack(
      present(built.regions[role].network, `${role}'s network stack`),
    ).toJSON() as CfnTemplate,
  service: (role: RegionRole) =>
    Template.fromStack(
      present(built.regions[role].service, `${role}'s service stack`),
    ).toJSON() as CfnTemplate,
};

const wirings = {} as Record<RegionRole, OrchestratorWiring>;
beforeAll(async () => {
  for (const role of REGION_ROLES) ({ wiring: wirings[role] } = await synthesizeOrchestrator(config, role));
}, 120_000);

let sim: Simulation;
let orchestrators: Record<RegionRole, Orchestrator>;

beforeEach(() => {
  const timings = sampleTimings(loadTimingModel());
  sim = Simulation.start(createWorld({ config, names, targetRole: 'dr', timings, epochMs: DRILL_EPOCH_MS }));
  const deploy = (role: RegionRole) => new Orchestrator(sim.world, wirings[role], { repoRoot: REPO_ROOT });
  orchestrators = { dr: deploy('dr'), main: deploy('main') };
});
afterEach(() => sim.stop());

async function execute(role: RegionRole, input: Record<string, unknown>): Promise<ExecutionRecord> {
  const result = await sim.drive(orchestrators[role].execute(input));
  expect(result.status).toBe('SUCCEEDED');
  return result;
}

/**
 * A deploy of `role`'s network stack over the one deployed before the drill (the same app, so the
 * same template): CloudFormation updates a parameter only when its template value changed. Returns
 * the parameters it would rewrite.
 */
function deployNetworkStack(role: RegionRole, deployed: CfnTemplate): string[] {
  const next = templates.network(role);
  const rewritten: string[] = [];
  for (const [id, resource] of Object.entries(next.Resources)) {
    if (resource.Type !== 'AWS::SSM::Parameter') continue;
    if (JSON.stringify(deployed.Resources[id]?.Properties) === JSON.stringify(resource.Properties)) continue;
    const { Name, Value } = resource.Properties as { Name: string; Value: string };
    sim.world.ssm.put(names.regions[role].region, Name, Value, sim.world.clock.now());
    rewritten.push(Name);
  }
  return rewritten;
}

/**
 * The value CloudFormation gives `value` on the next deploy of a stack in `region`: a literal, or
 * a `Ref` to an `AWS::SSM::Parameter::Value<String>` parameter, resolved from the Parameter Store
 * (as CloudFormation does on every stack operation).
 */
function resolve(template: CfnTemplate, region: string, value: unknown): number {
  if (typeof value === 'number' || typeof value === 'string') return Number(value);
  const ref = (value as { Ref?: string } | undefined)?.Ref;
  const parameter = ref === undefined ? undefined : template.Parameters?.[ref];
  if (parameter?.Type !== 'AWS::SSM::Parameter::Value<String>' || parameter.Default === undefined) {
    throw new Error(`not a literal nor an SSM-typed parameter: ${JSON.stringify(value)}`);
  }
  const stored = sim.world.ssm.get(region, parameter.Default);
  if (stored === undefined) throw new Error(`parameter ${parameter.Default} does not exist in ${region}`);
  return Number(stored.value);
}

interface Capacity {
  readonly asgMin: number;
  readonly asgMax: number;
  /** Undefined when the template leaves it to whoever scales the group. */
  readonly asgDesired: number | undefined;
  readonly serviceDesired: number;
}

/** What the next deploy of `role`'s service stack applies to the ASG and the ECS service. */
function nextServiceDeploy(role: RegionRole): Capacity {
  const n = names.regions[role];
  const template = templates.service(role);
  const resources = Object.values(template.Resources);
  const asg = resources.find(
    (r) =>
      r.Type === 'AWS::AutoScaling::AutoScalingGroup' && r.Properties?.AutoScalingGroupName === n.asgName,
  )?.Properties;
  const service = resources.find(
    (r) => r.Type === 'AWS::ECS::Service' && r.Properties?.ServiceName === appService(n).ecsServiceName,
  )?.Properties;
  if (asg === undefined || service === undefined) throw new Error(`no ASG or service in ${n.stacks.service}`);
  return {
    asgMin: resolve(template, n.region, asg.MinSize),
    asgMax: resolve(template, n.region, asg.MaxSize),
    asgDesired:
      asg.DesiredCapacity === undefined ? undefined : resolve(template, n.region, asg.DesiredCapacity),
    serviceDesired: resolve(template, n.region, service.DesiredCount),
  };
}

/** The simulated live values of `role`'s ASG and service. */
function live(role: RegionRole): Capacity {
  const asg = sim.world.autoscaling.ofRole(role);
  const service = sim.world.ecs.service(role, APP);
  if (asg === undefined || service === undefined) throw new Error(`no ASG or service in ${role}`);
  return { asgMin: asg.min, asgMax: asg.max, asgDesired: asg.desired, serviceDesired: service.desired };
}

/** The ASGs and services the state machines changed (accepted updates), by role. */
function changedByStateMachine(): { asgs: Set<RegionRole>; services: Set<RegionRole> } {
  const roleOf = (region: string) => REGION_ROLES.find((r) => names.regions[r].region === region);
  const asgs = new Set<RegionRole>();
  const services = new Set<RegionRole>();
  for (const c of sim.world.calls) {
    const role = roleOf(c.region);
    if (c.error !== undefined || role === undefined) continue;
    if (c.command === 'UpdateAutoScalingGroup') asgs.add(role);
    if (c.command === 'UpdateService') services.add(role);
  }
  return { asgs, services };
}

/**
 * Deploy every stack that holds a value the state machine changes, in the order `cdk deploy --all`
 * uses (network, then service), and expect each value it applies to equal the live one.
 */
function expectDeployChangesNothing(deployedNetwork: Record<RegionRole, CfnTemplate>): void {
  const changed = changedByStateMachine();
  expect(changed.asgs.size + changed.services.size).toBeGreaterThan(0);
  for (const role of REGION_ROLES) {
    expect(deployNetworkStack(role, deployedNetwork[role])).toEqual([]);
    const next = nextServiceDeploy(role);
    const now = live(role);
    // DesiredCapacity is not in the template: CloudFormation leaves the group's to its scalers.
    expect(next.asgDesired).toBeUndefined();
    if (changed.asgs.has(role)) {
      expect({ role, min: next.asgMin, max: next.asgMax }).toEqual({
        role,
        min: now.asgMin,
        max: now.asgMax,
      });
    }
    if (changed.services.has(role)) {
      expect({ role, desired: next.serviceDesired }).toEqual({ role, desired: now.serviceDesired });
    }
  }
}

/** The network templates as deployed before the drill: the same app. */
const deployedNetwork = (): Record<RegionRole, CfnTemplate> => ({
  main: templates.network('main'),
  dr: templates.network('dr'),
});

describe('a deploy after a failover or failback (issue 12)', () => {
  it('planned failover: the next deploys keep DR at the promotion’s capacity', async () => {
    // Prepare
    const before = deployedNetwork();
    const capacity = config.regions.dr.capacity;
    // Act
    await execute('dr', { mode: 'planned', reason: 'game day' });
    // Assess
    expect(changedByStateMachine().asgs).toEqual(new Set(['dr']));
    expect(live('dr')).toMatchObject({
      asgMin: capacity.promotion.minCapacity,
      serviceDesired: appServiceConfig().regions.dr.promotion.desiredCount,
    });
    // The configured sizes are what a template value would have reset DR to.
    expect(capacity.minCapacity).toBeLessThan(capacity.promotion.minCapacity);
    expectDeployChangesNothing(before);
  });

  it('unplanned failover: the next deploy of main’s service stack keeps the fenced service at 0', async () => {
    // Prepare
    const before = deployedNetwork();
    // Act
    await execute('dr', { mode: 'unplanned', reason: 'main outage' });
    // Assess
    expect(changedByStateMachine().services).toEqual(new Set(['dr', 'main']));
    expect(live('main').serviceDesired).toBe(0);
    expect(appServiceConfig().regions.main.desiredCount).toBeGreaterThan(0);
    expect(nextServiceDeploy('main').serviceDesired).toBe(0);
    expectDeployChangesNothing(before);
  });

  it('failback after an unplanned failover: the next deploys keep main serving again and DR as it was left', async () => {
    // Prepare
    const before = deployedNetwork();
    await execute('dr', { mode: 'unplanned', reason: 'main outage' });
    // Act
    await execute('main', { mode: 'planned', reason: 'failback' });
    // Assess
    expect(sim.world.rds.database(APP).global.writerRole).toBe('main');
    expect(live('main').serviceDesired).toBe(appServiceConfig().regions.main.promotion.desiredCount);
    expectDeployChangesNothing(before);
  });

  it('a config edit, not a state machine write, is what sets the capacity again', () => {
    // Prepare: DR after a failover, and a config whose DR minimum was edited.
    const edited = baseConfig();
    edited.regions.dr.capacity.minCapacity = 1;
    const editedNetwork = Template.fromStack(
      present(buildTestApp(edited).built.regions.dr.network, "dr's network stack"),
    ).toJSON() as CfnTemplate;
    const parameter = Object.values(editedNetwork.Resources).find(
      (r) =>
        r.Type === 'AWS::SSM::Parameter' &&
        r.Properties?.Name === capacityParameters(names.regions.dr).names.asgMinCapacity,
    );
    // Assess: the template value changed, so CloudFormation rewrites the parameter.
    expect(parameter?.Properties?.Value).toBe('1');
    expect(
      Object.values(templates.network('dr').Resources).find(
        (r) => r.Properties?.Name === capacityParameters(names.regions.dr).names.asgMinCapacity,
      )?.Properties?.Value,
    ).toBe(String(config.regions.dr.capacity.minCapacity));
  });

  it('the DNS stack’s records are the same whatever the traffic state: no template value selects a region', async () => {
    // Prepare
    const dnsBefore = Template.fromStack(built.dns).toJSON();
    const zoneBefore = structuredClone([...sim.world.route53.zone.records.entries()]);
    const checksBefore = structuredClone(sim.world.traffic.checks);
    expect(sim.world.dnsRole()).toBe('main');
    // Act
    await execute('dr', { mode: 'planned', reason: 'game day' });
    // Assess: traffic moved by the claims, and no record or health check changed.
    expect(sim.world.dnsRole()).toBe('dr');
    expect([...sim.world.route53.zone.records.entries()]).toEqual(zoneBefore);
    expect(sim.world.traffic.checks).toEqual(checksBefore);
    expect(failoverCalls(sim.world.calls).filter((c) => c.service === 'route53')).toEqual([]);
    // The DNS template is built from the config alone; its failover pair is fixed: main PRIMARY, DR SECONDARY.
    expect(Template.fromStack(buildTestApp().built.dns).toJSON()).toEqual(dnsBefore);
    const failover = Object.values(dnsBefore.Resources as Record<string, CfnResource>)
      .filter((r) => r.Type === 'AWS::Route53::RecordSet' && r.Properties?.Failover !== undefined)
      .map((r) => r.Properties?.Failover)
      .sort();
    expect(failover).toEqual(['PRIMARY', 'SECONDARY']);
  });

  it('the DR database stack declares no DB instance: the ones a promotion adds are not CloudFormation’s', async () => {
    // Act
    await execute('dr', { mode: 'planned', reason: 'game day' });
    // Assess
    expect(sim.world.rds.database(APP).clusterInstances('dr')).toHaveLength(
      appDatabaseConfig().regions.dr.promotion.instances,
    );
    Template.fromStack(present(built.regions.dr.database, "dr's database stack")).resourceCountIs(
      'AWS::RDS::DBInstance',
      0,
    );
  });
});
