import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { applyNag } from '../../infra/nag';
import { buildTestApp } from './app-fixture';

/** One line per unacknowledged finding: `<severity> <rule> <construct path>`. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity ?? 'error'} ${v.ruleName} ${r.constructPath ?? '?'}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged error or warning in the whole app (base.yml)', () => {
    const { app } = buildTestApp();
    app.synth(); // runs aspects and lazy properties first
    expect(findings(app)).toEqual([]);
  });

  it('synthesizes with the pack registered as a validation plugin', () => {
    const { app } = buildTestApp();
    applyNag(app);
    expect(() => app.synth()).not.toThrow();
  });

  it('catches an unacknowledged finding (the check is live)', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Probe'), 'Plain');
    expect(findings(app)).toContainEqual(expect.stringMatching(/AwsSolutions-S1 Probe\/Plain/));

    const acknowledged = new App();
    const bucket = new s3.Bucket(new Stack(acknowledged, 'Probe'), 'Plain');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });
    expect(findings(acknowledged)).not.toContainEqual(expect.stringMatching(/AwsSolutions-S1 /));
  });
});
