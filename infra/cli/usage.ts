/** Usage texts: `--help` prints one on stdout, a usage error prints it on stderr after the problems. */

const COMMON = `  --project <name>  project-config/<name>.yml (default base)
  --profile <name>  AWS profile for every call (default: AWS_PROFILE, then the default chain)
  -h, --help        this text`;

export const START_USAGE = `usage: npm run failover -- [start] --region <main|dr> --mode <planned|unplanned|auto>
                            [--reason "<text>"] [--dry-run] [--follow] [--name <execution-name>]
                            [--yes] [--project <name>] [--profile <name>]

  Starts the failover state machine that promotes --region (dr = fail over, main = fail back).
  --mode     planned: switchover, no data loss, needs a healthy source region
             unplanned: failover with AllowDataLoss, for a regional outage
             auto: planned when the source region answers, else unplanned
  --reason   recorded in the execution and the notification (required with --mode unplanned)
  --dry-run  stop after preflight and report what would be done
  --follow   print each step as it finishes, until the execution ends
  --name     execution name; starting the same name with the same input again is a no-op
  --yes      start an unplanned run without typing the region's name to confirm (needed without a terminal)
${COMMON}`;

export const STATUS_USAGE = `usage: npm run failover -- status [--project <name>] [--profile <name>]

  Both regions at a glance: the database writer (as each region sees it), where the application
  name resolves and each region's traffic claim, DR capacity, each region's readiness (its
  not-ready alarm; details: npm run readiness), detection (the failover alarm, whether its probe
  reports, and the dead letters of the rule that starts the failover), and each region's last execution.
  A region that does not answer is shown as unreachable.
${COMMON}`;

export const LIST_USAGE = `usage: npm run failover -- list [--region <main|dr>] [--limit <n>] [--project <name>] [--profile <name>]

  Recent failover executions, newest first, with outcome and duration.
  --region  one region's state machine only (default both)
  --limit   at most this many executions (default 10, at most 1000)
${COMMON}`;

export const FOLLOW_USAGE = `usage: npm run failover -- follow <execution-arn-or-name> [--region <main|dr>] [--project <name>] [--profile <name>]

  Prints each step of an execution as it finishes, until it ends, then the state it left.
  A name is looked up in --region's state machine (default: both regions).
  --region  the region whose state machine ran the execution
${COMMON}`;

const DECIDE = `  A name is looked up in --region's state machine (default: both regions).
  --region  the region whose state machine runs the execution
  --reason  recorded in the run and its notices`;

export const APPROVE_USAGE = `usage: npm run failover -- approve <execution-arn-or-name> [--reason "<text>"] [--region <main|dr>] [--project <name>] [--profile <name>]

  Approves the failover an execution waits for (failover.approval): it proceeds at once.
${DECIDE}
${COMMON}`;

export const DENY_USAGE = `usage: npm run failover -- deny <execution-arn-or-name> --reason "<text>" [--region <main|dr>] [--project <name>] [--profile <name>]

  Denies the failover an execution waits for: it ends without changing anything, and the
  notification says who denied it and why.
${DECIDE}
${COMMON}`;

export const BACKUPS_USAGE = `usage: npm run failover -- backups [--project <name>] [--profile <name>]

  What the application can be restored from after a corruption (docs/operating.md, "Recovering
  from corruption"): each database's Aurora point-in-time window in each region, and the newest
  recovery points of every database and bucket in both regions' backup vaults (source: backed up
  there; copy: copied from the other region, restorable when that region is gone), with when each
  expires. A region that does not answer is shown as unreachable.
${COMMON}`;

export const GLOBAL_USAGE = `usage: npm run failover -- <command> [flags]

commands:
  start    start a failover (the default when only flags are given)
  status   both regions at a glance
  list     recent executions with outcome and duration
  follow   follow an execution until it ends
  approve  approve the failover an execution waits for
  deny     deny it: the run ends without changing anything
  backups  restorable points of every database and bucket, in both regions

  npm run failover -- <command> --help   flags of one command
${COMMON}`;
