import { z } from 'zod';
import { APPROVAL_MODES, APPROVAL_TIMEOUT_ACTIONS } from '../../lambdas/shared/approval';
import { DEFAULT_WAIT_SETTINGS, StepWaitSettingsSchema } from '../../lambdas/shared/wait-settings-schema';
import { bucketNameOf } from './bucket-name';
import { instanceResources } from './instance-types';
import { partitionOf } from './partition';

/**
 * The single source of truth for `project-config/<name>.yml`: its TypeScript types, its validation,
 * and (through `generate-json-schema.ts`) the JSON Schema editors use for completion.
 *
 * Main and DR regions share one shape (`RegionConfig`) and are always addressed as
 * `config.regions[role]` with `role` in {@link REGION_ROLES}.
 */

export const REGION_ROLES = ['main', 'dr'] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const awsAccount = z
  .string()
  .regex(/^\d{12}$/, 'expected a 12-digit AWS account id (quote it in YAML so leading zeros survive)');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-east-1');
const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-8])$/, 'expected an IPv4 CIDR between /16 and /28');
const dnsName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'expected a lower-case DNS name without a trailing dot',
  );

/** An RDS cluster or global cluster identifier (RDS's naming rules). */
const rdsIdentifier = z
  .string()
  .regex(
    /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$/,
    'expected an RDS identifier: 1-63 letters, digits or hyphens, starting with a letter, no double or trailing hyphen',
  );
/** An ECS cluster or service name, or an Auto Scaling group name, as the team named it. */
const resourceName = (what: string) =>
  z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/, `expected ${what}: letters, digits, hyphens or underscores`);
const bucketName = z
  .string()
  .regex(
    /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'expected an S3 bucket name: 3-63 lower-case letters, digits, dots or hyphens',
  );
/** A pair of values, one per region (`main`, `dr`), for an existing resource. */
const perRegion = <T extends z.ZodType>(schema: T) => z.strictObject({ main: schema, dr: schema });

/**
 * A list entry's `name`: unique in its list, short and DNS-safe because it goes into construct ids
 * and resource names.
 */
const entryName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/,
    'expected 2-16 lower-case letters, digits or dashes, starting with a letter',
  );

/**
 * How many hostnames one application may list. Each is a failover pair (two records) in one hosted
 * zone and one name the traffic step waits for: 20 pairs stay far inside Route 53's 10,000 records
 * per zone and keep the traffic step's answer checks (one DNS query per name per poll) small.
 */
export const MAX_HOSTNAMES = 20;

/**
 * How many buckets one application may list. Each is a pair of buckets, two replication rules and,
 * on a failback, one backlog the drain step reads (a GetMetricData query per bucket): 20 keeps the
 * stacks far inside CloudFormation's 500 resources and the drain's reads in one request.
 */
export const MAX_BUCKETS = 20;

/** `buckets[].existing`: a bucket pair the team already runs, replicating both ways by its own rules. */
const ExistingBucketSchema = z.strictObject({
  regions: perRegion(
    z.strictObject({
      bucketName,
      replicationRuleId: z
        .string()
        .min(1)
        .max(255)
        .describe("The id of this bucket's replication rule to its pair (the S3 metrics' RuleId)."),
    }),
  ),
});

/** `buckets[]`: one replicated bucket of the application. */
const BucketSchema = z.strictObject({
  name: entryName,
  existing: ExistingBucketSchema.optional().describe(
    'A bucket pair the team already runs: pilot-light creates no bucket and no replication for this entry, it reads them.',
  ),
  replicationTimeControl: z
    .boolean()
    .default(false)
    .describe(
      'S3 Replication Time Control on both replication rules (main→DR, DR→main): 99.99 % of objects within 15 min, ' +
        'charged per GB replicated on top of replication itself. Off: replication is best effort (usually seconds to minutes).',
    ),
});

/** `dns.records[]`: one hostname of the application. */
const HostnameSchema = z.strictObject({
  name: entryName,
  recordName: dnsName.describe('The hostname, inside dns.zoneName.'),
  service: entryName.describe(
    "The services[] entry this hostname routes to (a listener rule on the host name; the first service's takes the rest).",
  ),
  existing: z
    .strictObject({
      records: z
        .literal('attach')
        .describe(
          "attach: the team's own failover pair answers this hostname; pilot-light creates no record for it, and the team puts the traffic health check (the DNS stack's TrafficHealthCheckId output) on its PRIMARY record.",
        ),
    })
    .optional()
    .describe('A hostname whose records the team already manages.'),
});

/** How many ECS services one application may list (`services[]`). See docs/performance.md for why. */
export const MAX_SERVICES = 10;

/** How many Aurora global databases one application may list (`databases[]`). */
export const MAX_DATABASES = 5;

const instanceClass = z
  .string()
  .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'expected an RDS instance class such as db.r6g.large');

