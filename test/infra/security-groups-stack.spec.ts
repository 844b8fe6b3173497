import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import { buildTestApp, deployedRegions } from './app-fixture';

describe('SecurityGroupsStack', () => {
  // Prepare + Act: one app for the tests below.
  const regions = deployedRegions(buildTestApp().built);

  describe.each(REGION_ROLES)('%s region', (role) => {
    const stack = regions[role].securityGroups;
    const t = Template.fromStack(stack);
    const alb: unknown = stack.resolve(stack.albSecurityGroup.securityGroupId);
    const instances: unknown = stack.resolve(stack.instanceSecurityGroup.securityGroupId);
    const db: unknown = stack.resolve(stack.databaseSecurityGroup.securityGroupId);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const logicalIdOf = (groupId: unknown): string => {
      const found = Object.keys(t.findResources('AWS::EC2::SecurityGroup')).find((lid) =>
        same(groupId, { 'Fn::GetAtt': [lid, 'GroupId'] }),
      );
      if (!found) throw new Error(`no security group for ${JSON.stringify(groupId)}`);
      return found;
    };
    const rulesOf = (type: string, groupId: unknown) =>
      Object.values(t.findResources(type))
        .map((r) => r.Properties)
        .filter((p) => same(p.GroupId, groupId));

    it('opens the ALB to HTTP and HTTPS from anywhere, and nothing else', () => {
      // Assess
      t.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Application load balancer'),
        SecurityGroupIngress: [
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
        ],
      });
      t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: alb,
        DestinationSecurityGroupId: instances,
        IpProtocol: 'tcp',
        FromPort: 32768,
        ToPort: 65535,
      });
    });

    it('lets the container instances in only from the ALB on the dynamic port range', () => {
      // Assess
      expect(rulesOf('AWS::EC2::SecurityGroupIngress', instances)).toEqual([
        expect.objectContaining({
          SourceSecurityGroupId: alb,
          IpProtocol: 'tcp',
          FromPort: 32768,
          ToPort: 65535,
        }),
      ]);
      const group = t.toJSON().Resources[logicalIdOf(instances)];
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    });

    it('lets the container instances out only on HTTPS and to the database: no allow-all egress', () => {
      // Assess
      const group = t.toJSON().Resources[logicalIdOf(instances)];
      expect(group.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
      const allEgress = [
        ...group.Properties.SecurityGroupEgress,
        ...rulesOf('AWS::EC2::SecurityGroupEgress', instances),
      ];
      expect(allEgress).not.toContainEqual(expect.objectContaining({ IpProtocol: '-1' }));
      t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: instances,
        DestinationSecurityGroupId: db,
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
      });
    });

    it('lets the database in on 5432 from the container instances only, with no egress', () => {
      // Assess
      expect(rulesOf('AWS::EC2::SecurityGroupIngress', db)).toEqual([
        expect.objectContaining({
          SourceSecurityGroupId: instances,
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
        }),
      ]);
      const group = t.toJSON().Resources[logicalIdOf(db)];
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      // CDK's placeholder for "no egress": a rule that matches no traffic.
      expect(group.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }),
      ]);
    });

    it('is the only place rules are created: consumers add none', () => {
      // Assess
      for (const consumer of [regions[role].service, regions[role].database]) {
        const c = Template.fromStack(consumer);
        c.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
        c.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
        c.resourceCountIs('AWS::EC2::SecurityGroup', 0);
      }
    });
  });
});
