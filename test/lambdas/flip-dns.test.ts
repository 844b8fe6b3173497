import {
  CloudWatchClient,
  InternalServiceFault,
  InvalidParameterValueException,
  MissingRequiredParameterException,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/flip-dns';
import { type FlipDnsSettings, flipDns, readFlipDnsSettings } from '../../lambdas/flip-dns/flip-dns';
import { answerOwner, readDnsProgress } from '../../lambdas/flip-dns/progress';
import type { FlipDnsEvent, StepResult } from '../../lambdas/shared/contracts';
import type { DnsAnswers } from '../../lambdas/shared/dns-answers';
import {
  InvalidInputError,
  InvalidStateError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import {
  makePrevious,
  REGION_ENV,
  REGION_SETTINGS,
  secondsAgo,
  TARGET_REGION,
  throttled,
  WAIT,
  withEnv,
} from './helpers';

jest.mock('node:dns/promises', () => {
  // The handler's real DnsAnswers over a fake Resolver: NS lookup, then the name servers' answers.
  class Resolver {
    resolveNs = async () => ['ns-1.awsdns.example'];
    setServers() {}
    resolve4 = async (name: string) => {
      if (name === 'ns-1.awsdns.example') return ['192.0.2.53'];
      return name === 'main.app.example.com' ? ['198.51.100.1'] : ['203.0.113.1'];
    };
  }
  return { Resolver };
});

const cwMock = mockClient(CloudWatchClient);

const MAIN_IPS = ['198.51.100.1', '198.51.100.2'];
const DR_IPS = ['203.0.113.1', '203.0.113.2'];

function makeSettings(overrides: Partial<FlipDnsSettings> = {}): FlipDnsSettings {
  return {
    ...REGION_SETTINGS,
    project: 'proj',
    zoneName: 'app.example.com',
    recordNames: ['app.example.com'],
    targetRecordName: 'dr.app.example.com',
    sourceRecordName: 'main.app.example.com',
    ...overrides,
  };
}

/** The environment infra gives the function for {@link makeSettings}. */
const ENV = {
  ...REGION_ENV,
  PROJECT: 'proj',
  ZONE_NAME: 'app.example.com',
  RECORD_NAMES: 'app.example.com',
  TARGET_RECORD_NAME: 'dr.app.example.com',
  SOURCE_RECORD_NAME: 'main.app.example.com',
};

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('dns', overrides);
}

function makeEvent(overrides: Partial<FlipDnsEvent> = {}): FlipDnsEvent {
  return { wait: WAIT, ...overrides };
}

/** A fake data plane: the application's name answers `app`; the region records their own IPs. */
function fakeDns(app: readonly string[] | Error): DnsAnswers & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    async resolve4(name: string) {
      names.push(name);
      if (name === 'dr.app.example.com') return DR_IPS;
      if (name === 'main.app.example.com') return MAIN_IPS;
      if (app instanceof Error) throw app;
      return [...app];
    },
  };
}

const HOSTNAMES = ['app.example.com', 'api.example.com', 'www.example.com'];

/** A fake data plane for several hostnames: each answers what `answers` says (the target by default). */
function fakeHostnames(
  answers: Readonly<Record<string, readonly string[]>>,
): DnsAnswers & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    async resolve4(name: string) {
      names.push(name);
      if (name === 'dr.app.example.com') return DR_IPS;
      if (name === 'main.app.example.com') return MAIN_IPS;
      return [...(answers[name] ?? DR_IPS)];
    },
  };
}

const clients = (dns: DnsAnswers) => ({ cloudwatch: new CloudWatchClient({ region: TARGET_REGION }), dns });

beforeEach(() => {
  cwMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
});

describe('answerOwner', () => {
  it('is the target only for a non-empty answer within the target and none of the source', () => {
    expect(answerOwner(['203.0.113.1'], DR_IPS, MAIN_IPS)).toBe('target');
    expect(answerOwner(MAIN_IPS, DR_IPS, MAIN_IPS)).toBe('source');
    expect(answerOwner([], DR_IPS, MAIN_IPS)).toBe('neither');
    expect(answerOwner(['203.0.113.1', '198.51.100.1'], DR_IPS, MAIN_IPS)).toBe('neither');
    expect(answerOwner(['203.0.113.1'], DR_IPS, ['203.0.113.1'])).toBe('neither');
  });
});

