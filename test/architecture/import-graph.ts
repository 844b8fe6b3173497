import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository's own TypeScript modules and the relative imports between them (type-only included). */
export interface ImportGraph {
  /** Repo-relative path → the repo-relative paths it imports. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

const SKIP = new Set(['node_modules', 'cdk.out', 'drill-out', 'coverage']);
// `import … from`, `export … from`, `import('…')` and `require('…')` with a relative specifier.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

function tsFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) tsFiles(path, out);
    } else if (entry.name.endsWith('.ts')) {
      out.push(path);
    }
  }
  return out;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (c) => c.endsWith('.ts') && existsSync(c) && statSync(c).isFile(),
  );
}

/** Read every `.ts` file under `roots` (relative to `repoRoot`) and its relative imports. */
export function readImportGraph(repoRoot: string, roots: readonly string[]): ImportGraph {
  const edges = new Map<string, string[]>();
  for (const root of roots) {
    for (const file of tsFiles(join(repoRoot, root), [])) {
      const targets = new Set<string>();
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = m[1] === undefined ? undefined : resolveImport(file, m[1]);
        if (target !== undefined) targets.add(relative(repoRoot, target));
      }
      edges.set(relative(repoRoot, file), [...targets]);
    }
  }
  return { edges };
}

/** Every strongly connected component of more than one module, or a module importing itself (Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!graph.edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
