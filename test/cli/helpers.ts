import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CliDeps } from '../../infra/cli/deps';
import type { DnsAnswers } from '../../lambdas/shared/dns-answers';

/** Fixed "now" of the CLI tests. */
export const NOW = new Date('2026-11-24T10:00:00Z');
export const MAIN_SM = 'arn:aws:states:us-east-1:111111111111:stateMachine:sonar-proj-1-main-failover';
export const DR_SM = 'arn:aws:states:us-west-2:111111111111:stateMachine:sonar-proj-1-dr-failover';
export const DR_EXEC = 'arn:aws:states:us-west-2:111111111111:execution:sonar-proj-1-dr-failover:drill';

/** A fake data plane: `answers[name]` or nothing; `fail` makes every lookup throw. */
export function fakeDns(answers: Record<string, string[]>, fail?: Error): DnsAnswers {
  return {
    resolve4: async (name) => {
      if (fail) throw fail;
      return answers[name] ?? [];
    },
  };
}

/** Deps recording what the CLI prints, which regions and profiles it asks for, and its sleeps. */
export function makeDeps(overrides: Partial<CliDeps> = { pollMs: 1 }) {
  const out: string[] = [];
  const err: string[] = [];
  const regions: string[] = [];
  const profiles: (string | undefined)[] = [];
  const sleeps: number[] = [];
  const deps: CliDeps = {
    clientsFor: (region, profile) => {
      regions.push(region);
      profiles.push(profile);
      return {
        sfn: new SFNClient({ region }),
        rds: new RDSClient({ region }),
        cloudWatch: new CloudWatchClient({ region }),
        autoScaling: new AutoScalingClient({ region }),
        ecs: new ECSClient({ region }),
        backup: new BackupClient({ region }),
      };
    },
    dnsFor: () => fakeDns({}),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => NOW,
    ...overrides,
  };
  return { out, err, regions, profiles, sleeps, deps };
}
