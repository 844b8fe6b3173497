import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDrill } from '../../drill/analysis/analyze';
import { busiestWindow } from '../../drill/analysis/calls';
import { formatReport, loudLines } from '../../drill/report/console';
import { headline } from '../../drill/report/figures';
import { timelineInput, writeReportFiles } from '../../drill/report/files';
import { gitCommit, UNKNOWN_COMMIT } from '../../drill/report/meta';
import { buildReport } from '../../drill/report/report';
import { timelineSvg } from '../../drill/report/svg';
import type { DrillReport } from '../../drill/report/types';
import { runDrill } from '../../drill/runner/run';
import type { SimCall } from '../../drill/sim/calls';
import { extractOrchestrator } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { config } from './sim-helpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'drill', 'orchestrator.template.json');

/** A report as `buildReport` writes it: one successful planned failover, overridable. */
function makeReport(overrides: Partial<DrillReport> = {}): DrillReport {
  const incident = {
    kind: 'failover' as const,
    result: 'RECOVERED' as const,
    rtoSeconds: 789.3,
    recoveredBy: 'drill-1',
    lowerBoundSeconds: 780,
    lowerBoundShape: 'max(DB add, capacity) + switchover + DNS',
    lowerBoundBranch: 'database',
    lowerBoundParts: { database: 600, service: 300, promotion: 120, dns: 60 },
    ratio: 1.012,
    executions: 1,
    failedExecutions: 0,
    endedAfterSeconds: 789.4,
    transitions: 25,
  };
  return {
    project: 'sonar-proj-1',
    configFile: 'project-config/base.yml',
    commit: 'unknown',
    kind: 'failover',
    role: 'dr',
    targetRegion: 'us-west-2',
    sourceRegion: 'us-east-1',
    mode: 'planned',
    requestedMode: 'planned',
    outcome: 'PROMOTED',
    faults: [],
    incident: { ...incident, headline: headline(incident) },
    stateLeft: {
      regions: [],
      writerRole: 'dr',
      databases: [],
      services: [],
      dns: { record: 'app.example.com', target: 'dr.app.example.com', role: 'dr', region: 'us-west-2' },
      inFlight: [],
      split: false,
      splitPending: false,
      summary: 'database writer in us-west-2 (dr); app.example.com → us-west-2 (dr)',
    },
    runbook: { rtoSeconds: 1740, awsOnlySeconds: 1080, rtoOverRunbook: 0.454 },
    stateTransitions: 25,
    apiCalls: { rds: 10 },
    apiErrors: {},
    apiPeakPerMinute: { rds: { requests: 10, from: 1 } },
    executions: [
      {
        name: 'drill-1',
        executionArn: 'arn:aws:states:us-west-2:111111111111:execution:m:drill-1',
        status: 'SUCCEEDED',
        outcome: 'PROMOTED',
        start: 0,
        end: 789.4,
        stateTransitions: 25,
        steps: [
          { name: 'ScaleDatabase', start: 1, end: 602, actualDoneAt: 601, criticalPath: true },
          { name: 'ScaleService', start: 1, end: 302, criticalPath: false },
          { name: 'FlipDns', start: 726, end: 789.3, criticalPath: true },
        ],
        transitions: [],
      },
    ],
    notifications: [],
    invariants: [{ name: 'exactly one writer', held: true, detail: 'dr' }],
    timings: {},
    capacity: [],
    capacityFound: [],
    calls: [],
    ...overrides,
  };
}

/** `makeReport` failed at FlipDns after promoting: the database and traffic apart. */
function splitReport(): DrillReport {
  const base = makeReport();
  const incident = {
    ...base.incident,
    result: 'FAILED' as const,
    rtoSeconds: undefined,
    ratio: undefined,
    recoveredBy: undefined,
    failedExecution: 'drill-1',
    failedStep: 'FlipDns',
    failedError: 'WaitTimeoutError',
    failedAfterSeconds: 1281.9,
    failedExecutions: 1,
  };
  const execution = base.executions[0];
  if (execution === undefined) throw new Error('makeReport has an execution');
  return makeReport({
    outcome: 'FAILED (WaitTimeoutError)',
    incident: { ...incident, headline: headline(incident) },
    runbook: { rtoSeconds: 1740, awsOnlySeconds: 1080 },
    stateLeft: {
      ...base.stateLeft,
      dns: { record: 'app.example.com', target: 'main.app.example.com', role: 'main', region: 'us-east-1' },
      split: true,
      finishCommand: 'npm run failover -- --project base --region dr --mode planned --follow',
      summary:
        'SPLIT: the database writes in us-west-2 (dr) but app.example.com still resolves to us-east-1 (main)',
      inFlight: ['Route 53 change C1 PENDING (INSYNC at 1300.0 s)'],
    },
    executions: [
      {
        ...execution,
        status: 'FAILED',
        outcome: undefined,
        error: 'WaitTimeoutError',
        failedStep: 'FlipDns',
        end: 1281.9,
        steps: [
          ...execution.steps.slice(0, 2),
          { name: 'FlipDns', start: 726, end: 1281.8, criticalPath: true, failed: true },
        ],
      },
    ],
  });
}

