import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDrill } from '../../drill/analysis';
import { buildReport, formatReport, writeReportFiles } from '../../drill/report';
import { runDrill } from '../../drill/run';
import { timelineSvg } from '../../drill/svg';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { extractOrchestrator } from '../../drill/wiring';
import { config } from './sim-helpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'drill', 'orchestrator.template.json');

describe('drill report', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drill-report-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes report.json with the documented fields, a timeline SVG and the handler logs', async () => {
    // Prepare
    const wiring = extractOrchestrator(JSON.parse(readFileSync(FIXTURE, 'utf8')), {
      region: 'us-west-2',
      account: '111111111111',
    });
    const run = await runDrill({
      config,
      role: 'dr',
      mode: 'planned',
      timings: sampleTimings(loadTimingModel()),
      wiring,
    });
    const report = buildReport(run, analyzeDrill(run), { faults: [], seed: 3 });

    // Act
    const files = writeReportFiles(dir, report, ['{"level":"INFO"}']);

    // Assess
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    for (const key of [
      'mode',
      'rtoSeconds',
      'criticalPathSeconds',
      'rtoOverCriticalPath',
      'runbookRtoSeconds',
      'rtoOverRunbook',
      'stateTransitions',
      'apiCalls',
      'steps',
      'invariants',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(json.steps).toEqual([
      { name: 'Step', start: 0, end: expect.any(Number), criticalPath: false },
      { name: 'Notify', start: expect.any(Number), end: expect.any(Number), criticalPath: false },
    ]);
    expect(json.rtoOverCriticalPath).toBeCloseTo(
      (json.rtoSeconds as number) / (json.criticalPathSeconds as number),
      2,
    );
    expect(readFileSync(join(dir, 'timeline.svg'), 'utf8')).toMatch(
      /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(readFileSync(join(dir, 'lambda-logs.jsonl'), 'utf8')).toBe('{"level":"INFO"}\n');
    expect(files).toHaveLength(3);
    expect(formatReport(report)).toMatch(/RTO ÷ critical path[\s\S]*invariants/);
  });

  it('draws one bar per step, critical-path steps in red, with RTO and lower-bound lines', () => {
    // Act
    const svg = timelineSvg({
      title: 'a <drill> & more',
      steps: [
        { name: 'ScaleDatabase', start: 1, end: 602, actualDoneAt: 601, onCriticalPath: true },
        { name: 'ScaleService', start: 1, end: 302, onCriticalPath: false },
      ],
      rtoSeconds: 785,
      criticalPathSeconds: 780,
    });

    // Assess
    expect(svg.match(/<rect [^>]*rx="3"/g)).toHaveLength(2);
    expect(svg).toContain('fill="#d9534f" stroke="#8b1e1a"');
    expect(svg).toContain('a &lt;drill&gt; &amp; more');
    expect(svg).toContain('ratio 1.006');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});
