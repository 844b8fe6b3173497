import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Run cdk-nag's AwsSolutions pack at synth (cdk-nag 3.x: a CDK policy-validation plugin).
 * Unacknowledged errors fail synth; acknowledgments (`Validations.of(x).acknowledge`) sit beside
 * the resources they concern and are also written into the template metadata as an audit trail.
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}
