import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { analyzeDrill } from '../../drill/analysis/analyze';
import { ALB_ADDRESSES } from '../../drill/sim/route53/dns';
import type { World } from '../../drill/sim/world';
import { drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { projectNames } from '../../infra/config/names';
import { authoritativeAnswers } from '../../lambdas/shared/dns-answers';
import {
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  trafficClaimDimensions,
} from '../../lambdas/shared/traffic-claim';
import { THREE_HOSTNAMES, threeHostnamesConfig } from '../fixtures/drill/three-hostnames';
import { DR, inSimulation, makeWorld, prepareDrill, readinessDrillOf, sleep } from './sim-helpers';

/**
 * An application with three hostnames (`dns.records`): each a failover pair on the same traffic
 * claim, so the simulator answers, lists and moves them together, and the drill judges each.
 */

const config = threeHostnamesConfig();
const names = projectNames(config);
const zone = config.dns.hostedZoneId;
const route53 = new Route53Client({ region: DR });
/** Synthesis takes seconds: the file synthesizes the project once (both roles). */
const SYNTH_TIMEOUT_MS = 180_000;

function world3(): World {
  return makeWorld({ alarmEvaluationDelaySeconds: 10, route53HealthCheckLagSeconds: 10 }, 'dr', config);
}

/** Each hostname's A answer from the zone's name servers. */
async function answers(): Promise<string[][]> {
  const r = authoritativeAnswers(config.dns.zoneName);
  return Promise.all(THREE_HOSTNAMES.map((h) => r.resolve4(h)));
}

/** Every record of the zone, page by page (`MaxItems` each), resuming from each page's Next*. */
async function listAll(maxItems: number): Promise<{ pages: number; records: ResourceRecordSet[] }> {
  const records: ResourceRecordSet[] = [];
  let next: Partial<ListResourceRecordSetsCommandInput> = {};
  for (let pages = 1; ; pages++) {
    const out = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zone, MaxItems: maxItems, ...next }),
    );
    records.push(...(out.ResourceRecordSets ?? []));
    if (out.IsTruncated !== true) return { pages, records };
    next = {
      StartRecordName: out.NextRecordName,
      StartRecordType: out.NextRecordType,
      ...(out.NextRecordIdentifier === undefined ? {} : { StartRecordIdentifier: out.NextRecordIdentifier }),
    };
  }
}

const key = (r: ResourceRecordSet) =>
  `${r.Name} ${r.Type}${r.SetIdentifier === undefined ? '' : ` ${r.SetIdentifier}`}`;

/** The zone as Route 53 lists it: labels reversed, then type, the failover pairs by set identifier. */
const ZONE_ORDER = [
  'example.com. NS',
  'example.com. SOA',
  'api.example.com. A dr',
  'api.example.com. A main',
  'app.example.com. A dr',
  'app.example.com. A main',
  'dr.app.example.com. A',
  'main.app.example.com. A',
  'www.example.com. A dr',
  'www.example.com. A main',
];

describe('three hostnames in the simulator', () => {
  it('answers every hostname main at rest, and every one DR once DR claims traffic', async () => {
    // Prepare
    const world = world3();

    // Act
    const [before, after] = await inSimulation(world, async () => {
      const at = await answers();
      await new CloudWatchClient({ region: DR }).send(
        new PutMetricDataCommand({
          Namespace: TRAFFIC_CLAIM_NAMESPACE,
          MetricData: [
            {
              MetricName: TRAFFIC_CLAIM_METRIC,
              Dimensions: trafficClaimDimensions(config.project, 'dr'),
              Value: 1,
            },
          ],
        }),
      );
      await sleep(120);
      return [at, await answers()];
    });

    // Assess
    expect(before).toEqual(THREE_HOSTNAMES.map(() => [...ALB_ADDRESSES.main]));
    expect(after).toEqual(THREE_HOSTNAMES.map(() => [...ALB_ADDRESSES.dr]));
    expect(world.dnsAnswers()).toEqual(
      THREE_HOSTNAMES.map((recordName) => ({
        recordName,
        role: 'dr',
        target: names.regions.dr.regionalRecordName,
      })),
    );
    expect(world.dnsRole()).toBe('dr');
  });

  it('has no single role when one hostname answers elsewhere', () => {
    // Prepare
    const world = world3();

    // Act
    world.route53.failoverPairs.delete('www.example.com');

    // Assess
    expect(world.dnsRegion('www.example.com')).toEqual({ target: 'www.example.com (missing)' });
    expect(world.dnsRegion('api.example.com').role).toBe('main');
    expect(world.dnsRole()).toBeUndefined();
  });

  it.each([1, 3, 4, 300])(
    'ListResourceRecordSets pages over all six failover records in Route 53 order (MaxItems %i)',
    async (maxItems) => {
      // Act
      const { pages, records } = await inSimulation(world3(), () => listAll(maxItems));

      // Assess
      expect(records.map(key)).toEqual(ZONE_ORDER);
      expect(pages).toBe(Math.ceil(ZONE_ORDER.length / maxItems));
      const failover = records.filter((r) => r.Failover !== undefined);
      expect(failover).toHaveLength(6);
      const primaries = failover.filter((r) => r.Failover === 'PRIMARY');
      // Every hostname on the same (calculated) health check; the aliases are named after the first.
      expect(new Set(primaries.map((r) => r.HealthCheckId)).size).toBe(1);
      expect(primaries.every((r) => r.SetIdentifier === 'main')).toBe(true);
      expect(failover.map((r) => `${r.Failover} ${r.AliasTarget?.DNSName}`)).toEqual(
        [0, 1, 2].flatMap(() => ['SECONDARY dr.app.example.com.', 'PRIMARY main.app.example.com.']),
      );
    },
  );

  it.each(THREE_HOSTNAMES)(
    'ListResourceRecordSets from %s (type A) starts at its failover pair',
    async (hostname) => {
      // Act
      const out = await inSimulation(world3(), () =>
        route53.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zone,
            StartRecordName: hostname,
            StartRecordType: 'A',
            MaxItems: 2,
          }),
        ),
      );

      // Assess
      expect(out.ResourceRecordSets?.map(key)).toEqual([`${hostname}. A dr`, `${hostname}. A main`]);
    },
  );

  it('sorts by the name with its trailing dot, as Route 53 does: app-eu.example.com before app.example.com', async () => {
    // Prepare
    const world = world3();

    // Act
    const listed = await inSimulation(world, async () => {
      await route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'app-eu.example.com',
                  Type: 'TXT',
                  TTL: 60,
                  ResourceRecords: [{ Value: '"x"' }],
                },
              },
            ],
          },
        }),
      );
      const all = await listAll(300);
      const fromApp = await route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: 'app.example.com' }),
      );
      return { all: all.records.map(key), fromApp: fromApp.ResourceRecordSets?.map(key) ?? [] };
    });

    // Assess: com.example.app-eu. < com.example.app. ('-' sorts before '.')
    expect(listed.all.slice(2, 7)).toEqual([
      'api.example.com. A dr',
      'api.example.com. A main',
      'app-eu.example.com. TXT',
      'app.example.com. A dr',
      'app.example.com. A main',
    ]);
    expect(listed.fromApp).not.toContain('app-eu.example.com. TXT');
    expect(listed.fromApp[0]).toBe('app.example.com. A dr');
  });
});

