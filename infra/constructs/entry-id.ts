/**
 * The construct id suffix of list entry `index` named `name` (`buckets[]`, `dns.records[]`): none
 * for the first entry, so a project's first resource of a kind keeps the logical ids the seed's
 * single resource had; the entry's `name` in PascalCase for the others (`api-v2` → `ApiV2`). Names
 * are unique, short and DNS-safe (the schema), and stable as long as the entry is not renamed:
 * renaming an entry replaces its resources.
 */
export function entryIdSuffix(index: number, name: string): string {
  if (index === 0) return '';
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
