import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReportFiles } from '../../drill/report/files';
import { type DrillOutcome, drillOnce, type PreparedDrill, prepareDrill } from '../../drill/sweep/sweep';
import { STEP_LIST } from '../../lambdas/shared/steps';

/** Synthesis runs once; the drill takes a few seconds of wall time. */
const SYNTH_TIMEOUT_MS = 180_000;
const DRILL_TIMEOUT_MS = 120_000;

let prepared: PreparedDrill;
let outcome: DrillOutcome;
beforeAll(async () => {
  prepared = await prepareDrill({ configName: 'base', role: 'dr', mode: 'planned', faults: [] });
  outcome = await drillOnce(prepared);
}, SYNTH_TIMEOUT_MS + DRILL_TIMEOUT_MS);

const STEP_LABELS = new Set(STEP_LIST.map((s) => s.label));

describe('drill: the run record', () => {
  it('writes one record, for the execution, from its live history', () => {
    // Act
    const records = outcome.report.runRecords ?? [];

    // Assess
    expect(records.map((r) => r.execution)).toEqual(outcome.report.executions.map((e) => e.name));
    expect(records[0]?.record.outcome.result).toBe(outcome.report.outcome);
    expect(records[0]?.s3Uri).toMatch(
      /^s3:\/\/.*-dr-run-records-.*\/runs\/\d{4}\/\d{2}\/\d{2}\/drill-1\.md$/,
    );
  });

  it('has the drill report’s timeline: the same steps at the same times', () => {
    // Prepare
    const record = outcome.report.runRecords?.[0]?.record;
    const execution = outcome.report.executions[0];

    // Act
    const recorded = (record?.timeline ?? []).filter((s) => STEP_LABELS.has(s.name));
    const reported = (execution?.steps ?? []).filter((s) => STEP_LABELS.has(s.name));

    // Assess
    expect(recorded.length).toBeGreaterThanOrEqual(5);
    expect(recorded.map((s) => s.name)).toEqual(reported.map((s) => s.name));
    for (const [i, s] of recorded.entries()) {
      const r = reported[i];
      expect({ name: s.name, start: s.start, end: s.end }).toEqual({
        name: r?.name,
        start: expect.closeTo(r?.start ?? Number.NaN, 0),
        end: expect.closeTo(r?.end ?? Number.NaN, 0),
      });
    }
  });

  it('measures the same RTO as the drill report, within a second', () => {
    // Act
    const rto = outcome.report.runRecords?.[0]?.record.rto?.seconds;

    // Assess
    expect(outcome.report.incident.rtoSeconds).toBeGreaterThan(0);
    expect(
      Math.abs((rto ?? Number.NaN) - (outcome.report.incident.rtoSeconds ?? Number.NaN)),
    ).toBeLessThanOrEqual(1);
  });

  it('copies the record next to the report, and report.md uses the record’s sections and table', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'run-record-'));
    try {
      // Act
      const files = writeReportFiles(dir, outcome.report, []);
      const report = readFileSync(join(dir, 'report.md'), 'utf8');
      const record = readFileSync(join(dir, 'run-record.md'), 'utf8');

      // Assess
      expect(files.map((f) => f.replace(`${dir}/`, ''))).toEqual(
        expect.arrayContaining(['report.md', 'run-record.md', 'run-record.json']),
      );
      const headings = (md: string) => md.split('\n').filter((l) => l.startsWith('## '));
      expect(headings(record).filter((h) => h !== '## Run records written')).toEqual(
        headings(report).filter((h) => h !== '## Run records written'),
      );
      const tableHeader = '| step | start s | end s | took s | attempts | errors | notes |';
      expect(report).toContain(tableHeader);
      expect(record).toContain(tableHeader);
      expect(report).toContain(outcome.report.runRecords?.[0]?.s3Uri ?? 'missing');
      expect(JSON.parse(readFileSync(join(dir, 'run-record.json'), 'utf8'))).toEqual(
        outcome.report.runRecords?.[0]?.record,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