/** `databases[].regions.<role>`: one region's member of the global database. */
const DatabaseRegionSchema = z.strictObject({
  instances: int(0, 16).describe(
    'DB instances this region deploys: main = 1 writer + readers (at most 16); DR = 0 for a headless pilot light.',
  ),
  promotion: z
    .strictObject({
      instances: int(1, 16).describe('DB instances the region must have before its cluster is promoted.'),
      instanceClass: instanceClass
        .optional()
        .describe(
          "Class for instances added on promotion. Default: the entry's instanceClass (the main writer's).",
        ),
      fallbackInstanceClasses: z
        .array(instanceClass)
        .max(5)
        .default([])
        .describe(
          'Classes tried in order, for each instance, when RDS refuses the first for capacity (InsufficientDBInstanceCapacity): ' +
            'equal or larger, decided in advance. Readiness checks each is orderable in the region.',
        ),
    })
    .describe('What a promotion of this region adds to this cluster before it becomes the writer.'),
});

/** `databases[].existing`: a global database the team already runs. */
const ExistingDatabaseSchema = z.strictObject({
  globalClusterId: rdsIdentifier,
  regions: perRegion(z.strictObject({ clusterId: rdsIdentifier })),
});

/** `databases[]`: one Aurora PostgreSQL global database of the application. */
const DatabaseSchema = z.strictObject({
  name: entryName,
  engineVersion: z.string().regex(/^\d+\.\d+$/, 'expected an aurora-postgresql version such as 16.6'),
  instanceClass: instanceClass.describe("The main cluster's instances (writer and readers)."),
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'expected a PostgreSQL identifier')
    .optional()
    .describe('The database the main cluster creates. Required unless the entry is existing.'),
  regions: z.strictObject({ main: DatabaseRegionSchema, dr: DatabaseRegionSchema }),
  existing: ExistingDatabaseSchema.optional().describe(
    'A global database the team already runs: pilot-light creates nothing for it; it adds instances to the named DR cluster and promotes it. `regions.<role>.instances` then says how many it runs now.',
  ),
});

/** `services[].regions.<role>`: one region's task counts of one service. */
const ServiceRegionSchema = z.strictObject({
  desiredCount: int(0, 100).describe('ECS service desired task count at deploy.'),
  promotion: z
    .strictObject({
      desiredCount: int(1, 100).describe('ECS service desired count on promotion (never scales in).'),
      servingShare: z
        .number()
        .gt(0)
        .max(1)
        .default(1)
        .describe(
          'Share of desiredCount that must pass the load balancer health check before traffic may move (rounded up to ' +
            'whole tasks). Below 1, traffic moves at that share while the service keeps scaling to desiredCount; ' +
            'default 1: every task, as a full-capacity failover.',
        ),
    })
    .describe('What a promotion of this region scales this service to.'),
});

/** `services[]`: one ECS service of the application, behind the region's load balancer. */
const ServiceSchema = z.strictObject({
  name: entryName,
  image: z.string().min(1).describe('A publicly available container image.'),
  containerPort: int(1, 65535),
  healthCheckPath: z.string().regex(/^\//, 'expected a path starting with /'),
  cpu: int(128, 4096).describe('CPU units reserved per task (1024 = one vCPU).'),
  memoryMiB: int(128, 30720).describe('Memory reserved per task.'),
  regions: z.strictObject({ main: ServiceRegionSchema, dr: ServiceRegionSchema }),
  existing: z
    .strictObject({
      regions: perRegion(z.strictObject({ serviceName: resourceName('an ECS service name') })),
    })
    .optional()
    .describe(
      "A service the team already runs, in each region's existing cluster (regions.<role>.capacity.existing): pilot-light creates nothing for it and raises its desired count on promotion.",
    ),
});

/**
 * `regions.<role>.capacity`: the ECS cluster's container instances, one Auto Scaling group per region
 * shared by every service (set once, not per service: the schema checks the services' tasks fit).
 */
const ec2InstanceType = z
  .string()
  .regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'expected an EC2 instance type such as t3.small');

