import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../../infra/config/errors';
import { CONFIG_DIR, parseConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { partitionOf } from '../../infra/config/partition';
import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';

const BASE_YAML = readFileSync(join(CONFIG_DIR, 'base.yml'), 'utf8');

/** base.yml with each role in `regions` moved to that region (availability zones a-c). */
function yamlIn(regions: Partial<Record<RegionRole, string>>): string {
  const doc = parseDocument(BASE_YAML);
  for (const [role, region] of Object.entries(regions)) {
    doc.setIn(['regions', role, 'region'], region);
    doc.setIn(
      ['regions', role, 'availabilityZones'],
      ['a', 'b', 'c'].map((az) => `${region}${az}`),
    );
  }
  return doc.toString();
}

function parseError(text: string): ConfigError {
  try {
    parseConfig(text, 'variant.yml');
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected parseConfig to fail');
}

/** Every ARN among the values of `names`, however deeply nested. */
function arnsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('arn:') ? [value] : [];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(arnsIn);
  return [];
}

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
  ])('puts %s in %s', (region, partition) => {
    // Act
    const actual = partitionOf(region);
    // Assess
    expect(actual).toBe(partition);
  });
});

describe('config partitions', () => {
  it('accepts a GovCloud pair and names every ARN in the aws-us-gov partition', () => {
    // Prepare
    const text = yamlIn({ main: 'us-gov-west-1', dr: 'us-gov-east-1' });
    // Act
    const names = projectNames(parseConfig(text, 'gov.yml'));
    // Assess
    const arns = arnsIn({ ...names, regions: REGION_ROLES.map((r) => names.regions[r]) });
    expect(arns.length).toBeGreaterThan(10);
    expect(arns.filter((a) => !a.startsWith('arn:aws-us-gov:'))).toEqual([]);
    expect(names.regions.dr.arn('rds', 'db:*')).toBe(
      `arn:aws-us-gov:rds:us-gov-east-1:${names.regions.dr.account}:db:*`,
    );
  });

  it('accepts a China pair and names its ARNs in the aws-cn partition', () => {
    // Prepare
    const text = yamlIn({ main: 'cn-north-1', dr: 'cn-northwest-1' });
    // Act
    const names = projectNames(parseConfig(text, 'cn.yml'));
    // Assess
    expect(names.partition).toBe('aws-cn');
    expect(names.regions.main.databases[0]?.globalClusterArn).toMatch(/^arn:aws-cn:rds::/);
  });

  it.each([
    [{ dr: 'us-gov-west-1' }, 'us-east-1 is in aws, us-gov-west-1 in aws-us-gov'],
    [{ main: 'cn-north-1' }, 'cn-north-1 is in aws-cn, us-west-2 in aws'],
  ])('rejects main and DR in different partitions (%j), naming regions.dr.region', (regions, detail) => {
    // Prepare
    const text = yamlIn(regions);
    // Act
    const err = parseError(text);
    // Assess
    expect(err.message).toContain('regions.dr.region');
    expect(err.message).toContain(detail);
    expect(err.message).toContain('an Aurora global database cannot span partitions');
  });
});
