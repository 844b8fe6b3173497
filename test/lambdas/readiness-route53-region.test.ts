import { route53ControlPlaneRegion } from '../../lambdas/readiness/route53-region';

describe('route53ControlPlaneRegion', () => {
  it.each([
    ['us-west-2', 'us-east-1'],
    ['eu-central-1', 'us-east-1'],
    ['cn-north-1', 'cn-northwest-1'],
    ['us-gov-east-1', 'us-gov-west-1'],
  ])('answers %s from %s', (region, expected) => {
    expect(route53ControlPlaneRegion(region)).toBe(expected);
  });
});
