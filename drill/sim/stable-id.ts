/**
 * Ids derived from a name rather than drawn from the world's {@link IdSource}: the resources the
 * readiness checks read (AMIs, launch templates, function configurations) are seeded after the
 * failover's, and drawing their ids from the shared counter would shift every id a drill prints.
 */

const HEX = '0123456789abcdef';

/** `length` characters of `alphabet`, the same for the same `seed` (FNV-1a spread over the string). */
export function stableId(seed: string, length: number, alphabet = HEX): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h + 0x9e3779b9 + i) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}