describe('a drill of three hostnames', () => {
  let prepared: PreparedDrill;
  beforeAll(async () => {
    prepared = await prepareDrill(config, 'dr', 'base');
  }, SYNTH_TIMEOUT_MS);

  it('planned: every hostname answers DR, the state left and the invariant name all three', async () => {
    // Act
    const { run, analysis } = await drillOnce(prepared);

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expect(run.world.dnsAnswers().map((a) => [a.recordName, a.role])).toEqual(
      THREE_HOSTNAMES.map((h) => [h, 'dr']),
    );
    expect(analysis.stateLeft.hostnames?.map((h) => [h.record, h.role, h.region])).toEqual(
      THREE_HOSTNAMES.map((h) => [h, 'dr', 'us-west-2']),
    );
    expect(analysis.stateLeft.dns).toMatchObject({ record: 'app.example.com', role: 'dr' });
    expect(analysis.stateLeft.summary).toBe(
      'database writer in us-west-2 (dr); app.example.com, api.example.com, www.example.com → us-west-2 (dr)',
    );
    const dns = analysis.invariants.find((i) => i.name === 'DNS points at the writer region');
    expect(dns).toEqual({
      name: 'DNS points at the writer region',
      held: true,
      detail:
        'app.example.com → dr.app.example.com (us-west-2), api.example.com → dr.app.example.com (us-west-2), www.example.com → dr.app.example.com (us-west-2), writer in us-west-2',
    });
    expect(analysis.invariants.filter((i) => !i.held)).toEqual([]);
    // The DNS step read every hostname from the name servers.
    const asked = new Set(
      run.world.calls
        .filter((c) => c.command === 'resolve4' && c.state === 'FlipDns')
        .map((c) => (c.input as { name: string }).name),
    );
    for (const h of THREE_HOSTNAMES) expect(asked).toContain(h);
  });

  it('judges every hostname: one left behind breaks the invariant, names it, and the state is split', async () => {
    // Prepare
    const { run } = await drillOnce(prepared);
    run.world.route53.failoverPairs.delete('www.example.com');

    // Act
    const analysis = analyzeDrill(run, { configName: 'base' });

    // Assess
    const dns = analysis.invariants.find((i) => i.name === 'DNS points at the writer region');
    expect(dns?.held).toBe(false);
    expect(dns?.detail).toContain('www.example.com → www.example.com (missing) (unknown region)');
    expect(dns?.detail).toContain('api.example.com → dr.app.example.com (us-west-2)');
    expect(analysis.stateLeft.split).toBe(true);
    expect(analysis.stateLeft.summary).toBe(
      'SPLIT: the database writes in us-west-2 (dr) but www.example.com still resolves to no region: traffic is not at the writer',
    );
  });
});

describe('the readiness drill of three hostnames', () => {
  it(
    "passes traffic-routing: it lists every hostname's failover pair",
    async () => {
      // Act
      const { report, world } = await readinessDrillOf(config);

      // Assess
      const routing = report.checks.find((c) => c.id === 'traffic-routing');
      expect(routing?.status).toBe('PASS');
      for (const h of THREE_HOSTNAMES) expect(routing?.what).toContain(h);
      const started = world.calls
        .filter((c) => c.command === 'ListResourceRecordSets')
        .map((c) => (c.input as ListResourceRecordSetsCommandInput).StartRecordName);
      expect(started).toEqual(expect.arrayContaining([...THREE_HOSTNAMES]));
      expect(report.ready).toBe(true);
    },
    SYNTH_TIMEOUT_MS,
  );
});
