import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import {
  baseConfig,
  buildTestApp,
  deployedRegions,
  deployedStacks,
  resourcesOf,
  shopConfig,
} from './app-fixture';

describe('StorageStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, names } = buildTestApp();
  const regions = deployedRegions(built);
  const main = Template.fromStack(regions.main.storage);
  const dr = Template.fromStack(regions.dr.storage);

  it('replicates the main bucket to the DR bucket by its deterministic ARN', () => {
    // Assess
    main.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: names.regions.main.buckets[0]?.bucketName,
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            Destination: Match.objectLike({ Bucket: names.regions.dr.buckets[0]?.bucketArn }),
            DeleteMarkerReplication: { Status: 'Enabled' },
          }),
        ],
      },
    });
  });

  it('replicates replica modifications and publishes replication metrics under a stable rule id', () => {
    // Assess: the rule id is the RuleId dimension the failback reads; a filter makes it a V2 rule.
    main.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: names.regions.main.buckets[0]?.bucketName,
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Id: 'main-to-dr',
            Priority: 1,
            Filter: { Prefix: '' },
            SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' } },
            Destination: {
              Bucket: names.regions.dr.buckets[0]?.bucketArn,
              Metrics: { Status: 'Enabled' },
            },
          }),
        ],
      },
    });
  });

  it("adds S3 Replication Time Control only when a bucket's replicationTimeControl is on", () => {
    // Prepare
    const config = baseConfig();
    config.buckets = config.buckets.map((b) => ({ ...b, replicationTimeControl: true }));
    // Act
    const withRtc = Template.fromStack(deployedStacks(buildTestApp(config).built, 'main').storage);
    // Assess
    expect(JSON.stringify(main.toJSON())).not.toContain('ReplicationTime');
    withRtc.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Destination: Match.objectLike({
              ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
              Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
            }),
          }),
        ],
      },
    });
  });

  it('uses a replication role with the deterministic name, allowed to write the replica', () => {
    // Assess
    main.hasResourceProperties('AWS::IAM::Role', {
      RoleName: names.regions.main.replicationRoleName,
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })],
      }),
    });
    main.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            Resource: `${names.regions.dr.buckets[0]?.bucketArn}/*`,
          }),
        ]),
      }),
    });
  });

  it('makes the DR bucket a plain replica (no replication of its own)', () => {
    // Assess
    dr.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: names.regions.dr.buckets[0]?.bucketName,
      ReplicationConfiguration: Match.absent(),
    });
    dr.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('deploys the DR bucket before the main bucket', () => {
    // Assess
    expect(regions.main.storage.dependencies).toContain(regions.dr.storage);
    expect(regions.dr.storage.dependencies).not.toContain(regions.main.storage);
  });

  describe.each(REGION_ROLES)('%s bucket', (role) => {
    const t = role === 'main' ? main : dr;
    const n = names.regions[role];

    it('is versioned, encrypted, private and logged', () => {
      // Assess
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: n.buckets[0]?.bucketName,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }),
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      });
    });

    it('denies requests without TLS', () => {
      // Assess
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        }),
      });
    });

    it("grants the region's task role, named up front, read/write", () => {
      // Assess
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: Match.arrayWith(['s3:GetObject', 's3:PutObject']),
              Condition: { ArnEquals: { 'aws:PrincipalArn': n.services.map((svc) => svc.taskRoleArn) } },
            }),
          ]),
        }),
      });
    });
  });

  it('grants every service’s task role (shop.yml: three) read/write on every bucket of the region', () => {
    // Prepare
    const shop = buildTestApp(shopConfig());
    for (const role of REGION_ROLES) {
      const taskRoles = shop.names.regions[role].services.map((svc) => svc.taskRoleArn);
      // Act
      const policies = resourcesOf(
        Template.fromStack(deployedStacks(shop.built, role).storage),
        'AWS::S3::BucketPolicy',
      )
        .map(
          ([, r]) => r.Properties?.PolicyDocument as { Statement: { Sid?: string; Condition?: unknown }[] },
        )
        .filter((doc) => doc.Statement.some((st) => st.Sid === 'AppTaskRoleReadWrite'));
      // Assess: one per application bucket (data, media), each naming the three roles.
      expect(policies).toHaveLength(2);
      for (const doc of policies) {
        expect(doc.Statement.find((st) => st.Sid === 'AppTaskRoleReadWrite')?.Condition).toEqual({
          ArnEquals: { 'aws:PrincipalArn': taskRoles },
        });
      }
      expect(taskRoles).toHaveLength(3);
    }
  });
});