const CapacitySchema = z.strictObject({
  instanceType: ec2InstanceType.describe('The first choice for every instance the group launches.'),
  fallbackInstanceTypes: z
    .array(ec2InstanceType)
    .max(5)
    .default([])
    .describe(
      'Types the Auto Scaling group launches, in this order, when EC2 has none of the ones before them in a zone ' +
        '(InsufficientInstanceCapacity): a mixed-instances policy, prioritized, all On-Demand. They run the same AMI, ' +
        'so the same architecture as instanceType; each must fit every task. Readiness checks each is offered in every zone.',
    ),
  reservation: z
    .strictObject({
      instances: int(1, 100).describe(
        "Instances of instanceType kept reserved, spread over the region's availability zones: at most promotion.minCapacity.",
      ),
    })
    .optional()
    .describe(
      "On-Demand Capacity Reservations kept in this region for part or all of the promotion's instances, targeted by the " +
        'launch template: they are billed whether used or not (docs/configuration.md gives the monthly cost). Only when ' +
        'pilot-light deploys the capacity.',
    ),
  minCapacity: int(0, 100).describe('ASG minimum at deploy.'),
  maxCapacity: int(0, 100).describe(
    'ASG maximum at deploy (also the ceiling a promotion can raise the DR ASG to).',
  ),
  promotion: z
    .strictObject({
      minCapacity: int(0, 100).describe('ASG minimum and desired capacity on promotion (never scales in).'),
    })
    .describe('What a promotion of this region raises the Auto Scaling group to.'),
  existing: z
    .strictObject({
      ecsCluster: resourceName('an ECS cluster name'),
      autoScalingGroupName: resourceName('an Auto Scaling group name'),
      loadBalancer: z
        .strictObject({
          dnsName: z
            .string()
            .regex(
              /^[a-z0-9.-]+\.elb\.[a-z0-9.-]+$/,
              "expected a load balancer's DNS name (….elb.amazonaws.com)",
            ),
          canonicalHostedZoneId: z
            .string()
            .regex(/^Z[A-Z0-9]{4,31}$/, "expected the load balancer's canonical hosted zone id"),
        })
        .describe("The team's load balancer in this region: the regional alias record points at it."),
    })
    .optional()
    .describe(
      "The team's ECS cluster, its Auto Scaling group and load balancer, when the services are existing (all of them: one cluster per region).",
    ),
});

const movedToEntries = (what: string) => z.never({ error: `moved: ${what}` }).optional();

/** One region's settings. Identical shape for `main` and `dr`. */
export const RegionConfigSchema = z.strictObject({
  account: awsAccount,
  region: awsRegion,
  availabilityZones: z
    .array(
      z
        .string()
        .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'expected an availability zone such as us-east-1a'),
    )
    .min(2)
    .max(6)
    .describe('Written here so synth never looks them up.'),
  vpcCidr: cidr
    .optional()
    .describe('Required when pilot-light deploys a VPC in the region (an entry not existing).'),
  natGateways: int(0, 6).optional().describe('Required with vpcCidr.'),
  capacity: CapacitySchema,
  certificateArn: z
    .string()
    .regex(
      /^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
      'expected an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
    )
    .optional()
    .describe(
      "An ACM certificate in this region and account covering every dns.records[].recordName and this region's " +
        'regional name (<role>.<first hostname>). Default: the service stack requests one (DNS validation in ' +
        "dns.hostedZoneId); required when this region's account is not the hosted zone's. With capacity.existing " +
        "it is the team's load balancer's certificate: readiness checks it.",
    ),
  database: movedToEntries('each database lists its sizes under databases[].regions.<role>'),
  service: movedToEntries(
    'the instances are regions.<role>.capacity; each service lists its counts under services[].regions.<role>',
  ),
  promotion: movedToEntries(
    'promotion sizes live beside what they scale: regions.<role>.capacity.promotion, databases[].regions.<role>.promotion, services[].regions.<role>.promotion',
  ),
});

/** `failover.readiness`: the scheduled readiness evaluation (`lambdas/readiness`). */
const ReadinessSchema = z.strictObject({
  scheduleMinutes: int(5, 1440)
    .default(30)
    .describe('How often each region evaluates whether it could be promoted now (read-only checks).'),
  maxReplicationLagSeconds: z
    .number()
    .min(0.001)
    .max(3600)
    .default(10)
    .describe(
      "Highest AuroraGlobalDBReplicationLag (this region's cluster, latest minute) that still counts as ready: " +
        'the data an unplanned failover would lose if it started now.',
    ),
});

/** `failover.approval`: a person's go-ahead after preflight, before anything changes. */
const ApprovalSchema = z.strictObject({
  required: z
    .enum(APPROVAL_MODES)
    .default('none')
    .describe(
      'none: runs act at once; alarm-started: a run started by the failover alarm waits for approval; all: every run waits.',
    ),
  timeoutMinutes: int(1, 1440)
    .default(30)
    .describe('How long a run waits for approve/deny before onTimeout applies.'),
  onTimeout: z
    .enum(APPROVAL_TIMEOUT_ACTIONS)
    .default('stop')
    .describe('What an unanswered approval does: stop (the run ends without acting, notified) or proceed.'),
});

const AlarmSchema = z.strictObject({
  regions: z
    .array(z.enum(REGION_ROLES))
    .describe('Regions whose orchestrator the alarm starts. Default: [dr].'),
  existingAlarmName: z
    .string()
    .min(1)
    .optional()
    .describe('Use this CloudWatch alarm instead of the built-in health probe.'),
  probeUrl: z
    .url()
    .optional()
    .describe(
      'URL the probe requests. Default: https://main.<dns.records[0].recordName><the healthCheckPath of the service it routes to> ' +
        "(http:// when the services are existing and regions.main.certificateArn is not given: the team's load balancer may serve HTTP only).",
    ),
  probeTimeoutSeconds: int(1, 30).describe('How long one probe request may take before it counts as failed.'),
  periodSeconds: z.union([z.literal(60), z.literal(300)]).describe('Probe schedule and alarm period.'),
  requestsPerPeriod: int(1, 60)
    .default(6)
    .describe(
      'Requests the probe spreads over each period; it publishes the share that succeeded. The failover alarm breaches a period whose share is at most 0.5.',
    ),
  evaluationPeriods: int(1, 60).describe('N of the M-of-N failover alarm (periods looked at).'),
  datapointsToAlarm: int(1, 60).describe('M of the M-of-N failover alarm (breaching periods needed).'),
});

