import { InvalidParameterException, NotFoundException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { modeledError } from './aws-errors';
import { executionOf, type SimApi } from './calls';

/** SNS: the orchestrator's topics and every message published to them. */

export interface SimPublished {
  readonly at: number;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  /** `MessageAttributes` string values: the notify Lambda carries the outcome and failed step here. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly execution?: string;
  readonly state?: string;
}

/** The simulated SNS state. */
export class SnsModel {
  /** Topic ARN → its region. */
  readonly topics = new Map<string, string>();
  readonly published: SimPublished[] = [];

  /** A topic deployed in `region` (by the orchestrator stack that publishes to it). */
  addTopic(arn: string, region: string): void {
    this.topics.set(arn, region);
  }
}

/** The simulated SNS API: publishes are recorded for the report and the invariants. */
export const snsApi: SimApi = {
  Publish: (raw, world, region, call) => {
    const input = raw as PublishCommandInput;
    const arn = input.TopicArn ?? '';
    const topicRegion = world.sns.topics.get(arn);
    if (topicRegion === undefined) throw modeledError(NotFoundException, 'Topic does not exist', 404);
    if (topicRegion !== region) throw modeledError(InvalidParameterException, 'Invalid parameter: TopicArn');
    if (input.Message === undefined || input.Message === '') {
      throw modeledError(InvalidParameterException, 'Invalid parameter: Empty message');
    }
    world.sns.published.push({
      at: world.clock.now(),
      topicArn: arn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      message: input.Message,
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
      ),
      ...executionOf(call),
      ...(call.state === undefined ? {} : { state: call.state }),
    });
    return { MessageId: world.ids.uuid() };
  },
};
