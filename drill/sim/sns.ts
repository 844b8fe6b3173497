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
