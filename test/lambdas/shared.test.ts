import { dirname } from 'node:path';
import { InvalidGlobalClusterStateFault } from '@aws-sdk/client-rds';
import { PriorRequestNotComplete } from '@aws-sdk/client-route-53';
import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import {
  parseIntVar,
  parseListVar,
  parsePairedListVars,
  regionSettings,
  requireEnv,
} from '../../lambdas/shared/env';
import {
  asError,
  awsCall,
  hasErrorName,
  InvalidInputError,
  InvalidStateError,
  isThrottling,
  isTransient,
  ResourceNotFoundError,
  rethrow,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import { nameList } from '../../lambdas/shared/name-list';
import { beginStep, ensureBudget, pending, ready } from '../../lambdas/shared/step-result';
import { withTimeout } from '../../lambdas/shared/timeout';
import { awsError, makePrevious, secondsAgo, throttled, WAIT } from './helpers';

/** What Node's socket layer throws: no HTTP status, a `code`. */
function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code, syscall: 'connect' });
}

function namedError(name: string): Error {
  const err = new Error(name);
  err.name = name;
  return err;
}

/** An error the service marks with the `retryable` trait (the SDK sets `$retryable`). */
function retryable(throttling: boolean): Error {
  return Object.assign(awsError('SomeModeledFault', 'x', 400), { $retryable: { throttling } });
}

function priorRequestNotComplete(): Error {
  return new PriorRequestNotComplete({ message: 'busy', $metadata: { httpStatusCode: 400 } });
}