/**
 * An AWS Backup schedule: `cron(minutes hours day-of-month month day-of-week year)`, in UTC, the
 * form the backup plan rule's ScheduleExpression takes.
 */
const backupCron = z
  .string()
  .regex(
    /^cron\((\S+ ){5}\S+\)$/,
    'expected an AWS cron expression with six fields, such as cron(0 5 * * ? *) (daily at 05:00 UTC)',
  );

/** The IAM role ARN of the break-glass principal (`arn:<partition>:iam::<account>:role/<name>`). */
const iamRoleArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'expected an IAM role ARN such as arn:aws:iam::111111111111:role/backup-break-glass',
  );

/** Defaults of `backups` (the reasons are in each key's description and docs/configuration.md). */
export const DEFAULT_BACKUPS = {
  enabled: true,
  schedule: 'cron(0 5 * * ? *)',
  retentionDays: 35,
  copyRetentionDays: 35,
  copyTargetHours: 26,
} as const;

/** `backups`: AWS Backup in each region, each recovery point copied to the other region's vault. */
const BackupsSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(DEFAULT_BACKUPS.enabled)
    .describe(
      'Back up every database and bucket (deployed and existing) with AWS Backup in its region and copy each ' +
        'recovery point to the other region. Default true: replication copies a DROP TABLE or an overwrite to ' +
        'the other region within seconds, so only a backup brings the data back.',
    ),
  schedule: backupCron
    .default(DEFAULT_BACKUPS.schedule)
    .describe(
      'When each region backs up (UTC). Default daily at 05:00 UTC: one restorable point a day beside ' +
        "Aurora's own point-in-time window in the writer's region; more often costs more copies.",
    ),
  retentionDays: int(1, 36500)
    .default(DEFAULT_BACKUPS.retentionDays)
    .describe(
      "Days each region keeps its own recovery points. Default 35: Aurora's longest point-in-time window, so " +
        'a corruption found within five weeks still has a clean point.',
    ),
  copyRetentionDays: int(1, 36500)
    .default(DEFAULT_BACKUPS.copyRetentionDays)
    .describe(
      "Days the other region keeps the copies. Default 35, as retentionDays: the copies are what is left when the source's region is gone.",
    ),
  copyTargetHours: z
    .number()
    .gt(0)
    .max(8760)
    .default(DEFAULT_BACKUPS.copyTargetHours)
    .describe(
      "The corruption RPO readiness holds: the newest copy in this region of each of the other region's databases " +
        'and buckets must be younger. Default 26: the daily schedule (24 h) plus 2 h for the backup and its copy.',
    ),
  breakGlassRoleArn: iamRoleArn
    .optional()
    .describe(
      'The only principal the vaults let delete recovery points, shorten their lifecycle or change the vault policy. ' +
        'Default: pilot-light creates <project>-backup-break-glass, assumable by the account with MFA only.',
    ),
});

