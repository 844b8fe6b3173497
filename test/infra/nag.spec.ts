import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applyNag } from '../../infra/nag';
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
