/** `a`, `a and b`, `a, b and c`: names in a sentence, in the order given. */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
