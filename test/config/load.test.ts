import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Document } from 'yaml';
import { listProjects, loadConfig } from '../../infra/config/load';
import { loadError, projectYaml, variantName, writeVariant } from './config-fixture';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'config');
const BASE_YAML = projectYaml('base');

/** The first entry of the list at `key` of `doc`, as plain data (to add a variant of it). */
function firstEntryOf(doc: Document, key: 'services' | 'databases'): Record<string, unknown> {
  const list: unknown = doc.toJS()[key];
  if (!Array.isArray(list) || typeof list[0] !== 'object' || list[0] === null) {
    throw new Error(`base.yml: expected a list at ${key}`);
  }
  return list[0] as Record<string, unknown>;
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pilot-light-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads base.yml as the seed asks', () => {
    const config = loadConfig('base');
    expect(config.regions.main.natGateways).toBe(3);
    expect(config.databases).toHaveLength(1);
    expect(config.databases[0]?.regions.main.instances).toBe(3); // writer + 2 readers
    expect(config.regions.main.capacity).toMatchObject({ minCapacity: 3, maxCapacity: 3 });
    expect(config.databases[0]?.regions.dr.instances).toBe(0);
    expect(config.regions.dr.capacity).toMatchObject({ minCapacity: 0 });
    expect(config.services).toHaveLength(1);
    expect(config.services[0]?.regions.dr.desiredCount).toBe(0);
    expect(config.regions.main.availabilityZones.length).toBeGreaterThan(0);
  });

  it('loads shop.yml: three services, two databases, two buckets, three hostnames, each routed to its service', () => {
    // Act
    const config = loadConfig('shop');
    // Assess
    expect(config.services.map((s) => s.name)).toEqual(['web', 'api', 'admin']);
    expect(config.databases.map((d) => d.name)).toEqual(['app', 'orders']);
    expect(config.buckets.map((b) => b.name)).toEqual(['data', 'media']);
    expect(config.dns.records.map((r) => [r.recordName, r.service])).toEqual([
      ['www.shop.example.com', 'web'],
      ['api.shop.example.com', 'api'],
      ['admin.shop.example.com', 'admin'],
    ]);
  });

  it.each(listProjects())('validates project-config/%s.yml', (project) => {
    expect(() => loadConfig(project)).not.toThrow();
  });

  it('fails without -c project and lists the available projects', () => {
    expect(loadError(undefined).message).toMatch(
      /^missing project: pass -c project=<name> \(available: .*base/,
    );
  });

  it('fails on an unknown project and lists the available ones', () => {
    expect(loadError('nope').message).toMatch(
      /^unknown project 'nope': no project-config\/nope\.yml \(available: .*base.*\)$/,
    );
  });

  it.each([
    ['a path', '../base'],
    ['a dot', 'base.yml'],
    ['a number', 42],
  ])('refuses a project name with %s before touching the file system', (_what, project) => {
    // Act
    const message = loadError(project).message;
    // Assess
    expect(message).toBe(`invalid project name ${JSON.stringify(project)}: expected letters, digits, - or _`);
  });

  it('says no projects are available when the config directory is missing or empty', () => {
    // Prepare
    const missing = join(dir, 'does-not-exist');
    const empty = mkdtempSync(join(dir, 'empty-'));
    // Act
    const withoutProject = loadError('', missing).message;
    const unknown = loadError('base', empty).message;
    // Assess
    expect(listProjects(missing)).toEqual([]);
    expect(withoutProject).toBe(
      'missing project: pass -c project=<name> (available: none in project-config/)',
    );
    expect(unknown).toBe("unknown project 'base': no project-config/base.yml (available: none)");
  });

  it('lists only the .yml files of the directory, sorted', () => {
    // Prepare
    const projects = mkdtempSync(join(dir, 'projects-'));
    for (const f of ['zeta.yml', 'alpha.yml', 'notes.txt', 'config.schema.json']) {
      writeFileSync(join(projects, f), '');
    }
    // Act
    const names = listProjects(projects);
    // Assess
    expect(names).toEqual(['alpha', 'zeta']);
  });

  it('defaults backups on: daily at 05:00 UTC, 35 days each side, a 26-hour copy target', () => {
    expect(loadConfig('base').backups).toEqual({
      enabled: true,
      schedule: 'cron(0 5 * * ? *)',
      retentionDays: 35,
      copyRetentionDays: 35,
      copyTargetHours: 26,
    });
  });

  it("accepts each region's own certificate, and a DR account of its own with one", () => {
    // Prepare
    const arn = (region: string, account: string) =>
      `arn:aws:acm:${region}:${account}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
    writeVariant(dir, 'own-certificates', (doc) => {
      doc.setIn(['regions', 'main', 'certificateArn'], arn('us-east-1', '111111111111'));
      doc.setIn(['regions', 'dr', 'account'], '222222222222');
      doc.setIn(['regions', 'dr', 'certificateArn'], arn('us-west-2', '222222222222'));
    });
    // Act
    const config = loadConfig('own-certificates', dir);
    // Assess
    expect(config.regions.dr.certificateArn).toBe(arn('us-west-2', '222222222222'));
  });

  it('accepts a record name at the zone apex', () => {
    // Prepare
    writeVariant(dir, 'apex', (doc) => doc.setIn(['dns', 'records', 0, 'recordName'], 'example.com'));
    // Act
    const config = loadConfig('apex', dir);
    // Assess
    expect(config.dns.records[0]?.recordName).toBe('example.com');
  });

  it('fails on invalid YAML with the file and position', () => {
    copyFileSync(join(FIXTURES, 'broken-yaml.txt'), join(dir, 'broken.yml'));
    const message = loadError('broken', dir).message;
    expect(message).toMatch(/^project-config\/broken\.yml: invalid YAML \(line \d+, column \d+\): /);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('fails on a duplicate key with the file and position', () => {
    // Prepare
    writeFileSync(join(dir, 'twice.yml'), `${BASE_YAML}\nproject: again\n`);
    // Act
    const message = loadError('twice', dir).message;
    // Assess
    expect(message).toMatch(
      /^project-config\/twice\.yml: invalid YAML \(line \d+, column 1\): Map keys must be unique/,
    );
  });

  const cases: [string, (doc: Document) => void, RegExp][] = [
    [
      'an unknown key',
      (doc) => doc.setIn(['regions', 'main', 'natGateway'], 3),
      /- regions\.main: unknown key 'natGateway'/,
    ],
    [
      'a wrong type',
      (doc) => doc.setIn(['regions', 'main', 'capacity', 'minCapacity'], 'three'),
      /- regions\.main\.capacity\.minCapacity: expected number, got 'three'/,
    ],
    [
      'a negative NAT gateway count',
      (doc) => doc.setIn(['regions', 'main', 'natGateways'], -1),
      /- regions\.main\.natGateways: expected >= 0, got -1/,
    ],
    [
      'more than 16 instances (more than 15 readers)',
      (doc) => doc.setIn(['databases', 0, 'regions', 'main', 'instances'], 17),
      /- databases\[0\]\.regions\.main\.instances: expected <= 16, got 17/,
    ],
    [
      'main and DR in the same region',
      (doc) => {
        doc.setIn(['regions', 'dr', 'region'], 'us-east-1');
        doc.setIn(['regions', 'dr', 'availabilityZones'], doc.createNode(['us-east-1a', 'us-east-1b']));
      },
      /- regions\.dr\.region: expected a region different from regions\.main\.region \(both are us-east-1\)/,
    ],
    [
      'a DR maxCapacity below its minCapacity',
      (doc) => {
        doc.setIn(['regions', 'dr', 'capacity', 'minCapacity'], 2);
        doc.setIn(['regions', 'dr', 'capacity', 'maxCapacity'], 1);
      },
      /- regions\.dr\.capacity\.maxCapacity: expected maxCapacity >= minCapacity \(1 < 2\)/,
    ],
    [
      'a wait setting below its minimum (the schema preflight shares)',
      (doc) => doc.setIn(['failover', 'dns', 'pollSeconds'], 0),
      /- failover\.dns\.pollSeconds: expected >= 1, got 0/,
    ],
    [
      'a fractional wait setting',
      (doc) => doc.setIn(['failover', 'promotion', 'budgetMinutes'], 5.5),
      /- failover\.promotion\.budgetMinutes: expected integer, got 5\.5/,
    ],
    [
      'a wait setting the schema does not know',
      (doc) => doc.setIn(['failover', 'promotion', 'unplannedExpectedWaitSeconds'], 60),
      /- failover\.promotion: unknown key 'unplannedExpectedWaitSeconds'/,
    ],
    [
      'several unknown keys in one place',
      (doc) => {
        doc.setIn(['services', 0, 'port'], 80);
        doc.setIn(['services', 0, 'replicas'], 2);
      },
      /- services\[0\]: unknown keys 'port', 'replicas'/,
    ],
    [
      'a missing required key',
      (doc) => doc.deleteIn(['regions', 'dr', 'account']),
      /- regions\.dr\.account: expected string \(missing\)/,
    ],
    [
      'no VPC CIDR where pilot-light deploys a VPC',
      (doc) => doc.deleteIn(['regions', 'dr', 'vpcCidr']),
      /- regions\.dr\.vpcCidr: expected a value: pilot-light deploys a VPC in this region \(a service or database is not existing\)/,
    ],
    [
      'a list where a mapping is expected',
      (doc) => doc.setIn(['regions', 'main', 'capacity'], doc.createNode([1, 2])),
      /- regions\.main\.capacity: expected object, got a list of 2/,
    ],
    [
      'fewer than two availability zones',
      (doc) => {
        doc.setIn(['regions', 'main', 'availabilityZones'], doc.createNode(['us-east-1a']));
        doc.setIn(['regions', 'main', 'natGateways'], 1);
      },
      /- regions\.main\.availabilityZones: expected at least 2 items, got a list of 1/,
    ],
    [
      'an availability zone of another region',
      (doc) => doc.setIn(['regions', 'dr', 'availabilityZones', 1], 'us-east-1b'),
      /- regions\.dr\.availabilityZones\[1\]: expected an availability zone of us-west-2, got us-east-1b/,
    ],
    [
      'more NAT gateways than availability zones',
      (doc) => doc.setIn(['regions', 'dr', 'natGateways'], 4),
      /- regions\.dr\.natGateways: expected at most one NAT gateway per availability zone \(3\)/,
    ],
    [
      'a promotion ASG minimum above the ASG maximum',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'promotion', 'minCapacity'], 4),
      /- regions\.dr\.capacity\.promotion\.minCapacity: expected at most capacity\.maxCapacity \(3\)/,
    ],
    [
      'a main region without a writer',
      (doc) => doc.setIn(['databases', 0, 'regions', 'main', 'instances'], 0),
      /- databases\[0\]\.regions\.main\.instances: expected at least 1: the main cluster needs a writer/,
    ],
    [
      'more alarm datapoints than evaluation periods',
      (doc) => doc.setIn(['failover', 'alarm', 'datapointsToAlarm'], 4),
      /- failover\.alarm\.datapointsToAlarm: expected at most evaluationPeriods \(3\)/,
    ],
    [
      'an alarm region that is not a role',
      (doc) => doc.setIn(['failover', 'alarm', 'regions'], doc.createNode(['eu'])),
      /- failover\.alarm\.regions\[0\]: expected one of 'main', 'dr', got 'eu'/,
    ],
    [
      'a notification address that is not an email',
      (doc) => doc.setIn(['failover', 'notificationEmails'], doc.createNode(['ops at example.com'])),
      /- failover\.notificationEmails\[0\]: expected a valid email, got 'ops at example\.com'/,
    ],
    [
      'a record name outside the zone',
      (doc) => doc.setIn(['dns', 'records', 0, 'recordName'], 'app.example.org'),
      /- dns\.records\[0\]\.recordName: expected a name inside the zone example\.com/,
    ],
    [
      'a record name that only ends with the zone name',
      (doc) => doc.setIn(['dns', 'records', 0, 'recordName'], 'app.notexample.com'),
      /- dns\.records\[0\]\.recordName: expected a name inside the zone example\.com/,
    ],
    [
      'the former single dns.recordName, naming where it moved',
      (doc) => doc.setIn(['dns', 'recordName'], 'app.example.com'),
      /- dns\.recordName: moved: list the hostnames under dns\.records .*, got 'app\.example\.com'/,
    ],
    [
      'the former storage block, naming where it moved',
      (doc) => doc.setIn(['storage'], doc.createNode({ replicationTimeControl: true })),
      /- storage: moved: list the buckets under buckets .*the seed bucket is the entry named data, got an object/,
    ],
    ['no bucket', (doc) => doc.setIn(['buckets'], doc.createNode([])), /- buckets: expected at least 1 item/],
    [
      'two buckets with one name',
      (doc) => doc.setIn(['buckets'], doc.createNode([{ name: 'data' }, { name: 'data' }])),
      /- buckets\[1\]\.name: expected a unique name: data is also buckets\[0\]\.name/,
    ],
    [
      'a bucket name S3 cannot take',
      (doc) => {
        doc.setIn(['project'], 'a-twenty-four-char-proj1');
        doc.setIn(['buckets', 0, 'name'], 'a-very-long-name');
      },
      /- buckets\[0\]\.name: expected a shorter name: the main bucket a-twenty-four-char-proj1-main-a-very-long-name-111111111111-us-east-1 has 69 characters, S3 allows 63/,
    ],
    [
      'no hostname',
      (doc) => doc.setIn(['dns', 'records'], doc.createNode([])),
      /- dns\.records: expected at least 1 item/,
    ],
    [
      'two hostnames with one entry name',
      (doc) =>
        doc.setIn(
          ['dns', 'records'],
          doc.createNode([
            { name: 'app', recordName: 'app.example.com', service: 'app' },
            { name: 'app', recordName: 'www.example.com', service: 'app' },
          ]),
        ),
      /- dns\.records\[1\]\.name: expected a unique name: app is also dns\.records\[0\]\.name/,
    ],
    [
      'one hostname listed twice',
      (doc) =>
        doc.setIn(
          ['dns', 'records'],
          doc.createNode([
            { name: 'app', recordName: 'app.example.com', service: 'app' },
            { name: 'www', recordName: 'app.example.com', service: 'app' },
          ]),
        ),
      /- dns\.records\[1\]\.recordName: expected a unique recordName: app\.example\.com is also dns\.records\[0\]\.recordName/,
    ],
    [
      'a hostname that is a regional alias',
      (doc) =>
        doc.setIn(
          ['dns', 'records'],
          doc.createNode([
            { name: 'app', recordName: 'app.example.com', service: 'app' },
            { name: 'dr', recordName: 'dr.app.example.com', service: 'app' },
          ]),
        ),
      /- dns\.records\[1\]\.recordName: expected a name other than the regional aliases main\.app\.example\.com and dr\.app\.example\.com/,
    ],
    [
      'an entry name that cannot go into resource names',
      (doc) => doc.setIn(['dns', 'records', 0, 'name'], 'App_1'),
      /- dns\.records\[0\]\.name: expected 2-16 lower-case letters, digits or dashes, starting with a letter, got 'App_1'/,
    ],
    [
      'two services with one name',
      (doc) => doc.addIn(['services'], doc.createNode({ ...firstEntryOf(doc, 'services'), cpu: 128 })),
      /- services\[1\]\.name: expected a unique name: app is also services\[0\]\.name/,
    ],
    [
      'two databases with one name',
      (doc) =>
        doc.addIn(['databases'], doc.createNode({ ...firstEntryOf(doc, 'databases'), databaseName: 'b' })),
      /- databases\[1\]\.name: expected a unique name: app is also databases\[0\]\.name/,
    ],
    [
      'a hostname routed to a service that is not listed',
      (doc) => doc.setIn(['dns', 'records', 0, 'service'], 'web'),
      /- dns\.records\[0\]\.service: expected the name of a services\[\] entry \(app\), got web/,
    ],
    [
      'a hostname without its service',
      (doc) => doc.deleteIn(['dns', 'records', 0, 'service']),
      /- dns\.records\[0\]\.service: expected string \(missing\)/,
    ],
    [
      'a task larger than one instance of the region’s capacity',
      (doc) => doc.setIn(['services', 0, 'memoryMiB'], 2048),
      /- services\[0\]\.memoryMiB: expected a task that fits one t3\.small of regions\.main\.capacity \(2048 CPU units, 1843 MiB for tasks\), got 256 CPU units and 2048 MiB/,
    ],
    [
      'more CPU per task than one instance has',
      (doc) => {
        doc.setIn(['regions', 'dr', 'capacity', 'instanceType'], 't3.xlarge');
        doc.setIn(['services', 0, 'cpu'], 3072);
      },
      /- services\[0\]\.memoryMiB: expected a task that fits one t3\.small of regions\.main\.capacity \(2048 CPU units, 1843 MiB for tasks\), got 3072 CPU units and 512 MiB/,
    ],
    [
      'promoted tasks that need more instances than the ASG may have',
      (doc) => doc.setIn(['services', 0, 'regions', 'dr', 'promotion', 'desiredCount'], 30),
      /- regions\.dr\.capacity\.maxCapacity: expected room for every service's promotion\.desiredCount tasks \(7680 CPU units, 15360 MiB\): 3 × t3\.small give 6144 CPU units and 5529 MiB/,
    ],
    [
      'the former app block, naming where it moved',
      (doc) => doc.setIn(['app'], doc.createNode({ image: 'public.ecr.aws/nginx/nginx:1.27' })),
      /- app: moved: list the services under services \(- name: app, image: …, regions: …\), got an object/,
    ],
    [
      'the former database block, naming where it moved',
      (doc) => doc.setIn(['database'], doc.createNode({ engineVersion: '16.6' })),
      /- database: moved: list the databases under databases \(- name: app, engineVersion: …, regions: …\), got an object/,
    ],
    [
      'the former regions.main.service block, naming where it moved',
      (doc) => doc.setIn(['regions', 'main', 'service'], doc.createNode({ desiredCount: 3 })),
      /- regions\.main\.service: moved: the instances are regions\.<role>\.capacity; each service lists its counts under services\[\]\.regions\.<role>, got an object/,
    ],
    [
      'the former regions.dr.database block, naming where it moved',
      (doc) => doc.setIn(['regions', 'dr', 'database'], doc.createNode({ instances: 0 })),
      /- regions\.dr\.database: moved: each database lists its sizes under databases\[\]\.regions\.<role>, got an object/,
    ],
    [
      'the former regions.dr.promotion block, naming where it moved',
      (doc) => doc.setIn(['regions', 'dr', 'promotion'], doc.createNode({ asgMinCapacity: 3 })),
      /- regions\.dr\.promotion: moved: promotion sizes live beside what they scale: regions\.<role>\.capacity\.promotion, .*, got an object/,
    ],
    [
      'no service',
      (doc) => doc.setIn(['services'], doc.createNode([])),
      /- services: expected at least 1 item/,
    ],
    [
      'no database',
      (doc) => doc.setIn(['databases'], doc.createNode([])),
      /- databases: expected at least 1 item/,
    ],
    [
      'an alarm period that is neither 60 nor 300',
      (doc) => doc.setIn(['failover', 'alarm', 'periodSeconds'], 120),
      /- failover\.alarm\.periodSeconds: expected 60 or 300, got 120/,
    ],
    [
      'the retired dns.activeRegion (traffic moves by the regions’ claims, not by a deploy)',
      (doc) => doc.setIn(['dns', 'activeRegion'], 'main'),
      /- dns: unknown key 'activeRegion'/,
    ],
    [
      'a malformed region',
      (doc) => doc.setIn(['regions', 'main', 'region'], 'mars-1'),
      /- regions\.main\.region: expected an AWS region such as us-east-1, got 'mars-1'/,
    ],
    [
      'a fallback instance type of another architecture (another AMI)',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'fallbackInstanceTypes'], ['t3a.small', 't4g.small']),
      /- regions\.dr\.capacity\.fallbackInstanceTypes\[1\]: expected a type running the same AMI as t3\.small \(x86_64\): t4g\.small is arm64/,
    ],
    [
      'a fallback instance type listed twice',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'fallbackInstanceTypes'], ['t3a.small', 't3.small']),
      /- regions\.dr\.capacity\.fallbackInstanceTypes\[1\]: expected each type once: t3\.small is already listed/,
    ],
    [
      'a fallback instance type too small for a task',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'fallbackInstanceTypes'], ['t3.nano']),
      /- services\[0\]\.memoryMiB: expected a task that fits one t3\.nano of regions\.dr\.capacity/,
    ],
    [
      'a malformed fallback instance type',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'fallbackInstanceTypes'], ['t3 small']),
      /- regions\.dr\.capacity\.fallbackInstanceTypes\[0\]: expected an EC2 instance type such as t3\.small, got 't3 small'/,
    ],
    [
      'more reserved instances than a promotion launches',
      (doc) => doc.setIn(['regions', 'dr', 'capacity', 'reservation'], doc.createNode({ instances: 4 })),
      /- regions\.dr\.capacity\.reservation\.instances: expected at most promotion\.minCapacity \(3\)/,
    ],
    [
      'a serving share of 0',
      (doc) => doc.setIn(['services', 0, 'regions', 'dr', 'promotion', 'servingShare'], 0),
      /- services\[0\]\.regions\.dr\.promotion\.servingShare: expected > 0, got 0/,
    ],
    [
      'a serving share above 1',
      (doc) => doc.setIn(['services', 0, 'regions', 'dr', 'promotion', 'servingShare'], 1.5),
      /- services\[0\]\.regions\.dr\.promotion\.servingShare: expected <= 1, got 1\.5/,
    ],
    [
      'a backup schedule that is not a cron expression',
      (doc) => doc.setIn(['backups', 'schedule'], 'rate(1 day)'),
      /- backups\.schedule: expected an AWS cron expression with six fields, such as cron\(0 5 \* \* \? \*\)/,
    ],
    [
      'a backup retention of 0 days',
      (doc) => doc.setIn(['backups', 'retentionDays'], 0),
      /- backups\.retentionDays: expected >= 1, got 0/,
    ],
    [
      'a copy retention of 0 days',
      (doc) => doc.setIn(['backups', 'copyRetentionDays'], 0),
      /- backups\.copyRetentionDays: expected >= 1, got 0/,
    ],
    [
      'a copy target of 0 hours',
      (doc) => doc.setIn(['backups', 'copyTargetHours'], 0),
      /- backups\.copyTargetHours: expected > 0, got 0/,
    ],
    [
      'a copy target shorter than an hour',
      (doc) => doc.setIn(['backups', 'copyTargetHours'], 0.5),
      /- backups\.copyTargetHours: expected at least 1 \(AWS Backup runs at most hourly\), got 0\.5/,
    ],
    [
      'a break-glass principal that is not a role ARN',
      (doc) => doc.setIn(['backups', 'breakGlassRoleArn'], 'arn:aws:iam::111111111111:user/alice'),
      /- backups\.breakGlassRoleArn: expected an IAM role ARN such as arn:aws:iam::111111111111:role\/backup-break-glass/,
    ],
    [
      'a break-glass role in another partition',
      (doc) => doc.setIn(['backups', 'breakGlassRoleArn'], 'arn:aws-cn:iam::111111111111:role/bg'),
      /- backups\.breakGlassRoleArn: expected a role in the regions' partition \(aws\), got arn:aws-cn:iam::111111111111:role\/bg/,
    ],
    [
      'an unknown backups key',
      (doc) => doc.setIn(['backups', 'vault'], 'mine'),
      /- backups: unknown key 'vault'|- backups\.vault/,
    ],
    [
      'a certificate ARN that is not one',
      (doc) => doc.setIn(['regions', 'dr', 'certificateArn'], 'arn:aws:acm:us-west-2:111111111111:cert/x'),
      /- regions\.dr\.certificateArn: expected an ACM certificate ARN/,
    ],
    [
      "a certificate of another region than the region's",
      (doc) =>
        doc.setIn(
          ['regions', 'dr', 'certificateArn'],
          'arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        ),
      /- regions\.dr\.certificateArn: expected a certificate of regions\.dr \(aws, us-west-2, account 111111111111\), got aws, us-east-1, account 111111111111/,
    ],
    [
      "a certificate of another account than the region's",
      (doc) =>
        doc.setIn(
          ['regions', 'main', 'certificateArn'],
          'arn:aws:acm:us-east-1:222222222222:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        ),
      /- regions\.main\.certificateArn: expected a certificate of regions\.main .* got aws, us-east-1, account 222222222222/,
    ],
    [
      "ten hostnames and no certificate: eleven names, past ACM's default quota",
      (doc) =>
        doc.setIn(
          ['dns', 'records'],
          Array.from({ length: 10 }, (_, i) => ({
            name: `h${i}`,
            recordName: `h${i}.example.com`,
            service: 'app',
          })),
        ),
      /- regions\.main\.certificateArn: expected a certificate ARN: the certificate would cover 11 names .* default quota of 10 names per certificate/,
    ],
    [
      "no certificate for a region outside the hosted zone's account",
      (doc) => doc.setIn(['regions', 'dr', 'account'], '222222222222'),
      /- regions\.dr\.certificateArn: expected a certificate ARN: this region's account \(222222222222\) is not the hosted zone's .* give regions\.dr\.certificateArn/,
    ],
  ];

  it.each(cases)('fails on %s, naming the file and the key path', (what, edit, expected) => {
    const name = variantName(what);
    writeVariant(dir, name, edit);
    const message = loadError(name, dir).message;
    expect(message.startsWith(`project-config/${name}.yml: invalid configuration\n`)).toBe(true);
    expect(message).toMatch(expected);
  });
});
