import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { covers } from '../../lambdas/readiness/checks/certificate';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { awsError, throttled } from './helpers';
import {
  CERTIFICATE_ARN,
  CERTIFICATE_PARAMETER,
  healthyWorld,
  mocks,
  NOW,
  onlyFinding,
  resetMocks,
  SETTINGS,
} from './readiness-fixtures';

const DAY_MS = 86_400_000;

const certificate = (settings: ReadinessSettings = SETTINGS) => onlyFinding('certificate', settings);

/** DescribeCertificate answers the fixture's certificate changed by `overrides`. */
function givenCertificate(overrides: Record<string, unknown>): void {
  mocks.acm.on(DescribeCertificateCommand).resolves({
    Certificate: {
      CertificateArn: CERTIFICATE_ARN,
      DomainName: 'app.example.com',
      SubjectAlternativeNames: ['app.example.com', 'dr.app.example.com'],
      Status: 'ISSUED',
      NotAfter: new Date(NOW.getTime() + 200 * DAY_MS),
      ...overrides,
    },
  });
}

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('certificate', () => {
  it('is PASS when the certificate is issued, covers every name and is valid for long', async () => {
    // Act
    const result = await certificate();
    // Assess
    expect(result).toEqual({
      id: 'certificate',
      status: 'PASS',
      what: 'load balancer certificate ISSUED, covering app.example.com, dr.app.example.com, valid more than 30 days',
    });
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: CERTIFICATE_PARAMETER });
    expect(mocks.acm).toHaveReceivedCommandWith(DescribeCertificateCommand, {
      CertificateArn: CERTIFICATE_ARN,
    });
  });

  it('gives the same finding when evaluated again (read-only)', async () => {
    // Act
    const [first, second] = [await certificate(), await certificate()];
    // Assess
    expect(second).toEqual(first);
    expect(mocks.acm).toHaveReceivedCommandTimes(DescribeCertificateCommand, 2);
  });

  it('describes the configured certificate without reading the parameter', async () => {
    // Prepare
    const settings = { ...SETTINGS, certificate: { arn: CERTIFICATE_ARN } };
    // Act
    const result = await certificate(settings);
    // Assess
    expect(result.status).toBe('PASS');
    expect(mocks.ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  it('is PASS when a one-label wildcard covers the names', async () => {
    // Prepare
    givenCertificate({ DomainName: '*.app.example.com', SubjectAlternativeNames: ['app.example.com'] });
    // Act / Assess
    expect((await certificate()).status).toBe('PASS');
  });

  it('is FAIL when the certificate is pending validation, naming the zone', async () => {
    // Prepare
    givenCertificate({ Status: 'PENDING_VALIDATION', NotAfter: undefined });
    // Act
    const result = await certificate();
    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      why: 'certificate is PENDING_VALIDATION: ACM has not found its DNS validation records',
    });
    expect(result.fix).toMatch(/validation CNAMEs .* hosted zone Z0123456789ABC/);
    expect(result.fix).toContain(`aws acm describe-certificate --certificate-arn ${CERTIFICATE_ARN}`);
  });

  it('is FAIL when the certificate does not cover a hostname', async () => {
    // Prepare
    const settings = { ...SETTINGS, recordNames: ['app.example.com', 'shop.example.com'] };
    // Act
    const result = await certificate(settings);
    // Assess
    expect(result).toMatchObject({ status: 'FAIL', why: 'certificate does not cover shop.example.com' });
    expect(result.fix).toMatch(/^deploy this region's service stack: it requests a certificate for /);
  });

  it("names the config key when the team's certificate misses a name", async () => {
    // Prepare
    givenCertificate({ SubjectAlternativeNames: ['app.example.com'] });
    const settings = { ...SETTINGS, certificate: { arn: CERTIFICATE_ARN } };
    // Act
    const result = await certificate(settings);
    // Assess
    expect(result).toMatchObject({ status: 'FAIL', why: 'certificate does not cover dr.app.example.com' });
    expect(result.fix).toMatch(/set regions\.dr\.certificateArn/);
  });

  it('is FAIL when the certificate expires in 10 days', async () => {
    // Prepare
    const notAfter = new Date(NOW.getTime() + 10 * DAY_MS);
    givenCertificate({ NotAfter: notAfter, RenewalSummary: { RenewalStatus: 'PENDING_VALIDATION' } });
    // Act
    const result = await certificate();
    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      why: `certificate expires ${notAfter.toISOString()} (in 10 days; readiness needs more than 30); renewal PENDING_VALIDATION`,
    });
    expect(result.fix).toMatch(/RenewalSummary/);
  });

  it('is FAIL when the certificate expired or was revoked', async () => {
    // Prepare
    givenCertificate({ Status: 'EXPIRED' });
    // Act / Assess
    expect(await certificate()).toMatchObject({ status: 'FAIL', why: 'certificate is EXPIRED' });
  });

  it('is FAIL when the service stack wrote no parameter', async () => {
    // Prepare
    mocks.ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'not found'));
    // Act
    const result = await certificate();
    // Assess
    expect(result).toMatchObject({ status: 'FAIL' });
    expect(result.why).toMatch(/parameter \/proj\/dr\/tls\/certificate-arn does not exist/);
    expect(mocks.acm).not.toHaveReceivedCommand(DescribeCertificateCommand);
  });

  it('is FAIL when the certificate does not exist', async () => {
    // Prepare
    mocks.acm.on(DescribeCertificateCommand).rejects(awsError('ResourceNotFoundException', 'no such', 400));
    // Act / Assess
    expect(await certificate()).toMatchObject({
      status: 'FAIL',
      why: `certificate ${CERTIFICATE_ARN} does not exist in us-west-2`,
    });
  });

  it('is UNKNOWN when DescribeCertificate cannot be read', async () => {
    // Prepare
    mocks.acm.on(DescribeCertificateCommand).rejects(throttled());
    // Act
    const result = await certificate();
    // Assess
    expect(result).toMatchObject({ status: 'UNKNOWN' });
    expect(result.why).toMatch(/^acm:DescribeCertificate failed: ThrottlingException/);
  });

  it('is UNKNOWN when access to the parameter is denied, naming the permission', async () => {
    // Prepare
    mocks.ssm.on(GetParameterCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));
    // Act
    const result = await certificate();
    // Assess
    expect(result).toMatchObject({ status: 'UNKNOWN' });
    expect(result.fix).toMatch(/grant ssm:GetParameter/);
  });

  it('is PASS with nothing read when no certificate is known', async () => {
    // Prepare
    const { certificate: _none, ...settings } = SETTINGS;
    // Act
    const result = await certificate(settings);
    // Assess
    expect(result).toMatchObject({ status: 'PASS', what: expect.stringMatching(/no certificate to check/) });
    expect(mocks.acm).not.toHaveReceivedCommand(DescribeCertificateCommand);
  });
});

describe('covers', () => {
  it.each([
    ['app.example.com', 'app.example.com', true],
    ['APP.example.com', 'app.example.com', true],
    ['*.example.com', 'app.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['shop.example.com', 'app.example.com', false],
  ])('%s covers %s: %s', (pattern, name, expected) => {
    expect(covers(pattern, name)).toBe(expected);
  });
});
