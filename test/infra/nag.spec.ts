import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { runNagNist } from '../../infra/cli/nag-nist';
import { applyNag } from '../../infra/nag';
import { formatNistFindings, nistFindings } from '../../infra/nag-nist';
import { buildTestApp, existingAppConfig, mixedConfig } from './app-fixture';

/** One line per unacknowledged finding: `<severity> <rule> <construct path>`. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity ?? 'error'} ${v.ruleName} ${r.constructPath ?? '?'}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged error or warning in the whole app (base.yml)', () => {
    // Prepare
    const { app } = buildTestApp();
    app.synth(); // runs aspects and lazy properties first
    // Act
    const actual = findings(app);
    // Assess
    expect(actual).toEqual([]);
  });

  it.each([
    ['existing-app.yml (every entry the team’s)', existingAppConfig],
    ['base.yml with its database and bucket the team’s', mixedConfig],
  ])('has no unacknowledged error or warning for %s', (_what, config) => {
    // Prepare
    const { app } = buildTestApp(config());
    app.synth();
    // Act
    const actual = findings(app);
    // Assess
    expect(actual).toEqual([]);
  });

  it('synthesizes with the pack registered as a validation plugin', () => {
    // Prepare
    const { app } = buildTestApp();
    // Act
    applyNag(app);
    // Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('catches an unacknowledged finding (the check is live)', () => {
    // Prepare
    const app = new App();
    new s3.Bucket(new Stack(app, 'Probe'), 'Plain');
    const acknowledged = new App();
    const bucket = new s3.Bucket(new Stack(acknowledged, 'Probe'), 'Plain');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });
    // Act
    const [plain, excused] = [findings(app), findings(acknowledged)];
    // Assess
    expect(plain).toContainEqual(expect.stringMatching(/AwsSolutions-S1 Probe\/Plain/));
    expect(excused).not.toContainEqual(expect.stringMatching(/AwsSolutions-S1 /));
  });
});

describe('cdk-nag NIST 800-53 R5 (information, not gating)', () => {
  it('no longer finds plain HTTP on the load balancers of base.yml', () => {
    // Prepare
    const { app } = buildTestApp();
    app.synth();
    // Act
    const rules = nistFindings(app).map((f) => f.rule);
    // Assess
    expect(rules).not.toContain('ALBHttpToHttpsRedirection');
    expect(rules).not.toContain('ELBv2ACMCertificateRequired');
    expect(rules.length).toBeGreaterThan(0);
  });

  it('finds both on a load balancer that serves plain HTTP (the check is live)', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Plain');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    alb.addListener('Http', {
      port: 80,
      defaultAction: elbv2.ListenerAction.fixedResponse(200, { messageBody: 'ok' }),
    });
    app.synth();
    // Act
    const findings = nistFindings(app);
    // Assess
    expect(findings.find((f) => f.rule === 'ALBHttpToHttpsRedirection')?.resources).toEqual([
      'Plain/Alb/Http/Resource',
    ]);
    expect(findings.find((f) => f.rule === 'ELBv2ACMCertificateRequired')?.resources).toEqual([
      'Plain/Alb/Http/Resource',
    ]);
  });

  it('prints the findings grouped by rule, each resource on its own line', () => {
    // Act
    const text = formatNistFindings([
      { rule: 'B', description: 'b rule', resources: ['S/x'] },
      { rule: 'A', description: 'a rule', resources: ['S/y', 'S/z'] },
    ]);
    // Assess
    expect(text.split('\n')).toEqual([
      'NIST 800-53 R5 (information, not gating): 2 rules, 3 findings',
      '',
      'B (1): b rule',
      '  S/x',
      '',
      'A (2): a rule',
      '  S/y',
      '  S/z',
    ]);
  });

  it('npm run nag:nist refuses an unknown flag with exit 2 and its usage', () => {
    // Prepare
    const out: string[] = [];
    // Act
    const code = runNagNist(['--bogus'], (t) => out.push(t));
    // Assess
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/usage: npm run nag:nist/);
  });
});
