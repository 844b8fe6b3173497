import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { readinessClients } from '../../infra/cli/readiness-clients';
import { projectNames } from '../../infra/config/names';
import { readinessSettingsOf } from '../../infra/config/readiness-settings';
import { baseConfig } from '../infra/app-fixture';
import { awsError } from '../lambdas/helpers';

const rdsMock = mockClient(RDSClient);

function settings(role: 'main' | 'dr' = 'dr', config = baseConfig()) {
  return readinessSettingsOf(config, projectNames(config), role);
}

describe('readinessClients', () => {
  beforeEach(() => rdsMock.reset());

  it('reads in the checked region, S3 in each bucket’s region, Route 53 where its control plane answers', async () => {
    // Act
    const clients = readinessClients(settings('dr'), undefined, []);
    // Assess
    const regions = {
      rds: await clients.rds.config.region(),
      ec2: await clients.ec2.config.region(),
      serviceQuotas: await clients.serviceQuotas.config.region(),
      acm: await clients.acm.config.region(),
      ssm: await clients.ssm.config.region(),
      route53: await clients.route53.config.region(),
      s3Own: await clients.s3.own.config.region(),
      s3Other: await clients.s3.other.config.region(),
    };
    expect(regions).toEqual({
      rds: 'us-west-2',
      ec2: 'us-west-2',
      serviceQuotas: 'us-west-2',
      acm: 'us-west-2',
      ssm: 'us-west-2',
      route53: 'us-east-1',
      s3Own: 'us-west-2',
      s3Other: 'us-east-1',
    });
  });

  it('asks Route 53 in the partition’s own control-plane region (GovCloud)', async () => {
    // Prepare
    const gov = baseConfig();
    gov.regions.main.region = 'us-gov-west-1';
    gov.regions.main.availabilityZones = ['us-gov-west-1a', 'us-gov-west-1b'];
    gov.regions.dr.region = 'us-gov-east-1';
    gov.regions.dr.availabilityZones = ['us-gov-east-1a', 'us-gov-east-1b'];
    // Act
    const clients = readinessClients(settings('dr', gov), undefined, []);
    // Assess
    expect(await clients.route53.config.region()).toBe('us-gov-west-1');
  });

  it('records a refused credential (and rethrows it), but not any other error', async () => {
    // Prepare
    const expired = awsError('ExpiredTokenException', 'expired');
    const refused: unknown[] = [];
    const clients = readinessClients(settings(), 'ops', refused);
    rdsMock.rejectsOnce(expired).rejectsOnce(awsError('DBClusterNotFoundFault', 'no cluster', 404));
    // Act
    const first = clients.rds.send(new DescribeDBClustersCommand({}));
    await expect(first).rejects.toBe(expired);
    const second = clients.rds.send(new DescribeDBClustersCommand({}));
    await expect(second).rejects.toMatchObject({ name: 'DBClusterNotFoundFault' });
    // Assess
    expect(refused).toEqual([expired]);
  });

  it('passes answers through unchanged', async () => {
    // Prepare
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'x' }] });
    const clients = readinessClients(settings(), undefined, []);
    // Act
    const answer = await clients.rds.send(new DescribeDBClustersCommand({}));
    // Assess
    expect(answer.DBClusters).toEqual([{ DBClusterIdentifier: 'x' }]);
  });
});
