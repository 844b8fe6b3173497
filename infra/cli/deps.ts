import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import { authoritativeAnswers, type DnsAnswers } from '../../lambdas/shared/dns-answers';

/** The clients one region's reads and writes go through. */
export interface RegionClients {
  readonly sfn: SFNClient;
  readonly rds: RDSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  /** AWS Backup: the region's vault (`backups`). */
  readonly backup: BackupClient;
}

/** What the commands use from the outside world; tests pass fakes. */
export interface CliDeps {
  /** Clients for `region`, signed with `profile`'s credentials (the default chain when undefined). */
  readonly clientsFor: (region: string, profile: string | undefined) => RegionClients;
  /** Route 53's data plane for `zoneName`. */
  readonly dnsFor: (zoneName: string) => DnsAnswers;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => Date;
  /** How often `follow` reads the execution. @default 5000 */
  readonly pollMs?: number;
  /** @default project-config/ */
  readonly configDir?: string;
}

/**
 * A down region must not hold `status` for minutes: one retry, and a connection that does not
 * open in 3 s is a region that does not answer.
 */
const CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 3000, requestTimeout: 15_000 },
} as const;

function regionClients(region: string, profile: string | undefined): RegionClients {
  const config = { region, ...CLIENT_OPTIONS, ...(profile === undefined ? {} : { profile }) };
  return {
    sfn: new SFNClient(config),
    rds: new RDSClient(config),
    cloudWatch: new CloudWatchClient(config),
    autoScaling: new AutoScalingClient(config),
    ecs: new ECSClient(config),
    backup: new BackupClient(config),
  };
}

/** What the CLI uses when it runs as a process: cached clients per profile and region, stdio, timers. */
export function processDeps(): CliDeps {
  // The SDK's Node-version notice would print before every answer (and before the one line a
  // credentials error gets); an operator tool is not the place to act on it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const clients = new Map<string, RegionClients>();
  return {
    clientsFor: (region, profile) => {
      const key = `${profile ?? ''}\n${region}`;
      let c = clients.get(key);
      if (!c) {
        c = regionClients(region, profile);
        clients.set(key, c);
      }
      return c;
    },
    dnsFor: (zoneName) => authoritativeAnswers(zoneName),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => new Date(),
  };
}
