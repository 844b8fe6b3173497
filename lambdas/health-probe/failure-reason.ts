/** Why the probe judged the source unhealthy. */
export const PROBE_FAILURE_REASONS = ['dns', 'timeout', 'tls', 'connection', 'status'] as const;
export type ProbeFailureReason = (typeof PROBE_FAILURE_REASONS)[number];

export interface ProbeFailure {
  readonly reason: ProbeFailureReason;
  /** The HTTP status (`status`) or the error behind it, e.g. `ENOTFOUND: getaddrinfo ENOTFOUND host`. */
  readonly detail: string;
}

const TIMEOUT_NAMES: ReadonlySet<string> = new Set(['TimeoutError', 'AbortError']);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** getaddrinfo's failures: the name did not resolve (or the resolver did not answer). */
const DNS_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
]);

/** TLS failures whose codes name neither TLS, SSL nor a certificate (EPROTO: a failed handshake). */
const OTHER_TLS_CODES: ReadonlySet<string> = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'EPROTO']);

/** OpenSSL's certificate verdicts and Node's TLS/SSL error codes. */
function isTlsCode(code: string): boolean {
  return /^ERR_(TLS|SSL)_/.test(code) || /CERT/.test(code) || OTHER_TLS_CODES.has(code);
}

interface Link {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/**
 * `err` and its causes: fetch wraps the socket's error as `cause` of a bare "fetch failed". Read by
 * shape, not `instanceof`: the cause can come from another realm (undici's own, under jest's vm).
 */
function chain(err: unknown): Link[] {
  const links: Link[] = [];
  for (let e: unknown = err; typeof e === 'object' && e !== null && links.length < 5; ) {
    const { name, code, message, cause } = e as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof message !== 'string') break;
    links.push({
      name: typeof name === 'string' ? name : 'Error',
      message,
      ...(typeof code === 'string' ? { code } : {}),
    });
    e = cause;
  }
  return links;
}

/**
 * Classify a GET that got no HTTP answer: `timeout` (no answer within the probe's timeout, or a
 * socket timeout), `dns` (the name did not resolve), `tls` (the handshake or certificate failed),
 * else `connection` (refused, reset, closed).
 */
export function classifyRequestError(err: unknown): ProbeFailure {
  const links = chain(err);
  const innermost = links[links.length - 1];
  const detail =
    innermost === undefined ? String(err) : `${innermost.code ?? innermost.name}: ${innermost.message}`;
  const codes = links.flatMap((l) => (l.code === undefined ? [] : [l.code]));
  if (links.some((l) => TIMEOUT_NAMES.has(l.name)) || codes.some((c) => TIMEOUT_CODES.has(c))) {
    return { reason: 'timeout', detail };
  }
  if (codes.some((c) => DNS_CODES.has(c))) return { reason: 'dns', detail };
  if (codes.some(isTlsCode)) return { reason: 'tls', detail };
  return { reason: 'connection', detail };
}
