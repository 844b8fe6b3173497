import { spawnSync } from 'node:child_process';

/** Where a report came from: the commit of the code that produced it. */

/** What a report says when the drill does not run from a git checkout (or git is missing). */
export const UNKNOWN_COMMIT = 'unknown';

const commits = new Map<string, string>();

/** `git rev-parse HEAD` in `root` (asked once per root), or {@link UNKNOWN_COMMIT} outside a repository. */
export function gitCommit(root: string): string {
  const cached = commits.get(root);
  if (cached !== undefined) return cached;
  const r = spawnSync('git', ['rev-parse', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const sha = r.status === 0 ? r.stdout.trim() : '';
  const commit = /^[0-9a-f]{40,64}$/.test(sha) ? sha : UNKNOWN_COMMIT;
  commits.set(root, commit);
  return commit;
}
