import type { AlreadyDone } from '../../lambdas/preflight/already-done';
import { plan } from '../../lambdas/preflight/plan';
import type { PromotionProgress } from '../../lambdas/promote-database/progress';
import type { StepName } from '../../lambdas/shared/contracts';
import { SourceUnreachableError } from '../../lambdas/shared/errors';
import { stepsDone } from '../../lambdas/shared/steps';
import { SOURCE_REGION, TARGET_REGION } from './helpers';
import { API_SERVICE, APP_DB, asRead, makeSettings, ORDERS_DB, WEB_SERVICE } from './preflight-fixtures';

const NOTHING: Record<StepName, boolean> = stepsDone();
/** Every promotion step done; `fence` and `replication` are never found done. */
const EVERYTHING: Record<StepName, boolean> = stepsDone({
  database: true,
  service: true,
  promotion: true,
  dns: true,
});
const UNREACHABLE = { reachable: false, available: false, detail: 'source region: TimeoutError: no answer' };

/** The seed's database not promoted yet, its global cluster healthy; changed by `overrides`. */
function promotion(overrides: Partial<PromotionProgress> = {}): PromotionProgress {
  return {
    name: 'app',
    done: false,
    inProgress: false,
    healthy: true,
    isWriter: false,
    clusterStatus: 'available',
    globalStatus: 'available',
    detail: 'app: proj-dr-aurora is not the writer and available, global cluster proj-global available',
    ...overrides,
  };
}

/** A fresh pilot light with a healthy source region, changed by `overrides`. */
function makeFound(overrides: Partial<AlreadyDone> = {}): AlreadyDone {
  return {
    done: NOTHING,
    promotions: [promotion()],
    dnsUnknown: false,
    probe: { reachable: true, available: true, detail: 'source cluster available' },
    ...overrides,
  };
}

const ALL_STEPS =
  'add 1 instance(s) to proj-dr-aurora, scale proj-dr-app to 2 task(s) (ASG ≥ 2), ' +
  "read us-east-1's S3 replication backlog to this region (a failback waits until it is 0), " +
  "switch over proj-global (planned, no data loss), publish this region's traffic claim; " +
  'wait until app.example.com answers dr.app.example.com, ' +
  "then, best effort, release us-east-1's traffic claim";