describe('flipDns', () => {
  it('publishes this region’s claim in this region and returns PENDING with the current answer', async () => {
    // Prepare
    const dns = fakeDns(MAIN_IPS);
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients(dns));
    // Assess
    expect(result).toMatchObject({ step: 'dns', status: 'PENDING', attempt: 1, answer: MAIN_IPS });
    expect(result.detail).toContain('app.example.com answers main (us-east-1): 198.51.100.1, 198.51.100.2');
    expect(dns.names.sort()).toEqual(['app.example.com', 'dr.app.example.com', 'main.app.example.com']);
    expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cwMock).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'PilotLight',
      MetricData: [
        expect.objectContaining({
          MetricName: 'TrafficClaim',
          Dimensions: [
            { Name: 'Project', Value: 'proj' },
            { Name: 'Role', Value: 'dr' },
          ],
          Value: 1,
          Unit: 'Count',
          StorageResolution: 60,
          Timestamp: expect.any(Date),
        }),
      ],
    });
  });

  describe('dating the claim from when the region became ready', () => {
    /** The Timestamps of the one PutMetricData sent, in ms since the epoch. */
    const sentTimestamps = () =>
      (cwMock.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? []).map((d) =>
        d.Timestamp?.getTime(),
      );
    afterEach(() => jest.useRealTimers());

    it('adds a data point at the ready time when that is in the previous minute, keeping one at now', async () => {
      // Prepare: ready 4 s before now, which is 2 s into a new minute.
      const now = Date.parse('2026-11-25T03:00:02.000Z');
      jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate'] });
      const promotedAt = new Date(now - 4000).toISOString();
      const servingAt = new Date(now - 30_000).toISOString();
      // Act
      await flipDns(makeEvent({ promotedAt, servingAt }), makeSettings(), clients(fakeDns(MAIN_IPS)));
      // Assess: the later of the two ready times, then now.
      expect(sentTimestamps()).toEqual([now - 4000, now]);
    });

    it('sends only now when the region became ready within the same minute', async () => {
      // Prepare
      const now = Date.parse('2026-11-25T03:00:30.000Z');
      jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate'] });
      const at = new Date(now - 10_000).toISOString();
      // Act
      await flipDns(makeEvent({ promotedAt: at, servingAt: at }), makeSettings(), clients(fakeDns(MAIN_IPS)));
      // Assess
      expect(sentTimestamps()).toEqual([now]);
    });

    it('sends only now when the ready time is older than one period, missing or not a date', async () => {
      // Prepare
      const now = Date.parse('2026-11-25T03:00:02.000Z');
      jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate'] });
      const old = new Date(now - 61_000).toISOString();
      for (const event of [
        makeEvent({ promotedAt: old, servingAt: old }),
        makeEvent({ promotedAt: new Date(now - 4000).toISOString() }),
        makeEvent({ promotedAt: 'soon', servingAt: 'soon' }),
      ]) {
        cwMock.resetHistory();
        // Act
        await flipDns(event, makeSettings(), clients(fakeDns(MAIN_IPS)));
        // Assess
        expect(sentTimestamps()).toEqual([now]);
      }
    });
  });

  it('returns READY with alreadyDone and publishes nothing when the name already answers the target', async () => {
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients(fakeDns(DR_IPS)));
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true, answer: DR_IPS });
    expect(result.detail).toContain('answers dr (us-west-2)');
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('publishes when the name answers neither region, and says so', async () => {
    // Act
    const result = await flipDns(makeEvent(), makeSettings(), clients(fakeDns([])));
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', answer: [] });
    expect(result.detail).toContain('answers neither region');
    expect(result.detail).toContain('no answer');
    expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });

  it('returns PENDING on a check while the name still answers the source, publishing nothing more', async () => {
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall() }),
      makeSettings(),
      clients(fakeDns(MAIN_IPS)),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2 });
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('returns READY on a check once the name answers the target', async () => {
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall() }),
      makeSettings(),
      clients(fakeDns(['203.0.113.2'])),
    );
    // Assess
    expect(result).toMatchObject({
      status: 'READY',
      attempt: 2,
      alreadyDone: false,
      answer: ['203.0.113.2'],
    });
  });

  it('throws InvalidStateError when CloudWatch rejects a parameter', async () => {
    // Prepare
    cwMock
      .on(PutMetricDataCommand)
      .rejects(new InvalidParameterValueException({ message: 'bad value', $metadata: {} }));
    // Act
    const act = flipDns(makeEvent(), makeSettings(), clients(fakeDns(MAIN_IPS)));
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
  });

  it('throws InvalidStateError when a required parameter is missing', async () => {
    // Prepare
    cwMock
      .on(PutMetricDataCommand)
      .rejects(new MissingRequiredParameterException({ message: 'missing', $metadata: {} }));
    // Act
    const act = flipDns(makeEvent(), makeSettings(), clients(fakeDns(MAIN_IPS)));
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
  });

  it('throws TransientAwsError on InternalServiceFault', async () => {
    // Prepare
    cwMock
      .on(PutMetricDataCommand)
      .rejects(new InternalServiceFault({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
    // Act
    const act = flipDns(makeEvent(), makeSettings(), clients(fakeDns(MAIN_IPS)));
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });

  it('throws TransientAwsError when PutMetricData is throttled', async () => {
    // Prepare
    cwMock.on(PutMetricDataCommand).rejects(throttled());
    // Act
    const act = flipDns(makeEvent(), makeSettings(), clients(fakeDns(MAIN_IPS)));
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });

  it('passes a DNS lookup failure on as TransientAwsError and publishes nothing', async () => {
    // Act
    const act = flipDns(
      makeEvent(),
      makeSettings(),
      clients(fakeDns(new TransientAwsError('DNS A lookup of app.example.com failed (ETIMEOUT)'))),
    );
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('throws WaitTimeoutError when the budget is spent before the name answers the target', async () => {
    // Act
    const act = flipDns(
      makeEvent({
        previous: previousCall({ attempt: 2, startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1) }),
      }),
      makeSettings(),
      clients(fakeDns(MAIN_IPS)),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(/dns: .*answers main/);
  });
});

describe('flipDns with several hostnames', () => {
  const settings = () => makeSettings({ recordNames: HOSTNAMES });

  it('reads every hostname and the two regional records, each once', async () => {
    // Prepare
    const dns = fakeHostnames({});
    // Act
    await flipDns(makeEvent(), settings(), clients(dns));
    // Assess
    expect(dns.names.sort()).toEqual([...HOSTNAMES, 'dr.app.example.com', 'main.app.example.com'].sort());
  });

  it('returns PENDING naming the hostname that still answers the source, publishing the claim once', async () => {
    // Prepare
    const dns = fakeHostnames({ 'api.example.com': MAIN_IPS });
    // Act
    const result = await flipDns(makeEvent(), settings(), clients(dns));
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 1, answer: DR_IPS });
    expect(result.detail).toBe(
      "published dr's traffic claim in us-west-2; " +
        'api.example.com answers main (us-east-1): 198.51.100.1, 198.51.100.2; 2 of 3 hostnames answer dr',
    );
    expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });

  it('returns PENDING on a check while one of three hostnames still answers the source', async () => {
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall() }),
      settings(),
      clients(fakeHostnames({ 'www.example.com': MAIN_IPS })),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2 });
    expect(result.detail).toBe(
      'www.example.com answers main (us-east-1): 198.51.100.1, 198.51.100.2; 2 of 3 hostnames answer dr',
    );
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('returns PENDING naming each laggard and the regional answers when one answers neither region', async () => {
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall() }),
      settings(),
      clients(fakeHostnames({ 'app.example.com': MAIN_IPS, 'api.example.com': [] })),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', answer: MAIN_IPS });
    expect(result.detail).toBe(
      'app.example.com answers main (us-east-1): 198.51.100.1, 198.51.100.2; ' +
        'api.example.com answers neither region (dr.app.example.com: 203.0.113.1, 203.0.113.2; ' +
        'main.app.example.com: 198.51.100.1, 198.51.100.2): no answer; 1 of 3 hostnames answer dr',
    );
  });

  it('returns READY on a check once every hostname answers the target', async () => {
    // Act
    const result = await flipDns(
      makeEvent({ previous: previousCall() }),
      settings(),
      clients(fakeHostnames({ 'api.example.com': ['203.0.113.2'] })),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 2, alreadyDone: false, answer: DR_IPS });
    expect(result.detail).toBe(
      'all 3 hostnames answer dr (us-west-2): app.example.com (203.0.113.1, 203.0.113.2), ' +
        'api.example.com (203.0.113.2), www.example.com (203.0.113.1, 203.0.113.2)',
    );
  });

  it('returns READY with alreadyDone and publishes nothing when every hostname already answers here', async () => {
    // Act
    const result = await flipDns(makeEvent(), settings(), clients(fakeHostnames({})));
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('throws WaitTimeoutError naming the laggard when the budget is spent', async () => {
    // Act
    const act = flipDns(
      makeEvent({
        previous: previousCall({ attempt: 2, startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1) }),
      }),
      settings(),
      clients(fakeHostnames({ 'api.example.com': MAIN_IPS })),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(/dns: .*api\.example\.com answers main/);
  });
});

