import type { Stack } from 'aws-cdk-lib';
import { REGION_ROLES } from '../../infra/config/schema';
import { buildTestApp } from './app-fixture';

describe('buildApp', () => {
  const { app, built, config, names } = buildTestApp();
  const stacks: Stack[] = app.node.children.filter((c): c is Stack => 'stackName' in c);

  it('creates six stacks per region (five + the orchestrator) and the DNS stack', () => {
    expect(stacks.map((s) => s.node.id).sort()).toEqual(
      [
        'MainNetwork',
        'MainSecurityGroups',
        'MainStorage',
        'MainDatabase',
        'MainService',
        'DrNetwork',
        'DrSecurityGroups',
        'DrStorage',
        'DrDatabase',
        'DrService',
        'MainOrchestrator',
        'DrOrchestrator',
        'Dns',
      ].sort(),
    );
  });

  it.each(REGION_ROLES)('gives the %s stacks their deterministic names and an explicit env', (role) => {
    const r = built.regions[role];
    const n = names.regions[role].stacks;
    expect([r.network, r.securityGroups, r.storage, r.database, r.service].map((s) => s.stackName)).toEqual([
      n.network,
      n.securityGroups,
      n.storage,
      n.database,
      n.service,
    ]);
    for (const s of [r.network, r.securityGroups, r.storage, r.database, r.service]) {
      expect(s.account).toBe(config.regions[role].account);
      expect(s.region).toBe(config.regions[role].region);
    }
  });

  it.each(REGION_ROLES)(
    'orders the %s stacks network → security groups → storage → database → service',
    (role) => {
      const r = built.regions[role];
      expect(r.securityGroups.dependencies).toContain(r.network);
      expect(r.storage.dependencies).toContain(r.securityGroups);
      expect(r.database.dependencies).toContain(r.storage);
      expect(r.service.dependencies).toContain(r.database);
    },
  );

  it("follows the seed's deploy order across regions", () => {
    const { main, dr } = built.regions;
    expect(main.storage.dependencies).toContain(dr.storage);
    expect(dr.database.dependencies).toContain(main.database);
    expect(built.dns.dependencies).toEqual(expect.arrayContaining([main.service, dr.service]));

    // Every stack's dependencies come before it in this order: a valid `cdk deploy --all` order.
    const order = [
      main.network,
      dr.network,
      main.securityGroups,
      dr.securityGroups,
      dr.storage,
      main.storage,
      main.database,
      dr.database,
      main.service,
      dr.service,
      built.orchestrators.main,
      built.orchestrators.dr,
      built.dns,
    ];
    for (const [i, s] of order.entries()) {
      for (const dep of s.dependencies) {
        expect(order.indexOf(dep)).toBeGreaterThanOrEqual(0);
        expect(order.indexOf(dep)).toBeLessThan(i);
      }
    }
  });

  it.each(REGION_ROLES)('deploys the %s orchestrator after its own region’s service only', (role) => {
    expect(built.orchestrators[role].dependencies).toEqual([built.regions[role].service]);
    expect(built.orchestrators[role].stackName).toBe(names.regions[role].stacks.orchestrator);
  });

  it('links the regions only by names: no cross-region references', () => {
    const assembly = app.synth();
    for (const artifact of assembly.stacks) {
      const types = Object.values(artifact.template.Resources ?? {}).map((r) => (r as { Type: string }).Type);
      expect(types.filter((t) => t.startsWith('Custom::CrossRegion'))).toEqual([]);
    }
  });
});
