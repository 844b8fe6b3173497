import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../infra/cli/run';
import { awsError } from '../lambdas/helpers';
import { DR_SM, MAIN_SM, makeDeps, NOW } from './helpers';

const sfnMock = mockClient(SFNClient);
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

describe('list', () => {
  beforeEach(() => sfnMock.reset());

  it('merges both regions, newest first, with status and duration', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: MAIN_SM }).resolves({
      executions: [
        {
          executionArn: 'a',
          stateMachineArn: MAIN_SM,
          name: 'failback',
          status: 'SUCCEEDED',
          startDate: at(30),
          stopDate: at(17),
        },
      ],
    });
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: DR_SM }).resolves({
      executions: [
        { executionArn: 'b', stateMachineArn: DR_SM, name: 'now', status: 'RUNNING', startDate: at(2) },
        {
          executionArn: 'c',
          stateMachineArn: DR_SM,
          name: 'old',
          status: 'FAILED',
          startDate: at(120),
          stopDate: at(119.5),
        },
      ],
    });
    const { deps, out } = makeDeps();
    // Act
    const code = await runCli(['list', '--limit', '2'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'STARTED (UTC)        REGION  STATUS     DURATION      NAME',
      '2026-11-24 09:58:00  dr      RUNNING    2m00s so far  now',
      '2026-11-24 09:30:00  main    SUCCEEDED  13m00s        failback',
    ]);
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: DR_SM,
      maxResults: 2,
    });
  });

  it('asks one region with --region, and says when it has no executions', async () => {
    sfnMock.on(ListExecutionsCommand).resolves({});
    const { deps, out, regions } = makeDeps();
    expect(await runCli(['list', '--region', 'dr'], deps)).toBe(0);
    expect(regions).toEqual(['us-west-2']);
    expect(out).toEqual(['no executions in dr']);
  });

  it('lists the region that answers and warns about the other', async () => {
    // Prepare
    sfnMock
      .on(ListExecutionsCommand, { stateMachineArn: MAIN_SM })
      .rejects(awsError('TimeoutError', 'timed out', 500));
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: DR_SM }).resolves({
      executions: [
        {
          executionArn: 'b',
          stateMachineArn: DR_SM,
          name: undefined as unknown as string,
          status: 'ABORTED',
          startDate: undefined as unknown as Date,
        },
      ],
    });
    const { deps, out, err } = makeDeps();
    // Act
    const code = await runCli(['list'], deps);
    // Assess
    expect(code).toBe(0);
    expect(err).toEqual(['warning: main (us-east-1) did not answer: TimeoutError: timed out']);
    expect(out[1]).toBe('-              dr      ABORTED  -         -');
  });

  it('exits 1 when no region answers', async () => {
    sfnMock.on(ListExecutionsCommand).rejects(awsError('TimeoutError', 'timed out', 500));
    const { deps, out, err } = makeDeps();
    expect(await runCli(['list'], deps)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(2);
  });

  it('says how to sign in, once, when the credentials are missing', async () => {
    sfnMock.on(ListExecutionsCommand).rejects(awsError('UnrecognizedClientException', 'invalid token'));
    const { deps, err } = makeDeps();
    expect(await runCli(['list'], deps)).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^error: no usable AWS credentials for account 111111111111 \(/),
    ]);
  });
});
