import { authoritativeAnswers } from '../../lambdas/shared/dns-answers';
import { TransientAwsError } from '../../lambdas/shared/errors';

const dnsError = (code: string): Error => Object.assign(new Error(`query failed: ${code}`), { code });

/** What the fake Resolver answers; each test sets it. */
const world: {
  ns: () => Promise<string[]>;
  a: (name: string, servers: readonly string[]) => Promise<string[]>;
} = { ns: async () => [], a: async () => [] };

jest.mock('node:dns/promises', () => {
  class Resolver {
    servers: string[] = [];
    resolveNs = (_zone: string) => world.ns();
    setServers(servers: string[]) {
      this.servers = servers;
    }
    resolve4 = (name: string) => world.a(name, this.servers);
  }
  return { Resolver };
});

const NS_ADDRESS = '192.0.2.53';

beforeEach(() => {
  world.ns = async () => ['ns-1.awsdns.example'];
  world.a = async (name, servers) => {
    if (name === 'ns-1.awsdns.example') return [NS_ADDRESS];
    if (!servers.includes(NS_ADDRESS)) throw new Error('asked a resolver, not the zone’s name server');
    return ['203.0.113.2', '203.0.113.1', '203.0.113.2'];
  };
});

describe('authoritativeAnswers', () => {
  it('asks the zone’s name servers and returns sorted, de-duplicated addresses', async () => {
    // Act
    const answer = await authoritativeAnswers('app.example.com').resolve4('app.example.com');
    // Assess
    expect(answer).toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('looks the name servers up once per instance', async () => {
    // Prepare
    const ns = jest.fn(async () => ['ns-1.awsdns.example']);
    world.ns = ns;
    const dns = authoritativeAnswers('app.example.com');
    // Act
    await dns.resolve4('app.example.com');
    await dns.resolve4('dr.app.example.com');
    // Assess
    expect(ns).toHaveBeenCalledTimes(1);
  });

  it.each(['ENODATA', 'ENOTFOUND', 'NXDOMAIN'])(
    'returns [] for a name with no A answer (%s)',
    async (code) => {
      // Prepare
      const base = world.a;
      world.a = async (name, servers) =>
        name === 'app.example.com' ? Promise.reject(dnsError(code)) : base(name, servers);
      // Act
      const answer = await authoritativeAnswers('app.example.com').resolve4('app.example.com');
      // Assess
      expect(answer).toEqual([]);
    },
  );

  it('throws TransientAwsError when the A query times out', async () => {
    // Prepare
    const base = world.a;
    world.a = async (name, servers) =>
      name === 'app.example.com' ? Promise.reject(dnsError('ETIMEOUT')) : base(name, servers);
    // Act
    const act = authoritativeAnswers('app.example.com').resolve4('app.example.com');
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow('DNS A lookup of app.example.com failed (ETIMEOUT)');
  });

  it('throws TransientAwsError when the NS lookup fails, and looks again on the next call', async () => {
    // Prepare
    world.ns = async () => Promise.reject(dnsError('ESERVFAIL'));
    const dns = authoritativeAnswers('app.example.com');
    // Act
    const first = dns.resolve4('app.example.com');
    // Assess
    await expect(first).rejects.toThrow(TransientAwsError);
    await expect(first).rejects.toThrow('NS lookup of app.example.com failed (ESERVFAIL)');
    world.ns = async () => ['ns-1.awsdns.example'];
    await expect(dns.resolve4('app.example.com')).resolves.toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('throws TransientAwsError when no name server has an address', async () => {
    // Prepare
    world.a = async () => Promise.reject(dnsError('ETIMEOUT'));
    // Act
    const act = authoritativeAnswers('app.example.com').resolve4('app.example.com');
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow('no name server of app.example.com has an address');
  });
});
