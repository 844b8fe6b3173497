import { applyFaults, faultRunsOn, parseFault } from '../../drill/faults/catalog';
import { READINESS_FAULT_CHECKS } from '../../drill/faults/readiness';
import {
  runReadinessDrill,
  type SynthesizedReadiness,
  synthesizeReadiness,
} from '../../drill/runner/readiness';
import { certificateOfRole } from '../../drill/sim/acm/api';
import { AppHealth, installProbeFetch } from '../../drill/sim/probe-http';
import type { World } from '../../drill/sim/world';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import { failureOf, request } from '../../lambdas/health-probe/request';
import { config, DR, inSimulation, MAIN, makeWorld, names } from './sim-helpers';

/**
 * The drill's ACM (drill/sim/acm): each region's certificate seeded as its service stack deploys it,
 * read by the readiness `certificate` check, met by the probe's HTTPS requests; the two certificate
 * faults turn the check red.
 */

const DAY_S = 86_400;
const MAIN_URL = `https://${names.regions.main.regionalRecordName}/`;
const DR_URL = `https://${names.regions.dr.regionalRecordName}/`;

/** GET each of `urls` from `probingRegion`'s probe, as lambdas/health-probe does, in `world`. */
async function probe(world: World, probingRegion: string, protectedRegion: string, urls: readonly string[]) {
  const [mainUrl = MAIN_URL] = urls;
  const restore = installProbeFetch(world, new AppHealth({ down: [] }), {
    protectedRegion,
    probingRegion,
    mainUrl,
  });
  try {
    return await inSimulation(world, () => Promise.all(urls.map((u) => request(u, 5_000, fetch))));
  } finally {
    restore();
  }
}

describe('the drill ACM', () => {
  it('seeds each region an ISSUED certificate for every hostname and its regional name, its ARN in SSM', () => {
    // Act
    const world = makeWorld();
    // Assess
    for (const role of ['main', 'dr'] as const) {
      const cert = certificateOfRole(world, role);
      expect(cert).toMatchObject({
        region: names.regions[role].region,
        status: 'ISSUED',
        subjectAlternativeNames: ['app.example.com', names.regions[role].regionalRecordName],
      });
      expect(cert?.arn).toMatch(
        new RegExp(`^arn:aws:acm:${names.regions[role].region}:\\d{12}:certificate/`),
      );
      expect(cert?.notAfter).toBeGreaterThan(30 * DAY_S);
    }
  });

  it('knows no certificate of a team load balancer whose config names none', () => {
    // Act
    const world = makeWorld({}, 'dr', loadConfig('existing-app'));
    // Assess
    expect(world.acm.certificates.size).toBe(0);
    expect(faultRunsOn('certificate-pending', world.config, 'dr')).toBe(false);
    expect(() => applyFaults(world, [parseFault('certificate-expiring')])).toThrow(
      /--fault certificate-expiring: the promoted region's load balancer is the team's .* set regions\.dr\.certificateArn/,
    );
  });
});

describe('the probe over HTTPS in the drill', () => {
  it('gets answers over HTTPS, and the redirect over plain HTTP', async () => {
    // Act
    const answers = await probe(makeWorld(), DR, MAIN, [
      MAIN_URL,
      `http://${names.regions.main.regionalRecordName}/`,
    ]);
    // Assess
    expect(answers).toEqual([{ statusCode: 200 }, { statusCode: 301 }]);
  });

  it.each([
    [
      'pending validation',
      (w: World) => {
        const cert = certificateOfRole(w, 'dr');
        if (cert !== undefined) cert.status = 'PENDING_VALIDATION';
      },
      'UNABLE_TO_GET_ISSUER_CERT',
    ],
    [
      'expired',
      (w: World) => {
        const cert = certificateOfRole(w, 'dr');
        if (cert !== undefined) cert.notAfter = -1;
      },
      'CERT_HAS_EXPIRED',
    ],
    [
      'not covering the name',
      (w: World) => {
        const cert = certificateOfRole(w, 'dr');
        if (cert !== undefined) w.acm.add({ ...cert, subjectAlternativeNames: ['app.example.com'] });
      },
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ],
  ] as const)(
    'fails a request to a region whose certificate is %s with reason tls',
    async (_what, spoil, code) => {
      // Prepare: main's probe watches DR (a failback).
      const world = makeWorld({}, 'main');
      spoil(world);
      // Act
      const [answer] = await probe(world, MAIN, DR, [DR_URL]);
      // Assess
      const failure = answer === undefined ? undefined : failureOf(answer);
      expect(failure?.reason).toBe('tls');
      expect(failure?.detail).toMatch(new RegExp(`^${code}: `));
    },
  );

  it('keeps the blind control on plain HTTP answered under a bad certificate of its own region', async () => {
    // Prepare: DR's certificate pending; DR's probe asks its own load balancer as a control.
    const world = makeWorld();
    applyFaults(world, [parseFault('certificate-pending')]);
    // Act
    const [, control] = await probe(world, DR, MAIN, [
      MAIN_URL,
      `http://${names.regions.dr.regionalRecordName}/`,
    ]);
    // Assess
    expect(control).toEqual({ statusCode: 301 });
  });
});

describe('certificate faults in readiness', () => {
  it('certificate-expiring: the check says when it ends, 10 days out', async () => {
    // Act
    const { report } = await readinessWith(['certificate-expiring']);
    // Assess
    const finding = report.checks.find((c) => c.id === 'certificate');
    expect(finding?.status).toBe('FAIL');
    expect(finding?.why).toMatch(/^certificate expires \S+ \(in 10 days; readiness needs more than 30\)$/);
  });

  it('certificate-pending: the check names the validation records and the zone', async () => {
    // Act
    const { report } = await readinessWith(['certificate-pending']);
    // Assess
    const finding = report.checks.find((c) => c.id === 'certificate');
    expect(finding).toMatchObject({
      status: 'FAIL',
      why: 'certificate is PENDING_VALIDATION: ACM has not found its DNS validation records',
    });
    expect(finding?.fix).toContain(`hosted zone ${config.dns.hostedZoneId}`);
    expect(READINESS_FAULT_CHECKS['certificate-pending']).toBe('certificate');
  });
});

let readiness: SynthesizedReadiness;
beforeAll(async () => {
  readiness = await synthesizeReadiness(config, 'dr', 'base');
}, 180_000);

/** `npm run drill -- --readiness --fault …` on base, DR evaluated. */
function readinessWith(faults: readonly string[]) {
  return runReadinessDrill({
    config,
    role: 'dr',
    faults: faults.map(parseFault),
    timings: sampleTimings(loadTimingModel()),
    synthesized: readiness,
  });
}
