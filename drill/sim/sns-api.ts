import { InvalidParameterException, NotFoundException, type PublishCommandInput } from '@aws-sdk/client-sns';
import type { SimApi } from './api';
import { modeledError } from './aws-errors';
import { executionOf } from './calls';

/** Publish's limits (API reference): a subject under 100 printable ASCII characters, 256 KiB in all. */
const MAX_SUBJECT_CHARS = 99;
const MAX_MESSAGE_BYTES = 262_144;
/** Printable ASCII, beginning with a letter, digit or punctuation (not a space). */
const SUBJECT = /^[!-~][ -~]*$/;

function invalidParameter(what: string): Error {
  return modeledError(InvalidParameterException, `Invalid parameter: ${what}`);
}

/** What Publish refuses in its input, before it looks at the topic; returns the message. */
function checkPublishInput(input: PublishCommandInput): string {
  const subject = input.Subject;
  if (subject !== undefined && (subject.length > MAX_SUBJECT_CHARS || !SUBJECT.test(subject))) {
    throw invalidParameter(
      'Subject: must be ASCII text that begins with a letter, number, or punctuation mark, with no line breaks or control characters, under 100 characters',
    );
  }
  if (input.Message === undefined || input.Message === '') throw invalidParameter('Empty message');
  const attributes = Object.entries(input.MessageAttributes ?? {});
  const bytes =
    Buffer.byteLength(input.Message) +
    attributes.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.StringValue ?? ''), 0);
  if (bytes > MAX_MESSAGE_BYTES) {
    throw invalidParameter(`Message too long: ${bytes} bytes (at most ${MAX_MESSAGE_BYTES})`);
  }
  for (const [name, value] of attributes) {
    if (value.DataType === undefined || value.DataType === '') {
      throw invalidParameter(
        `The message attribute '${name}' must contain a non-empty message attribute type.`,
      );
    }
    if (value.DataType.startsWith('String') && (value.StringValue ?? '') === '') {
      throw invalidParameter(
        `The message attribute '${name}' must contain a non-empty message attribute value.`,
      );
    }
  }
  return input.Message;
}

/** The simulated SNS API: publishes are recorded for the report and the invariants. */
export const snsApi: SimApi = {
  Publish: (raw, world, region, call) => {
    const input = raw as PublishCommandInput;
    const message = checkPublishInput(input);
    const arn = input.TopicArn ?? '';
    const topicRegion = world.sns.topics.get(arn);
    if (topicRegion === undefined) throw modeledError(NotFoundException, 'Topic does not exist', 404);
    if (topicRegion !== region) throw modeledError(InvalidParameterException, 'Invalid parameter: TopicArn');
    world.sns.published.push({
      at: world.clock.now(),
      topicArn: arn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      message,
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
      ),
      ...executionOf(call),
      ...(call.state === undefined ? {} : { state: call.state }),
    });
    return { MessageId: world.ids.uuid() };
  },
};
