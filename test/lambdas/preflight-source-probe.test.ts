import {
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandInput,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { probeSource, probeSourceFor, type SourceProbeSettings } from '../../lambdas/preflight/source-probe';
import { SourceProbeError, TransientAwsError } from '../../lambdas/shared/errors';
import { awsError, SOURCE_REGION } from './helpers';
import { APP_DB, ORDERS_DB, SOURCE_ID } from './preflight-fixtures';

const rdsMock = mockClient(RDSClient);
const SETTINGS: SourceProbeSettings = {
  sourceRegion: SOURCE_REGION,
  databases: [APP_DB],
  sourceProbeTimeoutMs: 20,
};
/** Two databases: the seed's and `orders`. */
const TWO: SourceProbeSettings = { ...SETTINGS, databases: [APP_DB, ORDERS_DB] };
const ORDERS_SOURCE_ID = ORDERS_DB.sourceClusterId;
const sourceRds = () => new RDSClient({ region: SOURCE_REGION });
const probe = () => probeSource(sourceRds(), SETTINGS);

const accessDenied = () =>
  awsError('AccessDenied', 'User is not authorized to perform: rds:DescribeDBClusters', 403);

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

  it.each<[string, () => Error]>([
    ['InternalFailure (500)', () => awsError('InternalFailure', 'down', 500)],
    ['ServiceUnavailable (503)', () => awsError('ServiceUnavailable', 'down', 503)],
    ['a network error', () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a DNS failure', () => Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
  ])('reports the source region unreachable on %s', async (_case, error) => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(error());
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

  it('throws SourceProbeError on AccessDenied: a misconfiguration, not an outage', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(accessDenied());
    // Act
    const act = probe();
    // Assess
    await expect(act).rejects.toThrow(SourceProbeError);
    await expect(act).rejects.toThrow(
      `database app: the source region ${SOURCE_REGION} answered DescribeDBClusters ${SOURCE_ID} in ${SOURCE_REGION} with AccessDenied: ` +
        'User is not authorized to perform: rds:DescribeDBClusters: a misconfiguration, not an outage; ' +
        'fix the permission or rerun with mode unplanned',
    );
  });

  it('throws SourceProbeError when the source cluster does not exist', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'gone', $metadata: { httpStatusCode: 404 } }));
    // Act
    const act = probe();
    // Assess
    await expect(act).rejects.toThrow(SourceProbeError);
    await expect(act).rejects.toThrow(
      /DBClusterNotFoundFault: gone: .*fix the configuration or rerun with mode unplanned$/,
    );
  });

  it('throws SourceProbeError when the answer holds no cluster', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    // Act / Assess
    await expect(probe()).rejects.toThrow(/with no cluster: a misconfiguration/);
  });
});

describe('probeSource: several databases', () => {
  /** Each source cluster's status (by id); a cluster not listed does not exist. */
  function givenSources(statuses: Readonly<Record<string, string>>): void {
    rdsMock.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersCommandInput) => {
      const status = statuses[input.DBClusterIdentifier ?? ''];
      if (status === undefined) {
        throw new DBClusterNotFoundFault({ message: 'gone', $metadata: { httpStatusCode: 404 } });
      }
      return { DBClusters: [{ Status: status }] };
    });
  }

  it('reports the source available when every source cluster is, naming each', async () => {
    // Prepare
    givenSources({ [SOURCE_ID]: 'available', [ORDERS_SOURCE_ID]: 'available' });
    // Act
    const result = await probeSource(sourceRds(), TWO);
    // Assess
    expect(result).toEqual({
      reachable: true,
      available: true,
      detail: `source clusters ${SOURCE_ID} available and ${ORDERS_SOURCE_ID} available`,
    });
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeDBClustersCommand, 2);
  });

  it('reports the source not available when one source cluster is not, naming it', async () => {
    // Prepare
    givenSources({ [SOURCE_ID]: 'available', [ORDERS_SOURCE_ID]: 'backing-up' });
    // Act
    const result = await probeSource(sourceRds(), TWO);
    // Assess
    expect(result).toMatchObject({ reachable: true, available: false });
    expect(result.detail).toContain(`${ORDERS_SOURCE_ID} backing-up`);
  });

  it('reports the source region unreachable when one probe gets no answer', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [{ Status: 'available' }] })
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: ORDERS_SOURCE_ID })
      .rejects(awsError('ServiceUnavailable', 'down', 503));
    // Act
    const result = await probeSource(sourceRds(), TWO);
    // Assess
    expect(result).toEqual({
      reachable: false,
      available: false,
      detail: 'source region: ServiceUnavailable: down',
    });
  });

  it('throws SourceProbeError naming the database whose source cluster is missing', async () => {
    // Prepare
    givenSources({ [SOURCE_ID]: 'available' });
    // Act
    const act = probeSource(sourceRds(), TWO);
    // Assess
    await expect(act).rejects.toThrow(SourceProbeError);
    await expect(act).rejects.toThrow(
      `database orders: the source region ${SOURCE_REGION} answered DescribeDBClusters ${ORDERS_SOURCE_ID} in ${SOURCE_REGION} with DBClusterNotFoundFault: gone`,
    );
  });

  it('throws the misconfiguration rather than another database’s throttled probe', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejects(awsError('Throttling', 'Rate exceeded', 400))
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: ORDERS_SOURCE_ID })
      .rejects(accessDenied());
    // Act / Assess
    await expect(probeSource(sourceRds(), TWO)).rejects.toThrow(SourceProbeError);
  });
});

describe('probeSourceFor', () => {
  it.each(['auto', 'planned'] as const)('fails mode %s on an unexpected answer', async (mode) => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(accessDenied());
    // Act / Assess
    await expect(probeSourceFor(mode, sourceRds(), SETTINGS)).rejects.toThrow(SourceProbeError);
  });

  it('reports an unexpected answer in mode unplanned, which does not need the source', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(accessDenied());
    // Act
    const result = await probeSourceFor('unplanned', sourceRds(), SETTINGS);
    // Assess
    expect(result).toMatchObject({ reachable: true, available: false });
    expect(result.detail).toMatch(
      /^source probe not usable \(.*AccessDenied.*\); not needed in mode unplanned$/,
    );
  });

  it('still retries throttling in mode unplanned', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).rejects(awsError('Throttling', 'Rate exceeded', 400));
    // Act / Assess
    await expect(probeSourceFor('unplanned', sourceRds(), SETTINGS)).rejects.toThrow(TransientAwsError);
  });

  it('passes an answer through unchanged', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ Status: 'available' }] });
    // Act / Assess
    await expect(probeSourceFor('auto', sourceRds(), SETTINGS)).resolves.toMatchObject({ available: true });
  });
});
