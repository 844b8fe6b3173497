import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { pinLogicalId } from '../../infra/stacks/pin-logical-id';

/** A stack holding `topics` SNS topics under one construct `Group`. */
function makeScope(topics: number): { stack: Stack; group: Construct } {
  const stack = new Stack(new App(), 'Pinned');
  const group = new Construct(stack, 'Group');
  for (let i = 0; i < topics; i++) new sns.CfnTopic(group, `Topic${i}`);
  return { stack, group };
}

describe('pinLogicalId', () => {
  it('gives the one element of the type the former logical id', () => {
    // Prepare
    const { stack, group } = makeScope(1);
    // Act
    pinLogicalId(group, sns.CfnTopic, 'FormerTopic1234');
    // Assess
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))).toEqual([
      'FormerTopic1234',
    ]);
  });

  it.each([0, 2])('refuses to pin anything when the scope holds %i elements of the type', (count) => {
    // Prepare
    const { group } = makeScope(count);
    // Act
    const act = () => pinLogicalId(group, sns.CfnTopic, 'FormerTopic1234');
    // Assess
    expect(act).toThrow(`Pinned/Group: expected one CfnTopic to pin as FormerTopic1234, found ${count}`);
  });
});
