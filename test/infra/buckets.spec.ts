import { Match, Template } from 'aws-cdk-lib/assertions';
import { projectNames } from '../../infra/config/names';
import { baseConfig, buildTestApp, deployedRegions, replicationStack } from './app-fixture';

/** The storage and replication stacks of a project with three buckets, one of them with RTC. */
describe('several buckets', () => {
  // Prepare + Act: one app for the tests below.
  const config = baseConfig();
  config.buckets = [
    { name: 'data', replicationTimeControl: false },
    { name: 'media', replicationTimeControl: true },
    { name: 'logs-v2', replicationTimeControl: false },
  ];
  const names = projectNames(config);
  const { built } = buildTestApp(config);
  const regions = deployedRegions(built);
  const main = Template.fromStack(regions.main.storage);
  const dr = Template.fromStack(regions.dr.storage);
  const replication = Template.fromStack(replicationStack(built));

  it('names each bucket after its entry and keeps the first one’s construct ids', () => {
    // Assess
    expect(names.regions.main.buckets.map((b) => b.bucketName)).toEqual([
      'sonar-proj-1-main-data-111111111111-us-east-1',
      'sonar-proj-1-main-media-111111111111-us-east-1',
      'sonar-proj-1-main-logs-v2-111111111111-us-east-1',
    ]);
    expect(Object.keys(main.findResources('AWS::S3::Bucket')).sort()).toEqual([
      expect.stringMatching(/^AccessLogs/),
      expect.stringMatching(/^Data[0-9A-F]{8}$/),
      expect.stringMatching(/^DataLogsV2[0-9A-F]{8}$/),
      expect.stringMatching(/^DataMedia[0-9A-F]{8}$/),
    ]);
    dr.resourceCountIs('AWS::S3::Bucket', 4);
  });

  it('replicates each main bucket to its DR pair through one role, RTC where the entry asks', () => {
    // Assess
    expect(
      Object.values(main.findResources('AWS::IAM::Role')).filter(
        (r) => (r.Properties as { RoleName?: string }).RoleName === names.regions.main.replicationRoleName,
      ),
    ).toHaveLength(1);
    for (const [i, own] of names.regions.main.buckets.entries()) {
      const pair = names.regions.dr.buckets[i];
      main.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: own.bucketName,
        ReplicationConfiguration: {
          Role: Match.anyValue(),
          Rules: [
            Match.objectLike({
              Id: 'main-to-dr',
              Destination: Match.objectLike({
                Bucket: pair?.bucketArn,
                ...(own.replicationTimeControl
                  ? { ReplicationTime: Match.objectLike({ Status: 'Enabled' }) }
                  : { ReplicationTime: Match.absent() }),
              }),
            }),
          ],
        },
      });
    }
  });

  it('sets each DR bucket’s rule back to main with its own custom resource, through one role', () => {
    // Prepare
    const calls = Object.entries(replication.findResources('Custom::AWS')).map(([id, r]) => ({
      id,
      create: JSON.parse(String((r.Properties as { Create?: unknown }).Create)) as {
        parameters: {
          Bucket: string;
          ReplicationConfiguration: { Rules: { Destination: Record<string, unknown> }[] };
        };
      },
    }));

    // Assess
    expect(calls.map((c) => c.id).sort()).toEqual([
      expect.stringMatching(/^DrToMainConfiguration[0-9A-F]{8}$/),
      expect.stringMatching(/^DrToMainConfigurationLogsV2[0-9A-F]{8}$/),
      expect.stringMatching(/^DrToMainConfigurationMedia[0-9A-F]{8}$/),
    ]);
    expect(calls.map((c) => c.create.parameters.Bucket).sort()).toEqual(
      names.regions.dr.buckets.map((b) => b.bucketName).sort(),
    );
    const media = calls.find((c) => c.create.parameters.Bucket.includes('-media-'));
    expect(media?.create.parameters.ReplicationConfiguration.Rules[0]?.Destination).toMatchObject({
      Bucket: names.regions.main.buckets[1]?.bucketArn,
      ReplicationTime: { Status: 'Enabled' },
    });
    expect(
      Object.values(replication.findResources('AWS::IAM::Role')).filter(
        (r) => (r.Properties as { RoleName?: string }).RoleName === names.regions.dr.replicationRoleName,
      ),
    ).toHaveLength(1);
  });

  it('lets the application task role use every bucket of its region', () => {
    // Prepare
    const service = Template.fromStack(regions.main.service);

    // Assess
    service.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
            Resource: names.regions.main.buckets.flatMap((b) => [b.bucketArn, `${b.bucketArn}/*`]),
          }),
        ]),
      },
    });
  });
});