export const ConfigSchema = z
  .strictObject({
    project: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,23}$/,
        'expected 2-24 lower-case letters, digits or dashes, starting with a letter',
      )
      .describe('Prefix of every stack and deterministic resource name.'),
    regions: z.strictObject({ main: RegionConfigSchema, dr: RegionConfigSchema }),
    services: z
      .array(ServiceSchema)
      .min(1)
      .max(MAX_SERVICES)
      .describe(
        "The application's ECS services: each a service per region on the region's shared capacity, behind the region's " +
          'load balancer (a target group each; a listener rule per hostname that names it; the first is the default).',
      ),
    databases: z
      .array(DatabaseSchema)
      .min(1)
      .max(MAX_DATABASES)
      .describe(
        "The application's Aurora PostgreSQL global databases: each a primary cluster in main and a (headless) secondary in DR.",
      ),
    app: movedToEntries('list the services under services (- name: app, image: …, regions: …)'),
    database: movedToEntries(
      'list the databases under databases (- name: app, engineVersion: …, regions: …)',
    ),
    dns: z.strictObject({
      hostedZoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{4,31}$/, 'expected a Route 53 hosted zone id such as Z0123456789ABC'),
      zoneName: dnsName,
      records: z
        .array(HostnameSchema)
        .min(1)
        .max(MAX_HOSTNAMES)
        .describe(
          "The application's hostnames: each a failover pair on the same traffic claim, so they move together. " +
            'The regional alias records (main.<name>, dr.<name>) are named after the first.',
        ),
      recordName: z
        .never({ error: 'moved: list the hostnames under dns.records (- name: app, recordName: <hostname>)' })
        .optional(),
    }),
    buckets: z
      .array(BucketSchema)
      .min(1)
      .max(MAX_BUCKETS)
      .describe(
        "The application's buckets: each a bucket per region, replicating both ways (main → DR by the main storage stack, " +
          'DR → main by the replication stack), named <project>-<role>-<name>-<account>-<region>.',
      ),
    storage: z
      .never({
        error:
          'moved: list the buckets under buckets (- name: data, replicationTimeControl: …); the seed bucket is the entry named data',
      })
      .optional(),
    backups: BackupsSchema.default({ ...DEFAULT_BACKUPS }).describe(
      'AWS Backup of the databases and buckets, each recovery point copied to the other region (docs/configuration.md#backups).',
    ),
    failover: z.strictObject({
      coolDownMinutes: int(0, 1440)
        .default(30)
        .describe('After a promotion, further triggers end without acting this long.'),
      notificationEmails: z
        .array(z.email())
        .default([])
        .describe('Subscribed to the failover topic in both regions.'),
      // Wait settings: one schema, shared with preflight (lambdas/shared/wait-settings-schema.ts).
      database: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.database)
        .describe('Adding instances to the headless cluster.'),
      service: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.service)
        .describe('ASG + ECS service reaching steady state.'),
      replication: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.replication)
        .describe(
          "Failback: the DR bucket's S3 replication backlog to main reaching 0 before traffic moves back (a failover only reports main's backlog).",
        ),
      promotion: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.promotion)
        .describe('Global database switchover / failover (planned: after the service is ready).'),
      dns: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.dns)
        .describe('Traffic moving to this region (claim published, name answered with this region).'),
      fence: z
        ._default(StepWaitSettingsSchema, DEFAULT_WAIT_SETTINGS.fence)
        .describe('After traffic moved: stop the old region writing and release its claim (best effort).'),
      sourceProbeTimeoutSeconds: int(1, 30)
        .default(5)
        .describe('auto mode: how long the source region RDS API may take to answer.'),
      readiness: ReadinessSchema.default({ scheduleMinutes: 30, maxReplicationLagSeconds: 10 }),
      approval: ApprovalSchema.default({ required: 'none', timeoutMinutes: 30, onTimeout: 'stop' }),
      alarm: AlarmSchema.default({
        regions: ['dr'],
        probeTimeoutSeconds: 5,
        periodSeconds: 60,
        requestsPerPeriod: 6,
        // 3 of 5: a sustained error rate of half or more fires within 5 minutes, one lost request
        // in ten almost never (docs/operating.md#the-alarm has the odds).
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      }),
    }),
  })
  .superRefine((cfg, ctx) => {
    const { main, dr } = cfg.regions;
    if (main.region === dr.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions', 'dr', 'region'],
        message: `expected a region different from regions.main.region (both are ${main.region})`,
      });
    }
    const [mainPartition, drPartition] = [partitionOf(main.region), partitionOf(dr.region)];
    if (mainPartition !== drPartition) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions', 'dr', 'region'],
        message:
          `expected a region in the partition of regions.main.region (${main.region} is in ${mainPartition}, ` +
          `${dr.region} in ${drPartition}): an Aurora global database cannot span partitions`,
      });
    }
    for (const role of REGION_ROLES) {
      const r = cfg.regions[role];
      for (const [i, az] of r.availabilityZones.entries()) {
        if (!az.startsWith(r.region)) {
          ctx.addIssue({
            code: 'custom',
            path: ['regions', role, 'availabilityZones', i],
            message: `expected an availability zone of ${r.region}, got ${az}`,
          });
        }
      }
      if (r.natGateways !== undefined && r.natGateways > r.availabilityZones.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', role, 'natGateways'],
          message: `expected at most one NAT gateway per availability zone (${r.availabilityZones.length})`,
        });
      }
      const capacity = r.capacity;
      if (capacity.maxCapacity < capacity.minCapacity) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', role, 'capacity', 'maxCapacity'],
          message: `expected maxCapacity >= minCapacity (${capacity.maxCapacity} < ${capacity.minCapacity})`,
        });
      }
      if (capacity.promotion.minCapacity > capacity.maxCapacity) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', role, 'capacity', 'promotion', 'minCapacity'],
          message: `expected at most capacity.maxCapacity (${capacity.maxCapacity})`,
        });
      }
      checkTasksFit(ctx, cfg, role);
      checkCapacityChoices(ctx, cfg, role);
      checkCertificate(ctx, cfg, role);
    }
    checkOwnership(ctx, cfg);
    for (const [i, db] of cfg.databases.entries()) {
      if (db.databaseName === undefined && db.existing === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['databases', i, 'databaseName'],
          message: 'expected the database the main cluster creates (required unless the entry is existing)',
        });
      }
      if (db.regions.main.instances < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['databases', i, 'regions', 'main', 'instances'],
          message: 'expected at least 1: the main cluster needs a writer',
        });
      }
    }
    uniqueBy(ctx, cfg.services, ['services'], 'name');
    uniqueBy(ctx, cfg.databases, ['databases'], 'name');
    checkBackups(ctx, cfg);
    const { alarm } = cfg.failover;
    if (alarm.datapointsToAlarm > alarm.evaluationPeriods) {
      ctx.addIssue({
        code: 'custom',
        path: ['failover', 'alarm', 'datapointsToAlarm'],
        message: `expected at most evaluationPeriods (${alarm.evaluationPeriods})`,
      });
    }
    uniqueBy(ctx, cfg.buckets, ['buckets'], 'name');
    for (const [i, bucket] of cfg.buckets.entries()) {
      for (const role of REGION_ROLES) {
        const name = bucketNameOf(cfg.project, role, cfg.regions[role], bucket.name);
        if (name.length > 63) {
          ctx.addIssue({
            code: 'custom',
            path: ['buckets', i, 'name'],
            message: `expected a shorter name: the ${role} bucket ${name} has ${name.length} characters, S3 allows 63`,
          });
          break;
        }
      }
    }
    const { records, zoneName } = cfg.dns;
    for (const [i, { recordName }] of records.entries()) {
      // A suffix match alone would accept `app.notexample.com` in the zone `example.com`.
      if (recordName !== zoneName && !recordName.endsWith(`.${zoneName}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'records', i, 'recordName'],
          message: `expected a name inside the zone ${zoneName}`,
        });
      }
    }
    uniqueBy(ctx, records, ['dns', 'records'], 'name');
    const services = new Set(cfg.services.map((svc) => svc.name));
    for (const [i, record] of records.entries()) {
      if (!services.has(record.service)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'records', i, 'service'],
          message: `expected the name of a services[] entry (${[...services].join(', ')}), got ${record.service}`,
        });
      }
    }
    uniqueBy(ctx, records, ['dns', 'records'], 'recordName');
    // main.<first> and dr.<first> are the regional aliases: no hostname may be one of them.
    const first = records[0]?.recordName;
    for (const [i, { recordName }] of records.entries()) {
      if (first !== undefined && REGION_ROLES.some((role) => recordName === `${role}.${first}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dns', 'records', i, 'recordName'],
          message: `expected a name other than the regional aliases main.${first} and dr.${first}`,
        });
      }
    }
  });

