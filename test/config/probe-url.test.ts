import { projectNames } from '../../infra/config/names';
import { probeUrlOf } from '../../infra/config/trigger-names';
import { baseConfig, existingAppConfig } from '../infra/app-fixture';

describe('probeUrlOf', () => {
  it("requests main's regional name over HTTPS when pilot-light deploys the listener", () => {
    // Prepare
    const config = baseConfig();
    // Act / Assess
    expect(probeUrlOf(config, projectNames(config).regions.main)).toBe('https://main.app.example.com/');
  });

  it("stays on HTTP for the team's load balancer when the config names no certificate of it", () => {
    // Prepare
    const config = existingAppConfig();
    const main = projectNames(config).regions.main;
    // Act / Assess
    expect(probeUrlOf(config, main)).toMatch(/^http:\/\/main\./);
  });

  it("uses HTTPS for the team's load balancer once its certificate is named", () => {
    // Prepare
    const config = existingAppConfig();
    const { account, region } = config.regions.main;
    config.regions.main.certificateArn = `arn:aws:acm:${region}:${account}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
    // Act / Assess
    expect(probeUrlOf(config, projectNames(config).regions.main)).toMatch(/^https:\/\/main\./);
  });

  it('keeps failover.alarm.probeUrl as given', () => {
    // Prepare
    const config = baseConfig();
    config.failover.alarm.probeUrl = 'http://status.example.com/ping';
    // Act / Assess
    expect(probeUrlOf(config, projectNames(config).regions.main)).toBe('http://status.example.com/ping');
  });
});
