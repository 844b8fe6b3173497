import { NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The prefix cdk-nag gives every NIST 800-53 R5 rule id (`NIST.800.53.R5-ALBHttpToHttpsRedirection`). */
const NIST_PREFIX = 'NIST.800.53.R5-';

/** One NIST 800-53 R5 rule and every resource of the app it flags. */
export interface NistFinding {
  /** The rule without its pack prefix, e.g. `ALBHttpToHttpsRedirection`. */
  readonly rule: string;
  readonly description: string;
  /** Construct paths, sorted. */
  readonly resources: readonly string[];
}

/**
 * The NIST 800-53 R5 pack's findings over `scope`, one per rule, sorted by rule. Information only:
 * the project gates on AwsSolutions (`nag.ts`); this pack is read to see where the app stands and
 * which findings docs/security.md accepts. Call after `app.synth()` (aspects and lazy values resolved).
 */
export function nistFindings(scope: IConstruct): NistFinding[] {
  const report = new NIST80053R5Checks().validateScope(scope);
  const byRule = new Map<string, { description: string; resources: Set<string> }>();
  for (const v of report.violations) {
    const rule = v.ruleName.startsWith(NIST_PREFIX) ? v.ruleName.slice(NIST_PREFIX.length) : v.ruleName;
    const entry = byRule.get(rule) ?? { description: v.description, resources: new Set<string>() };
    for (const r of v.violatingResources)
      entry.resources.add(r.constructPath ?? `${r.templatePath}#${r.resourceLogicalId}`);
    byRule.set(rule, entry);
  }
  return [...byRule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, { description, resources }]) => ({ rule, description, resources: [...resources].sort() }));
}

/** `findings` as text: each rule with its resource count and description, then one resource per line. */
export function formatNistFindings(findings: readonly NistFinding[]): string {
  if (findings.length === 0) return 'No NIST 800-53 R5 findings.';
  const resources = findings.reduce((n, f) => n + f.resources.length, 0);
  const lines = [`NIST 800-53 R5 (information, not gating): ${findings.length} rules, ${resources} findings`];
  for (const f of findings) {
    lines.push('', `${f.rule} (${f.resources.length}): ${f.description.split('\n')[0] ?? ''}`);
    for (const r of f.resources) lines.push(`  ${r}`);
  }
  return lines.join('\n');
}
