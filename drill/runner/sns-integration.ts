import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { runAs } from '../sim/invocation';
import { DRILL_CREDENTIALS, type LocalTaskHandler, namedError } from './lambda-emulation';

/** The resource of Step Functions' optimized SNS integration. */
export const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

type PublishInput = ConstructorParameters<typeof PublishCommand>[0];

/**
 * Step Functions' `sns:publish` integration in `region`: the Task's parameters become a Publish
 * call (through the SDK, so the simulated SNS records it), and service errors come back as
 * `SNS.<code>`, as the optimized integration names them.
 */
export function snsPublishIntegration(
  region: string,
): (stateName: string, executionArn: string) => LocalTaskHandler {
  const client = new SNSClient({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const env = { ...DRILL_CREDENTIALS, AWS_REGION: region };
  return (stateName, executionArn) => async (input) => {
    try {
      const out = await runAs({ env, region, functionName: 'states:sns', stateName, executionArn }, () =>
        client.send(new PublishCommand(input as PublishInput)),
      );
      return { MessageId: out.MessageId ?? null };
    } catch (err: unknown) {
      const e = err instanceof Error ? err : new Error(String(err));
      throw namedError(`SNS.${e.name === 'Error' ? 'SdkClientException' : e.name}`, e.message);
    }
  };
}