describe('drill report files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drill-report-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes report.json with the incident, every execution, a timeline SVG and the handler logs', async () => {
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
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as DrillReport;
    expect(json).toMatchObject({ kind: 'failover', role: 'dr', seed: 3, stateTransitions: 2 });
    for (const key of ['incident', 'stateLeft', 'executions', 'invariants', 'timings', 'runbook']) {
      expect(json).toHaveProperty(key);
    }
    // The fixture never moves traffic: no RTO, and no ratio.
    expect(json.incident.rtoSeconds).toBeUndefined();
    expect(json.incident.ratio).toBeUndefined();
    expect(json.executions[0]?.steps).toEqual([
      { name: 'Step', start: 0, end: expect.any(Number), criticalPath: false },
      { name: 'Notify', start: expect.any(Number), end: expect.any(Number), criticalPath: false },
    ]);
    expect(json.executions[0]?.transitions.map((t) => t.state)).toEqual(['Step', 'Notify']);
    expect(readFileSync(join(dir, 'timeline.svg'), 'utf8')).toMatch(
      /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(readFileSync(join(dir, 'lambda-logs.jsonl'), 'utf8')).toBe('{"level":"INFO"}\n');
    // report.md too; no run record (the fixture's definition has no recorder).
    expect(files.map((f) => f.replace(`${dir}/`, ''))).toEqual([
      'report.json',
      'timeline.svg',
      'report.md',
      'lambda-logs.jsonl',
    ]);
  });

  it('writes no log file when given no handler output (a sweep keeps only the report and timeline)', () => {
    // Act
    const files = writeReportFiles(dir, makeReport());

    // Assess
    expect(files.map((f) => f.replace(`${dir}/`, ''))).toEqual(['report.json', 'timeline.svg']);
  });
});

describe('one figure, printed the same way everywhere', () => {
  it('prints the headline of report.json verbatim on the console and in the SVG', () => {
    // Prepare
    const report = makeReport();

    // Act
    const console = formatReport(report);
    const svg = timelineSvg(timelineInput(report));

    // Assess
    expect(report.incident.headline).toBe('failover RTO 789.3 s · lower bound 780.0 s · ratio 1.012');
    expect(console).toContain(`Figure: ${report.incident.headline}`);
    expect(svg).toContain(`>${report.incident.headline}</text>`);
    expect(console).toContain('RTO ÷ lower bound                 1.012');
  });

  it('gives a failed run no RTO and no ratio: the time to failure and the failed step instead', () => {
    // Prepare
    const report = splitReport();

    // Act
    const console = formatReport(report);
    const svg = timelineSvg(timelineInput(report));

    // Assess
    expect(report.incident.headline).toBe(
      'failover FAILED at FlipDns after 1281.9 s · no RTO: traffic never reached the writer',
    );
    expect(console).toContain(`Figure: ${report.incident.headline}`);
    expect(console).not.toMatch(/RTO ÷|ratio \d/);
    expect(console).toContain('time to failure                   1281.9 s (drill-1 at FlipDns)');
    expect(console).toMatch(/FlipDns .* \* ✖ FAILED/);
    expect(svg).toMatch(/<text [^>]*>[^<]*FAILED at FlipDns[^<]*<\/text>/);
    expect(svg).toContain('✖ FlipDns');
    expect(svg).toContain('>FAILED</text>');
  });

  it('labels a failback a failback and does not compare it with the seed runbook', () => {
    // Prepare
    const base = makeReport();
    const incident = { ...base.incident, kind: 'failback' as const, lowerBoundSeconds: 180, rtoSeconds: 186 };
    const report = makeReport({
      kind: 'failback',
      role: 'main',
      incident: { ...incident, ratio: 1.033, headline: headline({ ...incident, ratio: 1.033 }) },
      runbook: undefined,
    });

    // Act
    const console = formatReport(report);
    const svg = timelineSvg(timelineInput(report));

    // Assess
    expect(report.incident.headline).toMatch(/^failback RTO 186\.0 s/);
    expect(console).toContain('failback: promote main');
    expect(console).not.toContain('runbook');
    expect(svg).toContain('failback to us-west-2');
    expect(svg).not.toContain('runbook');
  });
});

