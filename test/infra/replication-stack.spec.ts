import { Match, Template } from 'aws-cdk-lib/assertions';
import { baseConfig, buildTestApp, deployedRegions, replicationStack } from './app-fixture';

/** The `Create` call of the stack's one `Custom::AWS` resource, parsed. */
function sdkCall(template: Template, phase: 'Create' | 'Update' | 'Delete'): Record<string, unknown> {
  const [resource] = Object.values(template.findResources('Custom::AWS'));
  const raw = (resource?.Properties as Record<string, unknown> | undefined)?.[phase];
  if (typeof raw !== 'string') throw new Error(`no ${phase} call`);
  return JSON.parse(raw) as Record<string, unknown>;
}

describe('ReplicationStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, names, config } = buildTestApp();
  const replication = replicationStack(built);
  const regions = deployedRegions(built);
  const t = Template.fromStack(replication);
  const { dr, main } = names.regions;

  it('is the DR region’s <project>-dr-replication stack, after both storage stacks', () => {
    // Assess
    expect(replication.stackName).toBe(`${config.project}-dr-replication`);
    expect(replication.region).toBe(config.regions.dr.region);
    expect(replication.dependencies).toEqual(
      expect.arrayContaining([regions.dr.storage, regions.main.storage]),
    );
    expect(regions.dr.storage.dependencies).not.toContain(replication);
  });

  it('puts the DR bucket’s rule back to main with the same settings as main’s rule', () => {
    // Act
    const create = sdkCall(t, 'Create');
    // Assess
    expect(create).toMatchObject({
      service: 'S3',
      action: 'PutBucketReplication',
      region: dr.region,
      parameters: {
        Bucket: dr.buckets[0]?.bucketName,
        ReplicationConfiguration: {
          Role: dr.replicationRoleArn,
          Rules: [
            {
              ID: 'dr-to-main',
              Priority: 1,
              Status: 'Enabled',
              Filter: { Prefix: '' },
              DeleteMarkerReplication: { Status: 'Enabled' },
              SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' } },
              Destination: { Bucket: main.buckets[0]?.bucketArn, Metrics: { Status: 'Enabled' } },
            },
          ],
        },
      },
    });
    expect(JSON.stringify(create)).not.toContain('ReplicationTime');
    expect(sdkCall(t, 'Update')).toEqual(create);
  });

  it('removes the rule when the stack is deleted', () => {
    // Assess
    expect(sdkCall(t, 'Delete')).toMatchObject({
      action: 'DeleteBucketReplication',
      parameters: { Bucket: dr.buckets[0]?.bucketName },
    });
  });

  it('lets the provider put the configuration on the DR bucket only, and pass only the replication role', () => {
    // Assess
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:PutReplicationConfiguration', Effect: 'Allow', Resource: dr.buckets[0]?.bucketArn },
          {
            Action: 'iam:PassRole',
            Effect: 'Allow',
            Resource: dr.replicationRoleArn,
            Condition: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } },
          },
        ],
        Version: '2012-10-17',
      },
    });
    // No managed policy on the provider: its role writes its own log group only.
    for (const role of Object.values(t.findResources('AWS::IAM::Role'))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('creates the DR replication role reading the DR bucket and writing main’s objects only', () => {
    // Assess
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: dr.replicationRoleName,
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })],
      }),
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({ Resource: dr.buckets[0]?.bucketArn }),
          Match.objectLike({ Resource: `${dr.buckets[0]?.bucketArn}/*` }),
          Match.objectLike({
            Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
            Resource: `${main.buckets[0]?.bucketArn}/*`,
          }),
        ],
      }),
    });
  });

  it("adds S3 Replication Time Control when a bucket's replicationTimeControl is on", () => {
    // Prepare
    const rtc = baseConfig();
    rtc.buckets = rtc.buckets.map((b) => ({ ...b, replicationTimeControl: true }));
    // Act
    const create = sdkCall(Template.fromStack(replicationStack(buildTestApp(rtc).built)), 'Create');
    // Assess
    expect(create).toMatchObject({
      parameters: {
        ReplicationConfiguration: {
          Rules: [
            {
              Destination: {
                ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
                Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
              },
            },
          ],
        },
      },
    });
  });
});