function invalidGlobalClusterState(): Error {
  return new InvalidGlobalClusterStateFault({
    message: 'the source cluster is not healthy',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('errors', () => {
  it('names each class after itself, keeping the cause', () => {
    // Prepare
    const cause = new Error('root');
    // Act
    const err = new ResourceNotFoundError('missing', { cause });
    // Assess
    expect(err.name).toBe('ResourceNotFoundError');
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
  });

  it.each([
    ['ThrottlingException', throttled()],
    ['an unmodeled 429', awsError('SlowDown', 'x', 429)],
    ['Route 53 PriorRequestNotComplete', priorRequestNotComplete()],
    ['an error the service marks as retryable throttling', retryable(true)],
  ])('isThrottling and isTransient are true for %s', (_case, err) => {
    // Act / Assess
    expect(isThrottling(err)).toBe(true);
    expect(isTransient(err)).toBe(true);
  });

  it.each(
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'EPIPE',
      'ETIMEDOUT',
      'ENETUNREACH',
      'EHOSTUNREACH',
      'ENOTFOUND',
      'EAI_AGAIN',
    ].map((code) => [code, networkError(code)] as const),
  )('isTransient is true for the network error %s, which is not throttling', (_case, err) => {
    // Act / Assess
    expect(isTransient(err)).toBe(true);
    expect(isThrottling(err)).toBe(false);
  });

  it.each([
    ['a TimeoutError (the SDK socket timeout, or withTimeout)', namedError('TimeoutError')],
    ['a RequestTimeout', awsError('RequestTimeout', 'x', 400)],
    ['a RequestTimeoutException', awsError('RequestTimeoutException', 'x', 400)],
    ['an AbortError (withTimeout aborted the call)', namedError('AbortError')],
    ['a 500', awsError('InternalFailure', 'x', 500)],
    ['a 502', awsError('BadGateway', 'x', 502)],
    ['a 503', awsError('ServiceUnavailable', 'x', 503)],
    ['a 504', awsError('GatewayTimeout', 'x', 504)],
    ['another 5xx (a server error)', awsError('NotImplemented', 'x', 501)],
    ['an error the service marks as retryable', retryable(false)],
    ['an error caused by a network error', new Error('send failed', { cause: networkError('ECONNRESET') })],
    ['a TransientAwsError', new TransientAwsError('already classified')],
  ])('isTransient is true for %s', (_case, err) => {
    // Act / Assess
    expect(isTransient(err)).toBe(true);
  });

  it.each([
    ['a documented refusal', invalidGlobalClusterState()],
    ['a not-found fault', awsError('DBClusterNotFoundFault', 'x', 404)],
    ['a validation error', awsError('ValidationError')],
    ['an access-denied error', awsError('AccessDeniedException', 'denied', 403)],
    ['a plain error', new Error('boom')],
    ['a thrown string', 'boom'],
    [
      'a project error, even with a transient cause',
      new InvalidStateError('left the cluster', { cause: throttled() }),
    ],
  ])('isTransient is false for %s', (_case, err) => {
    // Act / Assess
    expect(isTransient(err)).toBe(false);
    expect(isThrottling(err)).toBe(false);
  });

  it('classifies with the same @smithy/core the SDK clients run', () => {
    // Prepare
    const clientDir = dirname(require.resolve('@aws-sdk/client-rds'));
    // Act
    const clients = require.resolve('@smithy/core/retry', { paths: [clientDir] });
    // Assess
    expect(clients).toBe(require.resolve('@smithy/core/retry'));
  });

  it('hasErrorName matches the name or the code', () => {
    // Act / Assess
    expect(hasErrorName(awsError('DBInstanceAlreadyExistsFault'), 'DBInstanceAlreadyExistsFault')).toBe(true);
    expect(
      hasErrorName(Object.assign(new Error('x'), { code: 'NoSuchHostedZone' }), 'NoSuchHostedZone'),
    ).toBe(true);
    expect(hasErrorName(new Error('x'), 'NoSuchHostedZone')).toBe(false);
  });

  it('rethrow wraps transient errors as TransientAwsError naming the action', () => {
    // Prepare
    const cause = throttled();
    // Act
    const act = () => rethrow(cause, 'DescribeDBClusters');
    // Assess
    expect(act).toThrow(TransientAwsError);
    expect(act).toThrow('DescribeDBClusters: ThrottlingException: Rate exceeded');
  });

  it('rethrow passes project errors and permanent SDK errors through unchanged', () => {
    // Prepare
    const named = new InvalidInputError('bad');
    const permanent = awsError('AccessDeniedException', 'denied', 403);
    // Act / Assess
    expect(() => rethrow(named, 'X')).toThrow(named);
    expect(() => rethrow(permanent, 'X')).toThrow(permanent);
  });

  it('asError turns thrown non-errors into errors', () => {
    // Act / Assess
    expect(asError('text').message).toBe('text');
    expect(asError({ a: 1 }).message).toBe('{"a":1}');
  });

  it('awsCall returns the result or rethrows through rethrow', async () => {
    // Act / Assess
    await expect(awsCall('Get', async () => 42)).resolves.toBe(42);
    await expect(
      awsCall('Get', async () => {
        throw throttled();
      }),
    ).rejects.toThrow(TransientAwsError);
  });
});

describe('env', () => {
  it('requireEnv returns the values or names every missing one', () => {
    // Act / Assess
    expect(requireEnv(['A', 'B'], { A: '1', B: '2' })).toEqual({ A: '1', B: '2' });
    expect(() => requireEnv(['A', 'B', 'C'], { B: '2', C: '' })).toThrow(
      new InvalidInputError('missing environment variable(s): A, C'),
    );
  });

  it('requireEnv accepts an empty value for a variable that may be empty, but not an unset one', () => {
    // Act / Assess
    expect(requireEnv(['A', 'B'], { A: '1', B: '' }, ['B'])).toEqual({ A: '1', B: '' });
    expect(() => requireEnv(['A', 'B'], { A: '' }, ['B'])).toThrow(
      new InvalidInputError('missing environment variable(s): A, B'),
    );
  });

  it('parseIntVar rejects non-integers, blanks and values below the minimum', () => {
    // Act / Assess
    expect(parseIntVar('N', '3', 1)).toBe(3);
    expect(() => parseIntVar('N', '2.5')).toThrow(/N: expected a non-negative integer, got '2.5'/);
    expect(() => parseIntVar('N', ' ')).toThrow(InvalidInputError);
    expect(() => parseIntVar('N', '0', 1)).toThrow(/expected an integer >= 1/);
  });

  it('parseListVar returns the items trimmed, in order, and rejects an empty item naming the variable', () => {
    // Act / Assess
    expect(parseListVar('L', 'b.example.com, a.example.com')).toEqual(['b.example.com', 'a.example.com']);
    expect(() => parseListVar('L', 'a,,b')).toThrow(
      new InvalidInputError(
        "environment variable L: expected a comma-separated list without empty items, got 'a,,b'",
      ),
    );
    expect(() => parseListVar('L', ' ')).toThrow(InvalidInputError);
  });

  it('parsePairedListVars pairs lists by index and names every variable with its length when lengths differ', () => {
    // Act / Assess
    expect(parsePairedListVars({ name: 'A', raw: 'a1,a2' }, { name: 'B', raw: 'b1, b2' })).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
    expect(
      parsePairedListVars(
        { name: 'A', raw: 'a1,a2' },
        { name: 'B', raw: 'b1,b2' },
        { name: 'C', raw: 'c1 ,c2' },
      ),
    ).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
      ['c1', 'c2'],
    ]);
    expect(() => parsePairedListVars({ name: 'A', raw: 'a1,a2' }, { name: 'B', raw: 'b1' })).toThrow(
      new InvalidInputError(
        'environment variables A (2) and B (1): expected lists of the same length (entry i of each goes with entry i of the others)',
      ),
    );
    expect(() =>
      parsePairedListVars({ name: 'A', raw: 'a1,a2' }, { name: 'B', raw: 'b1,b2' }, { name: 'C', raw: 'c1' }),
    ).toThrow(
      new InvalidInputError(
        'environment variables A (2), B (2) and C (1): expected lists of the same length (entry i of each goes with entry i of the others)',
      ),
    );
    expect(() => parsePairedListVars({ name: 'A', raw: 'a1,' }, { name: 'B', raw: 'b1' })).toThrow(
      /environment variable A: expected a comma-separated list without empty items/,
    );
  });

  it('regionSettings validates TARGET_ROLE', () => {
    // Act / Assess
    expect(
      regionSettings({ TARGET_ROLE: 'main', TARGET_REGION: 'us-east-1', SOURCE_REGION: 'us-west-2' }),
    ).toEqual({
      targetRole: 'main',
      targetRegion: 'us-east-1',
      sourceRegion: 'us-west-2',
    });
    expect(() => regionSettings({ TARGET_ROLE: 'x', TARGET_REGION: 'a', SOURCE_REGION: 'b' })).toThrow(
      InvalidInputError,
    );
  });
});

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('dns', overrides);
}