describe('plan', () => {
  it('returns PROCEED in planned mode for auto when the source answers and the global cluster is healthy', () => {
    // Act
    const result = plan('auto', false, makeFound(), makeSettings());
    // Assess
    expect(result).toEqual({
      status: 'PROCEED',
      mode: 'planned',
      message: `Promoting ${TARGET_REGION}: ${ALL_STEPS} (auto: ${SOURCE_REGION} answers and the global cluster is healthy).`,
    });
  });

  it.each<[string, Partial<AlreadyDone>]>([
    [
      'the source region does not answer',
      { probe: { reachable: false, available: false, detail: 'source region: TimeoutError' } },
    ],
    [
      'the source cluster is not available',
      { probe: { reachable: true, available: false, detail: 'source cluster failed' } },
    ],
    [
      'the global cluster has an operation in progress',
      {
        promotions: [
          promotion({
            healthy: false,
            inProgress: true,
            operation: { status: 'failing-over', dataLossAllowed: true },
          }),
        ],
      },
    ],
  ])('resolves auto to unplanned when %s, saying why', (_case, overrides) => {
    // Prepare
    const found = makeFound(overrides);
    // Act
    const result = plan('auto', false, found, makeSettings());
    // Assess
    expect(result.mode).toBe('unplanned');
    expect(result.message).toContain('fail over proj-global (unplanned, data loss allowed)');
    expect(result.message).toContain(
      `(auto: ${SOURCE_REGION} cannot switch over — ${found.probe.detail}; global cluster available)`,
    );
  });

  it('keeps a requested unplanned mode whatever the source says', () => {
    // Prepare
    const found = makeFound({ probe: UNREACHABLE });
    // Act
    const result = plan('unplanned', false, found, makeSettings());
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'unplanned' });
    expect(result.message).not.toContain('auto:');
  });

  it('keeps a requested planned mode when the source answers, even with its cluster unavailable', () => {
    // Prepare
    const found = makeFound({
      probe: { reachable: true, available: false, detail: 'source cluster modifying' },
    });
    // Act
    const result = plan('planned', false, found, makeSettings());
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned' });
  });

  it.each([false, true])(
    'fails mode planned fast with SourceUnreachableError when the source does not answer (dry run %s)',
    (dryRun) => {
      // Act
      const act = () => plan('planned', dryRun, makeFound({ probe: UNREACHABLE }), makeSettings());
      // Assess
      expect(act).toThrow(SourceUnreachableError);
      expect(act).toThrow(
        `mode planned needs the source region ${SOURCE_REGION}, which does not answer (source region: TimeoutError: no answer); ` +
          'nothing was changed — rerun with mode auto (fails over, allowing data loss, while the source does not answer) or unplanned',
      );
    },
  );

  it.each<[string, Partial<AlreadyDone>]>([
    [
      'the promotion is already done',
      { done: { ...NOTHING, promotion: true }, promotions: [promotion({ done: true, isWriter: true })] },
    ],
    [
      'a promotion is already underway',
      {
        promotions: [
          promotion({
            inProgress: true,
            healthy: false,
            operation: { status: 'switching-over', dataLossAllowed: false },
          }),
        ],
      },
    ],
  ])(
    'lets mode planned through with an unreachable source when %s (no switchover to ask for)',
    (_case, o) => {
      // Act
      const result = plan('planned', false, makeFound({ probe: UNREACHABLE, ...o }), makeSettings());
      // Assess
      expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned' });
    },
  );

  it('returns ALREADY_PROMOTED for mode planned with an unreachable source when everything is done', () => {
    // Act
    const result = plan(
      'planned',
      false,
      makeFound({ probe: UNREACHABLE, done: EVERYTHING }),
      makeSettings(),
    );
    // Assess
    expect(result.status).toBe('ALREADY_PROMOTED');
  });

  it('returns DRY_RUN with the plan when dryRun is set', () => {
    // Act
    const result = plan('planned', true, makeFound(), makeSettings());
    // Assess
    expect(result).toEqual({
      status: 'DRY_RUN',
      mode: 'planned',
      message: `Dry run: would ${ALL_STEPS} in ${TARGET_REGION}.`,
    });
  });

  it('lists what is already done so a rerun resumes past it', () => {
    // Prepare
    const found = makeFound({ done: { ...NOTHING, database: true, dns: true } });
    // Act
    const result = plan('planned', false, found, makeSettings());
    // Assess
    expect(result.message).toBe(
      `Promoting ${TARGET_REGION}: scale proj-dr-app to 2 task(s) (ASG ≥ 2), ` +
        "read us-east-1's S3 replication backlog to this region (a failback waits until it is 0), switch over proj-global " +
        "(planned, no data loss), then, best effort, release us-east-1's traffic claim (already done: database, dns).",
    );
  });

  it('returns ALREADY_PROMOTED when every step is done, even for a dry run', () => {
    // Act
    const result = plan('planned', true, makeFound({ done: EVERYTHING }), makeSettings());
    // Assess
    expect(result.status).toBe('ALREADY_PROMOTED');
    expect(result.message).toBe(
      `${TARGET_REGION} is already promoted (instances available, service serving, writer, app.example.com answers here); nothing to do.`,
    );
  });

  describe('with several hostnames', () => {
    const settings = makeSettings({ recordNames: ['app.example.com', 'api.example.com', 'www.example.com'] });

    it('returns PROCEED waiting until every hostname answers this region', () => {
      // Act
      const result = plan('planned', false, makeFound(), settings);
      // Assess
      expect(result.message).toContain(
        'wait until app.example.com, api.example.com and www.example.com answer dr.app.example.com',
      );
    });

    it('returns ALREADY_PROMOTED naming every hostname as answering here', () => {
      // Act
      const result = plan('planned', false, makeFound({ done: EVERYTHING }), settings);
      // Assess
      expect(result.message).toBe(
        `${TARGET_REGION} is already promoted (instances available, service serving, writer, app.example.com, api.example.com and www.example.com answer here); nothing to do.`,
      );
    });

    it('says when the hostnames could not all be read', () => {
      // Act
      const result = plan('planned', false, makeFound({ dnsUnknown: true }), settings);
      // Assess
      expect(result.message).toMatch(
        /\(the answers of app\.example\.com, api\.example\.com and www\.example\.com could not all be read; the claim will be published\)\.$/,
      );
    });
  });

  it('says when the DNS record could not be read', () => {
    // Act
    const result = plan('planned', false, makeFound({ dnsUnknown: true }), makeSettings());
    // Assess
    expect(result.message).toMatch(
      /\(app\.example\.com's answer could not be read; the claim will be published\)\.$/,
    );
  });

  describe('with several databases and services', () => {
    const settings = makeSettings({
      databases: [asRead(APP_DB), asRead({ ...ORDERS_DB, instanceCount: 2 })],
      services: [WEB_SERVICE, { ...API_SERVICE, desiredCount: 3 }],
    });
    const orders = (overrides: Partial<PromotionProgress> = {}) =>
      promotion({
        name: 'orders',
        detail:
          'orders: proj-dr-aurora-orders is not the writer and available, global cluster proj-global-orders available',
        ...overrides,
      });
    const both = (o: Partial<PromotionProgress> = {}) => [promotion(), orders(o)];

    it('names each database and service in the plan', () => {
      // Act
      const result = plan('auto', false, makeFound({ promotions: both() }), settings);
      // Assess
      expect(result).toEqual({
        status: 'PROCEED',
        mode: 'planned',
        message:
          `Promoting ${TARGET_REGION}: add 1 instance(s) to proj-dr-aurora and 2 instance(s) to proj-dr-aurora-orders, ` +
          'scale proj-dr-app to 2 task(s) and proj-dr-app-api to 3 task(s) (ASG ≥ 2), ' +
          "read us-east-1's S3 replication backlog to this region (a failback waits until it is 0), " +
          "switch over proj-global and proj-global-orders (planned, no data loss), publish this region's traffic claim; " +
          'wait until app.example.com answers dr.app.example.com, ' +
          `then, best effort, release us-east-1's traffic claim (auto: ${SOURCE_REGION} answers and every global cluster is healthy).`,
      });
    });

    it('resolves auto to unplanned when one global cluster is not healthy, naming each one’s status', () => {
      // Act
      const result = plan(
        'auto',
        false,
        makeFound({ promotions: both({ healthy: false, globalStatus: 'modifying' }) }),
        settings,
      );
      // Assess
      expect(result.mode).toBe('unplanned');
      expect(result.message).toContain(
        'fail over proj-global and proj-global-orders (unplanned, data loss allowed)',
      );
      expect(result.message).toContain(
        "then, best effort, scale us-east-1's services to 0 and release its traffic claim",
      );
      expect(result.message).toContain(
        `(auto: ${SOURCE_REGION} cannot switch over — source cluster available; ` +
          'global clusters proj-global available and proj-global-orders modifying)',
      );
    });

    it('fails mode planned fast when the source does not answer and one database still needs its switchover', () => {
      // Prepare
      const found = makeFound({
        probe: UNREACHABLE,
        promotions: [promotion({ done: true, isWriter: true }), orders()],
      });
      // Act / Assess
      expect(() => plan('planned', false, found, settings)).toThrow(SourceUnreachableError);
    });

    it('lets mode planned through with an unreachable source when every database is promoted or being promoted', () => {
      // Prepare
      const found = makeFound({
        probe: UNREACHABLE,
        promotions: [
          promotion({ done: true, isWriter: true }),
          orders({ inProgress: true, healthy: false, operation: { status: 'switching-over' } }),
        ],
      });
      // Act
      const result = plan('planned', false, found, settings);
      // Assess
      expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned' });
    });

    it('returns ALREADY_PROMOTED saying every service serves and this region writes every global cluster', () => {
      // Act
      const result = plan(
        'planned',
        false,
        makeFound({ done: EVERYTHING, promotions: both({ done: true }) }),
        settings,
      );
      // Assess
      expect(result.message).toBe(
        `${TARGET_REGION} is already promoted (instances available, every service serving, writer of every global cluster, ` +
          'app.example.com answers here); nothing to do.',
      );
    });
  });
});
