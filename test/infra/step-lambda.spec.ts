import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENTRY_METADATA_KEY } from '../../infra/constructs/entry-metadata';
import { StepLambda, type StepLambdaProps } from '../../infra/constructs/step-lambda';
import { HEALTH_PROBE_ENV } from '../../lambdas/health-probe/env';

type ProbeVar = (typeof HEALTH_PROBE_ENV)[number];

const ENV: Record<ProbeVar, string> = {
  TARGET_REGION: 'us-west-2',
  PROBE_URL: 'http://main.app.example.com/',
  PROBE_TIMEOUT_MS: '5000',
  METRIC_NAMESPACE: 'PilotLight',
  METRIC_NAME: 'SourceRegionHealthy',
  PROJECT: 'test',
  PERIOD_SECONDS: '60',
  REQUESTS_PER_PERIOD: '6',
  CONTROL_URLS: '',
};

function makeProps(overrides: Partial<StepLambdaProps<ProbeVar>> = {}): StepLambdaProps<ProbeVar> {
  return {
    entry: 'lambdas/health-probe',
    description: 'test',
    envNames: HEALTH_PROBE_ENV,
    environment: ENV,
    statements: [],
    ...overrides,
  };
}

function newStack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-west-2' } });
}

describe('StepLambda', () => {
  it('sets the handler’s variables plus the runtime’s own, and no ignored POWERTOOLS_SERVICE_NAME', () => {
    // Prepare
    const stack = newStack();
    // Act
    new StepLambda(stack, 'Probe', makeProps());
    // Assess
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(fn?.Properties.Environment.Variables).toEqual({
      ...ENV,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    expect(fn?.Metadata[ENTRY_METADATA_KEY]).toBe('lambdas/health-probe');
  });

  it('refuses a variable the handler does not read, even one a spread slipped past the type', () => {
    // Prepare
    const extra = { ...ENV, UNREAD: 'x' };
    // Act
    const act = () => new StepLambda(newStack(), 'Probe', makeProps({ environment: extra }));
    // Assess
    expect(act).toThrow('Test/Probe: lambdas/health-probe does not read UNREAD');
  });

  it('refuses a wildcard resource without its reason', () => {
    // Prepare
    const statements = [{ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }];
    // Act
    const act = () => new StepLambda(newStack(), 'Probe', makeProps({ statements }));
    // Assess
    expect(act).toThrow("cloudwatch:PutMetricData on * needs a 'why'");
  });
});
