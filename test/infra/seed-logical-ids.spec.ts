import { buildTestApp } from './app-fixture';
import seedLogicalIds from './seed-logical-ids.json';

/**
 * The seed's stateful resources (VPCs, subnets, clusters, instances, buckets, load balancers,
 * services, groups, health checks, records, keys, topics, parameters, alarms) as `cdk synth -c
 * project=base` declared them before the config became lists (commit c556d48): each must keep its
 * logical id and type in the same stack, so that `cdk deploy` after an upgrade replaces nothing.
 */
describe('the seed after an upgrade', () => {
  const { app } = buildTestApp();
  const assembly = app.synth();

  it.each(Object.entries(seedLogicalIds))('%s keeps every stateful logical id', (stackName, before) => {
    // Prepare
    const template = assembly.getStackByName(stackName).template as {
      Resources?: Record<string, { Type: string }>;
    };

    // Act
    const now = Object.fromEntries(
      Object.keys(before).map((id) => [id, template.Resources?.[id]?.Type ?? 'missing']),
    );

    // Assess
    expect(now).toEqual(before);
  });
});