describe('step-result', () => {
  it('counts attempts and carries startedAt from previous', () => {
    // Prepare
    const previous = previousCall({ attempt: 2, startedAt: '2026-01-01T00:00:00.000Z' });
    // Act
    const call = beginStep('dns', { wait: WAIT, previous });
    // Assess
    expect(call).toMatchObject({ attempt: 3, startedAt: '2026-01-01T00:00:00.000Z', wait: WAIT });
  });

  it('marks a first-call READY as alreadyDone unless it changed something', () => {
    // Prepare
    const first = beginStep('dns', { wait: WAIT });
    // Act / Assess
    expect(ready(first, 'ok')).toMatchObject({
      status: 'READY',
      alreadyDone: true,
      finishedAt: expect.any(String),
    });
    expect(ready(first, 'ok', { changed: true }).alreadyDone).toBe(false);
    expect(pending(first, 'wait')).not.toHaveProperty('finishedAt');
  });

  it('never times out the acting call, and times out a check once the budget is spent', () => {
    // Prepare: a 1-minute budget; one check 30 s in, one 61 s in.
    const wait = { ...WAIT, budgetMinutes: 1 };
    const first = beginStep('dns', { wait });
    const early = beginStep('dns', { wait, previous: previousCall({ startedAt: secondsAgo(30) }) });
    const late = beginStep('dns', { wait, previous: previousCall({ startedAt: secondsAgo(61) }) });
    // Act / Assess
    expect(() => ensureBudget(first, 'x')).not.toThrow();
    expect(() => pending(early, 'change C1 PENDING')).not.toThrow();
    expect(() => pending(late, 'change C1 PENDING')).toThrow(WaitTimeoutError);
    expect(() => pending(late, 'change C1 PENDING')).toThrow(
      /^dns: goal not met after 6\d s \(budget 1 min\): still change C1 PENDING$/,
    );
  });

  it('rejects bad wait settings or another step’s previous result', () => {
    // Act / Assess
    expect(() => beginStep('dns', { wait: { ...WAIT, pollSeconds: 0 } })).toThrow(
      /dns: wait: expected positive integers for pollSeconds/,
    );
    expect(() => beginStep('dns', {} as StepEvent)).toThrow(InvalidInputError);
    expect(() => beginStep('database', { wait: WAIT, previous: previousCall() })).toThrow(
      /expected a 'database' result, got 'dns'/,
    );
  });
});

describe('nameList', () => {
  it('returns the names as in a sentence, in the order given', () => {
    // Act / Assess
    expect(nameList(['a.example.com'])).toBe('a.example.com');
    expect(nameList(['a.example.com', 'b.example.com'])).toBe('a.example.com and b.example.com');
    expect(nameList(['c', 'a', 'b'])).toBe('c, a and b');
    expect(nameList([])).toBe('');
  });
});

describe('withTimeout', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves with the work and clears its timer', async () => {
    // Prepare
    jest.useFakeTimers();
    // Act
    const value = await withTimeout(async () => 'done', 1000, 'probe');
    // Assess
    expect(value).toBe('done');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError and aborts the signal when the clock passes the deadline', async () => {
    // Prepare
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const result = withTimeout(
      (s) => {
        signal = s;
        return new Promise<never>(() => undefined);
      },
      1000,
      'probe',
    );
    // Act
    jest.advanceTimersByTime(1000);
    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'probe: no answer within 1000 ms',
    });
    expect(signal?.aborted).toBe(true);
  });
});