/** Whether pilot-light deploys the application's services (none of them existing). */
export function deploysServices(cfg: ProjectConfig): boolean {
  return cfg.services.every((svc) => svc.existing === undefined);
}

/** Whether pilot-light deploys a VPC in each region: it does when it deploys a service or a database. */
export function deploysVpc(cfg: ProjectConfig): boolean {
  return deploysServices(cfg) || cfg.databases.some((db) => db.existing === undefined);
}

/**
 * Existing resources (`existing:` blocks): the services are all existing or all deployed (one ECS
 * cluster per region serves them), `regions.<role>.capacity.existing` names the team's cluster
 * exactly when they are existing, and a region that gets a VPC has its CIDR and NAT gateways.
 */
function checkOwnership(ctx: z.RefinementCtx, cfg: ProjectConfig): void {
  const existing = cfg.services.filter((svc) => svc.existing !== undefined).length;
  if (existing > 0 && existing < cfg.services.length) {
    const [first] = cfg.services.filter((svc) => svc.existing === undefined);
    ctx.addIssue({
      code: 'custom',
      path: ['services', first === undefined ? 0 : cfg.services.indexOf(first), 'existing'],
      message:
        'expected every service existing or none: one ECS cluster per region runs them all (the others name existing services)',
    });
  }
  for (const role of REGION_ROLES) {
    const capacity = cfg.regions[role].capacity;
    if (existing === cfg.services.length && capacity.existing === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions', role, 'capacity', 'existing'],
        message:
          "expected the team's ECS cluster, Auto Scaling group and load balancer: the services are existing",
      });
    }
    if (capacity.existing !== undefined) {
      for (const key of ['fallbackInstanceTypes', 'reservation'] as const) {
        const value = capacity[key];
        if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['regions', role, 'capacity', key],
          message:
            "expected none with capacity.existing: the Auto Scaling group is the team's (give it a mixed-instances policy or reservations in its own template)",
        });
      }
    }
    if (existing === 0 && capacity.existing !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['regions', role, 'capacity', 'existing'],
        message:
          'expected no existing cluster: pilot-light deploys the services (none has an existing block)',
      });
    }
    if (deploysVpc(cfg)) {
      for (const key of ['vpcCidr', 'natGateways'] as const) {
        if (cfg.regions[role][key] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['regions', role, key],
            message:
              'expected a value: pilot-light deploys a VPC in this region (a service or database is not existing)',
          });
        }
      }
    }
  }
}

