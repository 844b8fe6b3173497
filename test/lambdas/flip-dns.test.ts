import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListResourceRecordSetsCommand,
  NoSuchHostedZone,
  PriorRequestNotComplete,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/flip-dns';
import {
  type FlipDnsSettings,
  flipDns,
  normalizeDnsName,
  readFlipDnsSettings,
} from '../../lambdas/flip-dns/flip-dns';
import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import {
  makePrevious,
  REGION_ENV,
  REGION_SETTINGS,
  secondsAgo,
  TARGET_REGION,
  WAIT,
  withEnv,
} from './helpers';

const r53Mock = mockClient(Route53Client);
const ZONE = 'Z0123456789ABC';

function makeSettings(overrides: Partial<FlipDnsSettings> = {}): FlipDnsSettings {
  return {
    ...REGION_SETTINGS,
    hostedZoneId: ZONE,
    recordName: 'app.example.com',
    targetRecordName: 'dr.app.example.com',
    ...overrides,
  };
}

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('dns', { changeId: '/change/C123', ...overrides });
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

function givenRecords(...records: ResourceRecordSet[]): void {
  r53Mock.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: records,
    IsTruncated: false,
    MaxItems: 1,
  });
}

const aliasTo = (dnsName: string, name = 'app.example.com.'): ResourceRecordSet => ({
  Name: name,
  Type: 'A',
  AliasTarget: { HostedZoneId: ZONE, DNSName: dnsName, EvaluateTargetHealth: false },
});

const clients = () => ({ route53: new Route53Client({ region: TARGET_REGION }) });

beforeEach(() => {
  r53Mock.reset();
  r53Mock.on(ChangeResourceRecordSetsCommand).resolves({
    ChangeInfo: { Id: '/change/C123', Status: 'PENDING', SubmittedAt: new Date() },
  });
});

describe('normalizeDnsName', () => {
  it('lowercases and drops the trailing dot', () => {
    expect(normalizeDnsName('DR.App.Example.COM.')).toBe('dr.app.example.com');
  });
});

describe('flipDns', () => {
  it('UPSERTs the record as an alias to the target and returns PENDING with the change id', async () => {
    // Prepare
    givenRecords(aliasTo('main.app.example.com.'));
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ step: 'dns', status: 'PENDING', attempt: 1, changeId: '/change/C123' });
    expect(result.detail).toContain('was main.app.example.com');
    expect(r53Mock).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      StartRecordName: 'app.example.com',
      StartRecordType: 'A',
      MaxItems: 1,
    });
    expect(r53Mock).toHaveReceivedCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: ZONE,
      ChangeBatch: expect.objectContaining({
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: 'app.example.com',
              Type: 'A',
              AliasTarget: { HostedZoneId: ZONE, DNSName: 'dr.app.example.com', EvaluateTargetHealth: false },
            },
          },
        ],
      }),
    });
  });

  it('creates the record when the listing starts at another name (ours is missing)', async () => {
    // Prepare
    givenRecords(aliasTo('dr.app.example.com.', 'b.example.com.'));
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.detail).toContain('was missing');
    expect(r53Mock).toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('returns READY with alreadyDone and changes nothing when the alias already points at the target', async () => {
    // Prepare: Route 53 returns names fully qualified and possibly in another case.
    givenRecords(aliasTo('DR.app.example.com.', 'APP.example.com.'));
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(r53Mock).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('returns PENDING on a check while the change is PENDING', async () => {
    // Prepare
    r53Mock
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C123', Status: 'PENDING', SubmittedAt: new Date() } });
    // Act
    const result = await flipDns(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2, changeId: '/change/C123' });
    expect(r53Mock).toHaveReceivedCommandWith(GetChangeCommand, { Id: '/change/C123' });
    expect(r53Mock).not.toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });

  it('returns READY once the change is INSYNC', async () => {
    // Prepare
    r53Mock
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C123', Status: 'INSYNC', SubmittedAt: new Date() } });
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall({ attempt: 2, startedAt: secondsAgo(30) }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({
      status: 'READY',
      attempt: 3,
      alreadyDone: false,
      changeId: '/change/C123',
      startedAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(result.finishedAt).toEqual(expect.any(String));
  });

  it('throws ResourceNotFoundError when the hosted zone does not exist', async () => {
    // Prepare
    r53Mock
      .on(ListResourceRecordSetsCommand)
      .rejects(new NoSuchHostedZone({ message: 'No hosted zone found', $metadata: { httpStatusCode: 404 } }));
    // Act
    const act = flipDns(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(ZONE);
  });

  it('throws TransientAwsError on PriorRequestNotComplete', async () => {
    // Prepare
    givenRecords(aliasTo('main.app.example.com.'));
    r53Mock
      .on(ChangeResourceRecordSetsCommand)
      .rejects(new PriorRequestNotComplete({ message: 'busy', $metadata: { httpStatusCode: 400 } }));
    // Act / Assess
    await expect(flipDns(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });

  it('throws TransientAwsError when the control plane is unreachable', async () => {
    // Prepare
    r53Mock
      .on(ListResourceRecordSetsCommand)
      .rejects(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));
    // Act / Assess
    await expect(flipDns(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });

  it('throws InvalidStateError when Route 53 rejects the change batch', async () => {
    // Prepare
    givenRecords();
    r53Mock.on(ChangeResourceRecordSetsCommand).rejects(
      new InvalidChangeBatch({
        message: 'alias target does not exist',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    // Act / Assess
    await expect(flipDns(makeEvent(), makeSettings(), clients())).rejects.toThrow(InvalidStateError);
  });

  it('throws WaitTimeoutError when the change is not INSYNC within the budget', async () => {
    // Prepare
    r53Mock
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C123', Status: 'PENDING', SubmittedAt: new Date() } });
    // Act
    const act = flipDns(
      makeEvent({
        previous: previousCall({ attempt: 2, startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1) }),
      }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(/dns: .*change \/change\/C123 PENDING/);
  });
});

describe('readFlipDnsSettings', () => {
  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readFlipDnsSettings({ TARGET_ROLE: 'dr', HOSTED_ZONE_ID: ZONE });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('TARGET_REGION, SOURCE_REGION, RECORD_NAME, TARGET_RECORD_NAME');
  });
});

describe('flip-dns handler', () => {
  it('flips the record through the module and polls until INSYNC', async () => {
    // Prepare: the change is INSYNC at the first poll (one 1 s poll of real time).
    givenRecords(aliasTo('main.app.example.com.'));
    r53Mock
      .on(GetChangeCommand)
      .resolves({ ChangeInfo: { Id: '/change/C123', Status: 'INSYNC', SubmittedAt: new Date() } });
    const env = {
      ...REGION_ENV,
      HOSTED_ZONE_ID: ZONE,
      RECORD_NAME: 'app.example.com',
      TARGET_RECORD_NAME: 'dr.app.example.com',
    };
    // Act
    const result = await withEnv(env, () => handler(makeEvent({ wait: { ...WAIT, pollSeconds: 1 } })));
    // Assess
    expect(result).toMatchObject({ step: 'dns', status: 'READY', attempt: 2, changeId: '/change/C123' });
    expect(r53Mock).toHaveReceivedCommand(ChangeResourceRecordSetsCommand);
  });
});
