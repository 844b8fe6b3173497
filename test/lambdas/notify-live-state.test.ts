import { DescribeGlobalClustersCommand, type GlobalCluster, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { readWriterRegion, readWriterRegions, regionOfArn } from '../../lambdas/notify/live-state';
import { TransientAwsError } from '../../lambdas/shared/errors';
import { ACCOUNT, awsError, SOURCE_REGION, TARGET_REGION, throttled } from './helpers';
import { databaseEntry } from './notify-fixtures';

const rdsMock = mockClient(RDSClient);
const clusterArn = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:proj-${region}`;

function makeGlobalCluster(members: GlobalCluster['GlobalClusterMembers']): GlobalCluster {
  return { GlobalClusterIdentifier: 'proj-global', GlobalClusterMembers: members };
}

describe('regionOfArn', () => {
  it.each([
    [clusterArn(TARGET_REGION), TARGET_REGION],
    [`arn:aws-us-gov:rds:us-gov-west-1:${ACCOUNT}:cluster:c`, 'us-gov-west-1'],
    [`arn:aws:rds::${ACCOUNT}:global-cluster:g`, undefined],
    ['arn:aws:rds', undefined],
    ['', undefined],
  ])('reads the region of %j as %j', (arn, region) => {
    // Act
    const found = regionOfArn(arn);
    // Assess
    expect(found).toBe(region);
  });
});

describe('readWriterRegion', () => {
  beforeEach(() => rdsMock.reset());

  it('says where AWS is moving the writer while a switchover or failover runs', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          ...makeGlobalCluster([{ DBClusterArn: clusterArn(SOURCE_REGION), IsWriter: true }]),
          FailoverState: { Status: 'failing-over', ToDbClusterArn: clusterArn(TARGET_REGION) },
        },
      ],
    });
    // Act
    const writer = await readWriterRegion(new RDSClient({}), 'proj-global');
    // Assess
    expect(writer).toEqual({ known: true, region: SOURCE_REGION, movingTo: TARGET_REGION });
  });

  it('returns the region of the writer member, whatever the member order', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        makeGlobalCluster([
          { DBClusterArn: clusterArn(SOURCE_REGION), IsWriter: false },
          { DBClusterArn: clusterArn(TARGET_REGION), IsWriter: true },
        ]),
      ],
    });
    // Act
    const writer = await readWriterRegion(new RDSClient({}), 'proj-global');
    // Assess
    expect(writer).toEqual({ known: true, region: TARGET_REGION });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'proj-global',
    });
  });

  it.each<[string, GlobalCluster[] | undefined]>([
    ['no global cluster', []],
    ['no answer body', undefined],
    [
      'only readers (mid-switchover)',
      [makeGlobalCluster([{ DBClusterArn: clusterArn(SOURCE_REGION), IsWriter: false }])],
    ],
    ['a writer without an ARN', [makeGlobalCluster([{ IsWriter: true }])]],
    [
      'a writer whose ARN has no region',
      [makeGlobalCluster([{ DBClusterArn: 'cluster:x', IsWriter: true }])],
    ],
  ])('says no writer is listed for %s', async (_what, clusters) => {
    // Prepare
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .resolves(clusters === undefined ? {} : { GlobalClusters: clusters });
    // Act
    const writer = await readWriterRegion(new RDSClient({}), 'proj-global');
    // Assess
    expect(writer).toEqual({ known: false, why: 'no writer member listed' });
  });

  it('says why the read failed instead of throwing', async () => {
    // Prepare
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .rejects(awsError('GlobalClusterNotFoundFault', 'proj-global not found', 404));
    // Act
    const writer = await readWriterRegion(new RDSClient({}), 'proj-global');
    // Assess
    expect(writer).toEqual({ known: false, why: 'GlobalClusterNotFoundFault: proj-global not found' });
  });

  it('throws TransientAwsError when the read is throttled (the state machine retries the notice)', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).rejects(throttled());
    // Act
    const act = readWriterRegion(new RDSClient({}), 'proj-global');
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });
});

describe('readWriterRegions', () => {
  beforeEach(() => rdsMock.reset());

  it('reads every database’s global cluster, in config order', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).callsFake((input: { GlobalClusterIdentifier?: string }) => ({
      GlobalClusters: [
        makeGlobalCluster([
          {
            DBClusterArn: clusterArn(
              input.GlobalClusterIdentifier === 'proj-orders-global' ? SOURCE_REGION : TARGET_REGION,
            ),
            IsWriter: true,
          },
        ]),
      ],
    }));
    // Act
    const found = await readWriterRegions(new RDSClient({}), [databaseEntry('app'), databaseEntry('orders')]);
    // Assess
    expect(found).toEqual([
      { name: 'app', writer: { known: true, region: TARGET_REGION } },
      { name: 'orders', writer: { known: true, region: SOURCE_REGION } },
    ]);
  });

  it('says per database why a permanent error left it unknown', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [makeGlobalCluster([{ DBClusterArn: clusterArn(TARGET_REGION), IsWriter: true }])],
    });
    rdsMock
      .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'proj-orders-global' })
      .rejects(awsError('AccessDenied', 'no', 403));
    // Act
    const found = await readWriterRegions(new RDSClient({}), [databaseEntry('app'), databaseEntry('orders')]);
    // Assess
    expect(found[1]).toEqual({ name: 'orders', writer: { known: false, why: 'AccessDenied: no' } });
  });
});
