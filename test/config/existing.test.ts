import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'yaml';
import { loadConfig } from '../../infra/config/load';
import { ConfigSchema, deploysServices, deploysVpc, type ProjectConfig } from '../../infra/config/schema';
import { loadError, projectYaml, variantName, writeVariant } from './config-fixture';

/** project-config/existing-app.yml: every service, database and bucket is the team's. */
const EXISTING_YAML = projectYaml('existing-app');

/** `config` with its entries and capacity changed by `edit`, parsed again by the schema. */
function reparse(config: ProjectConfig, edit: (draft: ProjectConfig) => void): ProjectConfig {
  const draft = structuredClone(config);
  edit(draft);
  return ConfigSchema.parse(draft);
}

describe('existing resources (config)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pilot-light-existing-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The error loading `source` changed by `edit` gives, written under a name taken from `what`. */
  const errorOf = (what: string, edit: (doc: Document) => void, source = EXISTING_YAML): string => {
    const name = variantName(what);
    writeVariant(dir, name, edit, source);
    const message = loadError(name, dir).message;
    expect(message.startsWith(`project-config/${name}.yml: invalid configuration\n`)).toBe(true);
    return message;
  };
  /** What `source` changed by `edit` loads as. */
  const loadVariant = (what: string, edit: (doc: Document) => void, source = EXISTING_YAML) => {
    const name = variantName(what);
    writeVariant(dir, name, edit, source);
    return loadConfig(name, dir);
  };

  describe('existing-app.yml', () => {
    const config = loadConfig('existing-app');

    it('names the team’s clusters, services, buckets and load balancers, and deploys neither services nor a VPC', () => {
      // Assess
      expect(config.databases.map((d) => d.existing)).toEqual([
        {
          globalClusterId: 'ledger-global',
          regions: { main: { clusterId: 'ledger-use1' }, dr: { clusterId: 'ledger-usw2' } },
        },
        {
          globalClusterId: 'ledger-audit-global',
          regions: { main: { clusterId: 'ledger-audit-use1' }, dr: { clusterId: 'ledger-audit-usw2' } },
        },
      ]);
      expect(config.services.map((s) => s.existing?.regions.dr.serviceName)).toEqual([
        'ledger-web',
        'ledger-api',
      ]);
      expect(config.buckets.map((b) => b.existing?.regions.main)).toEqual([
        { bucketName: 'ledger-statements-use1', replicationRuleId: 'to-usw2' },
      ]);
      expect(config.regions.dr.capacity.existing).toEqual({
        ecsCluster: 'ledger-prod-usw2',
        autoScalingGroupName: 'ledger-prod-usw2-ecs',
        loadBalancer: {
          dnsName: 'ledger-prod-usw2-0987654321.us-west-2.elb.amazonaws.com',
          canonicalHostedZoneId: 'Z1H1FL5HABSF5',
        },
      });
      expect(config.dns.records.map((r) => r.existing)).toEqual([undefined, { records: 'attach' }]);
      expect(deploysServices(config)).toBe(false);
      expect(deploysVpc(config)).toBe(false);
    });

    it('needs no databaseName, vpcCidr or natGateways: pilot-light creates no database and no VPC', () => {
      // Assess
      expect(config.databases.map((d) => d.databaseName)).toEqual([undefined, undefined]);
      for (const role of ['main', 'dr'] as const) {
        expect(config.regions[role].vpcCidr).toBeUndefined();
        expect(config.regions[role].natGateways).toBeUndefined();
      }
    });
  });

  describe('deploysServices and deploysVpc', () => {
    const base = loadConfig('base');
    const existing = loadConfig('existing-app');

    it('deploy services and a VPC for base.yml', () => {
      // Assess
      expect(deploysServices(base)).toBe(true);
      expect(deploysVpc(base)).toBe(true);
    });

    it('deploy a VPC, and no services, when one database is not existing', () => {
      // Act
      const config = reparse(existing, (draft) => {
        const [first] = draft.databases;
        if (first === undefined) throw new Error('existing-app.yml: expected a database');
        delete first.existing;
        first.databaseName = 'ledger';
        for (const role of ['main', 'dr'] as const) {
          draft.regions[role].vpcCidr = role === 'main' ? '10.40.0.0/16' : '10.41.0.0/16';
          draft.regions[role].natGateways = 1;
        }
      });
      // Assess
      expect(deploysServices(config)).toBe(false);
      expect(deploysVpc(config)).toBe(true);
    });

    it('deploy no VPC for a deployed bucket: buckets need none', () => {
      // Act
      const config = reparse(existing, (draft) => {
        for (const bucket of draft.buckets) delete bucket.existing;
      });
      // Assess
      expect(deploysVpc(config)).toBe(false);
    });
  });

  const shapes: [string, (doc: Document) => void, RegExp][] = [
    [
      'a fallback DB instance class that is not a class',
      (doc) =>
        doc.setIn(['databases', 0, 'regions', 'dr', 'promotion', 'fallbackInstanceClasses'], ['r7g.large']),
      /- databases\[0\]\.regions\.dr\.promotion\.fallbackInstanceClasses\[0\]: expected an RDS instance class such as db\.r6g\.large, got 'r7g\.large'/,
    ],
    [
      'a cluster id with a double hyphen',
      (doc) => doc.setIn(['databases', 0, 'existing', 'regions', 'dr', 'clusterId'], 'ledger--usw2'),
      /- databases\[0\]\.existing\.regions\.dr\.clusterId: expected an RDS identifier: 1-63 letters, digits or hyphens, starting with a letter, no double or trailing hyphen, got 'ledger--usw2'/,
    ],
    [
      'a global cluster id starting with a digit',
      (doc) => doc.setIn(['databases', 1, 'existing', 'globalClusterId'], '1-audit'),
      /- databases\[1\]\.existing\.globalClusterId: expected an RDS identifier: .*, got '1-audit'/,
    ],
    [
      'a cluster id with a trailing hyphen',
      (doc) => doc.setIn(['databases', 0, 'existing', 'regions', 'main', 'clusterId'], 'ledger-use1-'),
      /- databases\[0\]\.existing\.regions\.main\.clusterId: expected an RDS identifier/,
    ],
    [
      'a cluster id longer than 63 characters',
      (doc) => doc.setIn(['databases', 0, 'existing', 'regions', 'main', 'clusterId'], `l${'e'.repeat(63)}`),
      /- databases\[0\]\.existing\.regions\.main\.clusterId: expected an RDS identifier/,
    ],
    [
      'an existing database without its DR cluster',
      (doc) => doc.deleteIn(['databases', 0, 'existing', 'regions', 'dr']),
      /- databases\[0\]\.existing\.regions\.dr: expected object \(missing\)/,
    ],
    [
      'an existing database naming its instances',
      (doc) => doc.setIn(['databases', 0, 'existing', 'regions', 'main', 'instanceId'], 'ledger-use1-1'),
      /- databases\[0\]\.existing\.regions\.main: unknown key 'instanceId'/,
    ],
    [
      'an upper-case bucket name',
      (doc) => doc.setIn(['buckets', 0, 'existing', 'regions', 'dr', 'bucketName'], 'Ledger_Statements'),
      /- buckets\[0\]\.existing\.regions\.dr\.bucketName: expected an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens, got 'Ledger_Statements'/,
    ],
    [
      'a bucket name with two dots in a row',
      (doc) => doc.setIn(['buckets', 0, 'existing', 'regions', 'main', 'bucketName'], 'ledger..statements'),
      /- buckets\[0\]\.existing\.regions\.main\.bucketName: expected an S3 bucket name/,
    ],
    [
      'an existing bucket without its replication rule id',
      (doc) => doc.deleteIn(['buckets', 0, 'existing', 'regions', 'main', 'replicationRuleId']),
      /- buckets\[0\]\.existing\.regions\.main\.replicationRuleId: expected string \(missing\)/,
    ],
    [
      'a load balancer DNS name outside elb',
      (doc) =>
        doc.setIn(
          ['regions', 'main', 'capacity', 'existing', 'loadBalancer', 'dnsName'],
          'app.ledger.example.com',
        ),
      /- regions\.main\.capacity\.existing\.loadBalancer\.dnsName: expected a load balancer's DNS name \(….elb.amazonaws.com\), got 'app\.ledger\.example\.com'/,
    ],
    [
      'a load balancer hosted zone id in lower case',
      (doc) =>
        doc.setIn(
          ['regions', 'dr', 'capacity', 'existing', 'loadBalancer', 'canonicalHostedZoneId'],
          'z1h1fl5habsf5',
        ),
      /- regions\.dr\.capacity\.existing\.loadBalancer\.canonicalHostedZoneId: expected the load balancer's canonical hosted zone id, got 'z1h1fl5habsf5'/,
    ],
    [
      'an ECS cluster name with a space',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'existing', 'ecsCluster'], 'ledger prod'),
      /- regions\.dr\.capacity\.existing\.ecsCluster: expected an ECS cluster name: letters, digits, hyphens or underscores, got 'ledger prod'/,
    ],
    [
      'an Auto Scaling group name with a slash',
      (doc) => doc.setIn(['regions', 'main', 'capacity', 'existing', 'autoScalingGroupName'], 'ledger/ecs'),
      /- regions\.main\.capacity\.existing\.autoScalingGroupName: expected an Auto Scaling group name: .*, got 'ledger\/ecs'/,
    ],
    [
      'an ECS service name with a colon',
      (doc) => doc.setIn(['services', 1, 'existing', 'regions', 'main', 'serviceName'], 'ledger:api'),
      /- services\[1\]\.existing\.regions\.main\.serviceName: expected an ECS service name: .*, got 'ledger:api'/,
    ],
    [
      "fallback instance types for the team's Auto Scaling group",
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'fallbackInstanceTypes'], ['t3a.small']),
      /- regions\.dr\.capacity\.fallbackInstanceTypes: expected none with capacity\.existing: the Auto Scaling group is the team's/,
    ],
    [
      "a reservation for the team's Auto Scaling group",
      (doc) => doc.setIn(['regions', 'main', 'capacity', 'reservation'], doc.createNode({ instances: 1 })),
      /- regions\.main\.capacity\.reservation: expected none with capacity\.existing/,
    ],
    [
      'an existing record mode other than attach',
      (doc) => doc.setIn(['dns', 'records', 1, 'existing', 'records'], 'replace'),
      /- dns\.records\[1\]\.existing\.records: expected 'attach', got 'replace'/,
    ],
  ];

  it.each(shapes)('refuses %s, naming the key path', (what, edit, expected) => {
    // Act
    const message = errorOf(what, edit);
    // Assess
    expect(message).toMatch(expected);
  });

  it('refuses a mix of existing and deployed services at the first deployed one', () => {
    // Act
    const message = errorOf('a deployed service beside an existing one', (doc) =>
      doc.deleteIn(['services', 1, 'existing']),
    );
    // Assess
    expect(message).toMatch(
      /- services\[1\]\.existing: expected every service existing or none: one ECS cluster per region runs them all/,
    );
  });

  it('refuses existing services without the team’s cluster in a region', () => {
    // Act
    const message = errorOf('existing services without capacity.existing', (doc) =>
      doc.deleteIn(['regions', 'dr', 'capacity', 'existing']),
    );
    // Assess
    expect(message).toMatch(
      /- regions\.dr\.capacity\.existing: expected the team's ECS cluster, Auto Scaling group and load balancer: the services are existing/,
    );
    expect(message).not.toMatch(/regions\.main\.capacity/);
  });

  it('refuses the team’s cluster when pilot-light deploys the services', () => {
    // Act
    const message = errorOf(
      'capacity.existing beside deployed services',
      (doc) =>
        doc.setIn(
          ['regions', 'main', 'capacity', 'existing'],
          doc.createNode({
            ecsCluster: 'team-cluster',
            autoScalingGroupName: 'team-asg',
            loadBalancer: {
              dnsName: 'team-1234.us-east-1.elb.amazonaws.com',
              canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
            },
          }),
        ),
      projectYaml('base'),
    );
    // Assess
    expect(message).toMatch(
      /- regions\.main\.capacity\.existing: expected no existing cluster: pilot-light deploys the services/,
    );
  });

  it('requires databaseName for a deployed database only', () => {
    // Act
    const deployed = errorOf(
      'a deployed database without databaseName',
      (doc) => doc.deleteIn(['databases', 0, 'databaseName']),
      projectYaml('base'),
    );
    const existing = loadVariant(
      'an existing database without databaseName',
      (doc) => {
        doc.deleteIn(['databases', 0, 'databaseName']);
        doc.setIn(
          ['databases', 0, 'existing'],
          doc.createNode({
            globalClusterId: 'team-global',
            regions: { main: { clusterId: 'team-use1' }, dr: { clusterId: 'team-usw2' } },
          }),
        );
      },
      projectYaml('base'),
    );
    // Assess
    expect(deployed).toMatch(
      /- databases\[0\]\.databaseName: expected the database the main cluster creates \(required unless the entry is existing\)/,
    );
    expect(existing.databases[0]?.databaseName).toBeUndefined();
    expect(existing.databases[0]?.existing?.globalClusterId).toBe('team-global');
  });

  it('requires vpcCidr and natGateways in both regions once a database is deployed', () => {
    // Act
    const message = errorOf('a deployed database without a VPC', (doc) => {
      doc.deleteIn(['databases', 1, 'existing']);
      doc.setIn(['databases', 1, 'databaseName'], 'audit');
    });
    // Assess
    for (const path of ['main\\.vpcCidr', 'main\\.natGateways', 'dr\\.vpcCidr', 'dr\\.natGateways']) {
      expect(message).toMatch(
        new RegExp(`- regions\\.${path}: expected a value: pilot-light deploys a VPC in this region`),
      );
    }
  });

  it('loads a deployed database once the VPC is given', () => {
    // Act
    const config = loadVariant('a deployed database with its VPC', (doc) => {
      doc.deleteIn(['databases', 1, 'existing']);
      doc.setIn(['databases', 1, 'databaseName'], 'audit');
      for (const [role, cidr] of [
        ['main', '10.40.0.0/16'],
        ['dr', '10.41.0.0/16'],
      ] as const) {
        doc.setIn(['regions', role, 'vpcCidr'], cidr);
        doc.setIn(['regions', role, 'natGateways'], 1);
      }
    });
    // Assess
    expect(deploysVpc(config)).toBe(true);
    expect(config.regions.dr.vpcCidr).toBe('10.41.0.0/16');
  });

  it('needs no vpcCidr for a deployed bucket beside existing services and databases', () => {
    // Act
    const config = loadVariant('a deployed bucket without a VPC', (doc) =>
      doc.deleteIn(['buckets', 0, 'existing']),
    );
    // Assess
    expect(config.buckets[0]?.existing).toBeUndefined();
    expect(config.regions.main.vpcCidr).toBeUndefined();
  });
});