/**
 * `backups`: the copy target must leave room for at least one backup: a target shorter than an
 * hour would be red between every two runs, however often they run (AWS Backup's shortest
 * schedule is hourly). A break-glass role in another partition could never be the principal.
 */
function checkBackups(ctx: z.RefinementCtx, cfg: ProjectConfig): void {
  const { backups } = cfg;
  if (backups.copyTargetHours < 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['backups', 'copyTargetHours'],
      message: `expected at least 1 (AWS Backup runs at most hourly), got ${backups.copyTargetHours}`,
    });
  }
  const partition = partitionOf(cfg.regions.main.region);
  const arn = backups.breakGlassRoleArn;
  if (arn !== undefined && !arn.startsWith(`arn:${partition}:`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['backups', 'breakGlassRoleArn'],
      message: `expected a role in the regions' partition (${partition}), got ${arn}`,
    });
  }
}

/** ACM's default quota of domain names per certificate (ACM User Guide, Quotas; adjustable to 100). */
export const ACM_DEFAULT_NAMES_PER_CERTIFICATE = 10;

/**
 * `regions.<role>.certificateArn` names a certificate of that region and account (ACM certificates
 * are regional, and a load balancer uses only its own account's); without one, the service stack
 * validates its certificate by DNS in `dns.hostedZoneId`, which a stack can write only in the zone's
 * account (the main region's).
 */
function checkCertificate(ctx: z.RefinementCtx, cfg: ProjectConfig, role: RegionRole): void {
  const r = cfg.regions[role];
  const path = ['regions', role, 'certificateArn'];
  if (r.certificateArn === undefined) {
    // Every hostname and the regional name: a deploy past ACM's quota fails only at CloudFormation.
    const names = cfg.dns.records.length + 1;
    if (deploysServices(cfg) && names > ACM_DEFAULT_NAMES_PER_CERTIFICATE) {
      ctx.addIssue({
        code: 'custom',
        path,
        message:
          `expected a certificate ARN: the certificate would cover ${names} names (every dns.records[].recordName and ` +
          `${role}.<first hostname>), more than ACM's default quota of ${ACM_DEFAULT_NAMES_PER_CERTIFICATE} names per ` +
          'certificate. Raise the quota (Service Quotas: "Domain names per ACM certificate", up to 100), request the ' +
          `certificate in ${r.region}, and give regions.${role}.certificateArn`,
      });
      return;
    }
    if (deploysServices(cfg) && r.account !== cfg.regions.main.account) {
      ctx.addIssue({
        code: 'custom',
        path,
        message:
          `expected a certificate ARN: this region's account (${r.account}) is not the hosted zone's (regions.main.account ` +
          `${cfg.regions.main.account}), so the service stack cannot validate a certificate by DNS there. Request one in ` +
          `${r.region} and give regions.${role}.certificateArn`,
      });
    }
    return;
  }
  const [, partition, , region, account] = r.certificateArn.split(':');
  if (partition !== partitionOf(r.region) || region !== r.region || account !== r.account) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `expected a certificate of regions.${role} (${partitionOf(r.region)}, ${r.region}, account ${r.account}), got ${partition}, ${region}, account ${account}`,
    });
  }
}

/** Report every entry of `list` whose `key` repeats an earlier entry's, at `path[i].key`. */
function uniqueBy<T extends Record<K, string>, K extends string>(
  ctx: z.RefinementCtx,
  list: readonly T[],
  path: readonly (string | number)[],
  key: K,
): void {
  const seen = new Map<string, number>();
  for (const [i, entry] of list.entries()) {
    const first = seen.get(entry[key]);
    if (first === undefined) seen.set(entry[key], i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, key],
        message: `expected a unique ${key}: ${entry[key]} is also ${path.join('.')}[${first}].${key}`,
      });
  }
}

/** A validated project configuration. */
export type ProjectConfig = z.infer<typeof ConfigSchema>;
export type RegionConfig = z.infer<typeof RegionConfigSchema>;
export type StepTiming = z.infer<typeof StepWaitSettingsSchema>;
/** `failover.readiness` (the Lambda's own settings are `lambdas/readiness/settings.ts`). */
export type ReadinessConfig = z.infer<typeof ReadinessSchema>;
export type ApprovalConfig = z.infer<typeof ApprovalSchema>;
/** `backups`: the AWS Backup plan of each region and the copy target readiness holds. */
export type BackupsConfig = z.infer<typeof BackupsSchema>;

export type DatabaseConfig = z.infer<typeof DatabaseSchema>;
export type ServiceConfig = z.infer<typeof ServiceSchema>;
export type CapacityConfig = z.infer<typeof CapacitySchema>;

/** The types `capacity`'s group launches, in order: the first choice, then its fallbacks. */
export function capacityInstanceTypes(capacity: CapacityConfig): string[] {
  return [capacity.instanceType, ...capacity.fallbackInstanceTypes];
}

