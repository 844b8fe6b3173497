import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Run cdk-nag's AwsSolutions pack at synth (cdk-nag 3.x: a CDK policy-validation plugin).
 * Unacknowledged errors fail synth. Acknowledgments (`Validations.of(x).acknowledge`) sit beside
 * the resources they concern, with their reasons, and are listed in `cdk.out/validation-report.json`.
 * (`writeSuppressionsToCloudFormation` is off: it copies every ancestor's acknowledgment onto each
 * descendant resource, which misattributes them.)
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
