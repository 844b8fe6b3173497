const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

/**
 * Deterministic resource ids: a counter spread over the alphabet, so two runs of the same drill
 * produce the same ids and the same report.
 */
export class IdSource {
  private counter = 0;

  /** `length` characters of `alphabet`. */
  next(length: number, alphabet = ALPHANUMERIC): string {
    this.counter += 1;
    let x = (this.counter * 2654435761) >>> 0;
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[x % alphabet.length];
      x = (Math.imul(x ^ (x >>> 13), 1274126177) + i + this.counter) >>> 0;
    }
    return out;
  }

  /** 32 hex digits. */
  hex(): string {
    return this.next(32, HEX);
  }

  uuid(): string {
    const h = this.hex();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** An EC2 instance id. */
  instanceId(): string {
    return `i-0${this.next(16, HEX)}`;
  }
}