describe('the state left', () => {
  it('is the loudest line when the database was promoted and traffic was not moved', () => {
    // Prepare
    const report = splitReport();

    // Act
    const lines = formatReport(report).split('\n');
    const svg = timelineSvg(timelineInput(report));

    // Assess
    const figure = lines.findIndex((l) => l.startsWith('Figure:'));
    expect(lines[figure + 1]).toBe(`!!! ${report.stateLeft.summary}`);
    expect(lines[figure + 2]).toBe(
      '!!! Finish the job: npm run failover -- --project base --region dr --mode planned --follow',
    );
    expect(lines[figure + 3]).toBe('    still running: Route 53 change C1 PENDING (INSYNC at 1300.0 s)');
    expect(loudLines(report)).toEqual([lines[figure + 1], lines[figure + 2]]);
    expect(svg).toContain('!!! Finish the job: npm run failover -- --project base --region dr');
  });

  it('is a quiet line when nothing needs finishing', () => {
    // Act
    const report = makeReport();

    // Assess
    expect(formatReport(report)).toContain(`State left: ${report.stateLeft.summary}`);
    expect(loudLines(report)).toEqual([]);
  });
});

describe('timeline SVG', () => {
  it('draws one bar per step, critical-path steps in red, with RTO and lower-bound lines', () => {
    // Act
    const svg = timelineSvg({
      title: 'a <drill> & more',
      headline: 'failover RTO 785.0 s · lower bound 780.0 s · ratio 1.006',
      executions: [
        {
          name: 'drill-1',
          label: 'SUCCEEDED/PROMOTED',
          start: 0,
          end: 785,
          failed: false,
          steps: [
            { name: 'ScaleDatabase', start: 1, end: 602, actualDoneAt: 601, onCriticalPath: true },
            { name: 'ScaleService', start: 1, end: 302, onCriticalPath: false },
          ],
        },
      ],
      rtoSeconds: 785,
      lowerBoundSeconds: 780,
    });

    // Assess
    expect(svg.match(/<rect [^>]*rx="3"/g)).toHaveLength(2);
    expect(svg).toContain('fill="#d9534f" stroke="#8b1e1a"');
    expect(svg).toContain('a &lt;drill&gt; &amp; more');
    expect(svg).toContain('ratio 1.006');
    expect(svg).not.toContain('drill-1');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('draws every execution of an incident under its own header', () => {
    // Prepare
    const steps = [{ name: 'Preflight', start: 0, end: 1, onCriticalPath: true }];

    // Act
    const svg = timelineSvg({
      title: 't',
      headline: 'h',
      executions: [
        { name: 'drill-1', label: 'FAILED at PromoteDatabase', start: 0, end: 604, failed: true, steps },
        { name: 'drill-2', label: 'SUCCEEDED/IN_FLIGHT', start: 60, end: 61, failed: false, steps },
      ],
      lowerBoundSeconds: 780,
    });

    // Assess
    expect(svg).toContain('>drill-1</text>');
    expect(svg).toContain('>FAILED at PromoteDatabase</text>');
    expect(svg).toContain('>SUCCEEDED/IN_FLIGHT</text>');
  });
});

describe('report evidence', () => {
  it('counts API requests per service in the busiest sliding minute, errors included', () => {
    // Prepare
    const call = (service: SimCall['service'], at: number, error?: string): SimCall => ({
      seq: 0,
      service,
      command: 'Describe',
      region: 'us-west-2',
      at,
      input: {},
      ...(error === undefined ? {} : { error }),
    });
    const calls = [
      ...[0, 10, 20, 50, 59.9, 60, 61, 70].map((t) => call('rds', t)),
      call('rds', 65, 'Throttling'),
      call('ecs', 500),
    ];

    // Act
    const peaks = busiestWindow(calls);

    // Assess: [10, 70) holds 10, 20, 50, 59.9, 60, 61, 65 and not 70 (a window is half-open).
    expect(peaks.rds).toEqual({ requests: 7, from: 10 });
    expect(peaks.ecs).toEqual({ requests: 1, from: 500 });
  });

  it('names the commit that ran, or unknown outside a repository', () => {
    // Prepare
    const outside = mkdtempSync(join(tmpdir(), 'no-repo-'));

    // Act
    const inside = gitCommit(join(__dirname, '..', '..'));
    const none = gitCommit(outside);
    rmSync(outside, { recursive: true, force: true });

    // Assess
    expect(inside).toMatch(/^[0-9a-f]{40}$/);
    expect(none).toBe(UNKNOWN_COMMIT);
  });
});
