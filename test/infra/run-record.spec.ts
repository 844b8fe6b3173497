import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { RegionRole } from '../../infra/config/schema';
import { OrchestratorStack } from '../../infra/stacks/orchestrator-stack';
import { RECORD_RUN_ENV } from '../../lambdas/record-run/env';
import { RECORDER } from '../../lambdas/shared/steps';

const config = loadConfig('base');
const names = projectNames(config);

function synth(role: RegionRole): { app: App; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new OrchestratorStack(app, names.regions[role].stacks.orchestrator, {
    env: { account, region },
    config,
    role,
  });
  return { app, template: Template.fromStack(stack) };
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** The recorder function's logical id (found by its source folder) and its role's statements. */
function recorder(template: Template): {
  logicalId: string;
  env: Record<string, string>;
  statements: Statement[];
} {
  const [logicalId, fn] =
    Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, r]) =>
        (r as { Metadata: Record<string, string> }).Metadata['pilot-light:entry'] === RECORDER.folder,
    ) ?? [];
  if (logicalId === undefined) throw new Error('no recorder function');
  const props = (
    fn as {
      Properties: {
        Role: { 'Fn::GetAtt': [string, string] };
        Environment: { Variables: Record<string, string> };
      };
    }
  ).Properties;
  const roleId = props.Role['Fn::GetAtt'][0];
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId),
    )
    .flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
  return { logicalId, env: props.Environment.Variables, statements };
}

describe('run records (orchestrator stack, dr)', () => {
  const { app, template } = synth('dr');
  const own = names.regions.dr;

  it('creates the run-record bucket: named, SSE-S3, versioned, private, retained, logged', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketName: own.runRecordBucketName,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^RunRecordsAccessLogs') },
          LogFilePrefix: 'run-records/',
        },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' }),
          ],
        },
      },
    });
  });

  it('refuses plain HTTP and any put that does not ask for SSE-S3', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^RunRecordsBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Sid: 'RequireSseS3',
            Effect: 'Deny',
            Action: 's3:PutObject',
            Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
          }),
        ]),
      },
    });
  });

  it('gives the recorder exactly the variables it reads', () => {
    const { env } = recorder(template);

    expect(Object.keys(env).sort()).toEqual(
      [...RECORD_RUN_ENV, 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL'].sort(),
    );
    expect(env.RUN_RECORD_BUCKET).toBe(own.runRecordBucketName);
    expect(env.TARGET_REGION).toBe(own.region);
  });

  it('lets the recorder put under runs/ and read its own state machine’s histories, nothing more', () => {
    const { statements } = recorder(template);
    const granted = statements
      .filter(
        (s) => !JSON.stringify(s.Action).includes('logs:') && !JSON.stringify(s.Action).includes('xray:'),
      )
      .map((s) => ({ Action: s.Action, Resource: s.Resource }));

    expect(granted).toEqual([
      { Action: 's3:PutObject', Resource: `${own.runRecordBucketArn}/runs/*` },
      {
        Action: 'states:GetExecutionHistory',
        Resource: `arn:aws:states:${own.region}:${own.account}:execution:${own.stateMachineName}:*`,
      },
    ]);
  });

  it('substitutes the recorder into the definition and lets the state machine invoke it', () => {
    const { logicalId } = recorder(template);

    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectLike({
        [RECORDER.substitution]: { 'Fn::GetAtt': [logicalId, 'Arn'] },
      }),
    });
    const invoke = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    expect(
      invoke.some(
        (s) =>
          s.Action === 'lambda:InvokeFunction' && JSON.stringify(s.Resource).includes(`"${logicalId}","Arn"`),
      ),
    ).toBe(true);
  });

  it('has no unacknowledged cdk-nag finding on the bucket or the recorder', () => {
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    const ours = report.violations.flatMap((v) =>
      v.violatingResources
        .map((r) => `${v.ruleName} ${r.constructPath ?? '?'}`)
        .filter((line) => /\/(RunRecords|Recorder)\//.test(line)),
    );

    expect(ours).toEqual([]);
  });
});
