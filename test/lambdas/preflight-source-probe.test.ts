import { DBClusterNotFoundFault, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { probeSource, type SourceProbeSettings } from '../../lambdas/preflight/source-probe';
import { TransientAwsError } from '../../lambdas/shared/errors';
import { awsError, SOURCE_REGION } from './helpers';
import { SOURCE_ID } from './preflight-fixtures';

const rdsMock = mockClient(RDSClient);
const SETTINGS: SourceProbeSettings = {
  sourceRegion: SOURCE_REGION,
  sourceClusterId: SOURCE_ID,
  sourceProbeTimeoutMs: 20,
};
const probe = () => probeSource(new RDSClient({ region: SOURCE_REGION }), SETTINGS);

beforeEach(() => rdsMock.reset());

describe('probeSource', () => {
  it('reports the source reachable and available when its cluster is available', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
    // Act
    const result = await probe();
    // Assess
    expect(result).toEqual({ reachable: true, available: true, detail: 'source cluster available' });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID });
  });

  it('reports the source reachable but not available when its cluster is in another state', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ Status: 'inaccessible-encryption-credentials' }] });
    // Act
    const result = await probe();
    // Assess
    expect(result).toMatchObject({ reachable: true, available: false });
  });

  it('counts a modeled error (the cluster is missing) as an answer: reachable, not available', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    // Act
    const result = await probe();
    // Assess
    expect(result).toEqual({
      reachable: true,
      available: false,
      detail: 'source cluster: DBClusterNotFoundFault: gone',
    });
  });

  it('reports the source region unreachable on 5xx', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('InternalFailure', 'down', 503));
    // Act
    const result = await probe();
    // Assess
    expect(result).toMatchObject({ reachable: false, available: false });
    expect(result.detail).toMatch(/^source region: /);
  });

  it('reports the source region unreachable when it does not answer within the timeout', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).callsFake(() => new Promise(() => undefined));
    // Act
    const result = await probe();
    // Assess
    expect(result).toMatchObject({ reachable: false, available: false });
    expect(result.detail).toContain('no answer within 20 ms');
  });

  it('throws TransientAwsError (retry) when the source throttles, never guessing its health', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('Throttling', 'Rate exceeded', 400));
    // Act
    const act = probe();
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow(/Throttling/);
  });
});