/**
 * `instances` reserved instances spread over `zones` in order, the first zones taking the extra one
 * (2 over 3 zones: 1, 1, 0): one reservation per zone with at least one. The group balances its
 * instances over the same zones. The service stack deploys this split and the drill seeds it.
 */
export function reservationSpread(instances: number, zones: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const base = Math.floor(instances / zones.length);
  const extra = instances % zones.length;
  for (const [i, zone] of zones.entries()) {
    const n = base + (i < extra ? 1 : 0);
    if (n > 0) out.set(zone, n);
  }
  return out;
}

/**
 * The processor architecture of `instanceType`, as its family name tells it: Graviton families
 * carry a `g` after their generation (`t4g`, `m7g`, `c6gn`); an AMI runs on one architecture only.
 */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0] ?? '';
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

/**
 * A region's capacity: its fallback types are distinct and run the first choice's AMI (one
 * architecture), and its reservation holds no more than a promotion launches.
 */
function checkCapacityChoices(ctx: z.RefinementCtx, cfg: ProjectConfig, role: RegionRole): void {
  const capacity = cfg.regions[role].capacity;
  const arch = instanceArchitecture(capacity.instanceType);
  const seen = new Set([capacity.instanceType]);
  for (const [i, type] of capacity.fallbackInstanceTypes.entries()) {
    const path = ['regions', role, 'capacity', 'fallbackInstanceTypes', i];
    if (seen.has(type)) {
      ctx.addIssue({ code: 'custom', path, message: `expected each type once: ${type} is already listed` });
    }
    seen.add(type);
    if (instanceArchitecture(type) !== arch) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `expected a type running the same AMI as ${capacity.instanceType} (${arch}): ${type} is ${instanceArchitecture(type)}`,
      });
    }
  }
  const reserved = capacity.reservation?.instances;
  if (reserved !== undefined && reserved > capacity.promotion.minCapacity) {
    ctx.addIssue({
      code: 'custom',
      path: ['regions', role, 'capacity', 'reservation', 'instances'],
      message: `expected at most promotion.minCapacity (${capacity.promotion.minCapacity}): reserved instances beyond what a promotion launches are paid for and never used`,
    });
  }
}

/** The class a promotion of `role` adds `database`'s instances with: its own, else the main writer's. */
export function promotionInstanceClass(database: DatabaseConfig, role: RegionRole): string {
  return database.regions[role].promotion.instanceClass ?? database.instanceClass;
}

/**
 * Every service's tasks must fit the region's instances: one task on one instance, and the
 * promoted counts on the promoted capacity (CPU and memory ECS can place, `instance-types.ts`).
 * Unknown instance types are not checked (readiness checks they are orderable).
 */
function checkTasksFit(ctx: z.RefinementCtx, cfg: ProjectConfig, role: RegionRole): void {
  const capacity = cfg.regions[role].capacity;
  const known = capacityInstanceTypes(capacity).flatMap((type) => {
    const resources = instanceResources(type);
    return resources === undefined ? [] : [{ type, resources }];
  });
  for (const { type, resources } of known) {
    for (const [i, svc] of cfg.services.entries()) {
      if (svc.cpu > resources.cpu || svc.memoryMiB > resources.memoryMiB) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'memoryMiB'],
          message: `expected a task that fits one ${type} of regions.${role}.capacity (${resources.cpu} CPU units, ${resources.memoryMiB} MiB for tasks), got ${svc.cpu} CPU units and ${svc.memoryMiB} MiB`,
        });
      }
    }
  }
  // The group may launch each listed type: the room must hold on the smallest.
  const smallest = [...known].sort(
    (a, b) => a.resources.cpu - b.resources.cpu || a.resources.memoryMiB - b.resources.memoryMiB,
  )[0];
  if (smallest === undefined) return;
  const size = smallest.resources;
  const need = cfg.services.reduce(
    (sum, svc) => ({
      cpu: sum.cpu + svc.cpu * svc.regions[role].promotion.desiredCount,
      memoryMiB: sum.memoryMiB + svc.memoryMiB * svc.regions[role].promotion.desiredCount,
    }),
    { cpu: 0, memoryMiB: 0 },
  );
  const instances = capacity.maxCapacity;
  if (need.cpu > size.cpu * instances || need.memoryMiB > size.memoryMiB * instances) {
    ctx.addIssue({
      code: 'custom',
      path: ['regions', role, 'capacity', 'maxCapacity'],
      message:
        `expected room for every service's promotion.desiredCount tasks (${need.cpu} CPU units, ${need.memoryMiB} MiB): ` +
        `${instances} × ${smallest.type} give ${size.cpu * instances} CPU units and ${size.memoryMiB * instances} MiB`,
    });
  }
}

/** The other region of the pair (defined once, beside the traffic claim the Lambdas use it for). */
export { otherRole } from '../../lambdas/shared/traffic-claim';