describe('readDnsProgress', () => {
  it('throws InvalidInputError when given no hostname, reading nothing', async () => {
    // Prepare
    const dns = fakeHostnames({});
    // Act
    const act = readDnsProgress(dns, makeSettings({ recordNames: [] }), REGION_SETTINGS);
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    expect(dns.names).toEqual([]);
  });
});

describe('readFlipDnsSettings', () => {
  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readFlipDnsSettings({ TARGET_ROLE: 'dr', ZONE_NAME: 'app.example.com' });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      'TARGET_REGION, SOURCE_REGION, PROJECT, RECORD_NAMES, TARGET_RECORD_NAME, SOURCE_RECORD_NAME',
    );
  });
  it('parses RECORD_NAMES into the hostnames, trimmed, in order', () => {
    // Act
    const settings = readFlipDnsSettings({ ...ENV, RECORD_NAMES: 'app.example.com, api.example.com' });
    // Assess
    expect(settings.recordNames).toEqual(['app.example.com', 'api.example.com']);
  });

  it.each(['app.example.com,,api.example.com', ',app.example.com', ' '])(
    'throws InvalidInputError naming RECORD_NAMES for %p',
    (value) => {
      // Act
      const act = () => readFlipDnsSettings({ ...ENV, RECORD_NAMES: value });
      // Assess
      expect(act).toThrow(InvalidInputError);
      expect(act).toThrow(
        `environment variable RECORD_NAMES: expected a comma-separated list without empty items, got '${value}'`,
      );
    },
  );

  it('throws InvalidInputError naming RECORD_NAMES when it is empty', () => {
    // Act
    const act = () => readFlipDnsSettings({ ...ENV, RECORD_NAMES: '' });
    // Assess
    expect(act).toThrow(new InvalidInputError('missing environment variable(s): RECORD_NAMES'));
  });
});

describe('flip-dns handler', () => {
  it('reads every hostname of RECORD_NAMES and returns READY when all answer here', async () => {
    // Prepare: the fake Resolver answers the target's address for every name but main's record.
    const env = { ...ENV, RECORD_NAMES: 'app.example.com,api.example.com' };
    // Act
    const result = await withEnv(env, () => handler(makeEvent({ wait: { ...WAIT, pollSeconds: 1 } })));
    // Assess
    expect(result).toMatchObject({ step: 'dns', status: 'READY', alreadyDone: true });
    expect(result.detail).toContain('all 2 hostnames answer dr (us-west-2)');
  });

  it('asks the zone’s name servers and returns READY without publishing when the name answers here', async () => {
    // Prepare: the fake Resolver answers the target's address for the name from the first read,
    // so the first call finds the goal met.
    // Act
    const result = await withEnv(ENV, () => handler(makeEvent({ wait: { ...WAIT, pollSeconds: 1 } })));
    // Assess
    expect(result).toMatchObject({
      step: 'dns',
      status: 'READY',
      alreadyDone: true,
      answer: ['203.0.113.1'],
    });
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });
});
