import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importCycles, readImportGraph } from './import-graph';

const REPO_ROOT = resolve(__dirname, '../..');

/**
 * The drill's rooms, lowest first: a room may import the rooms before it (and the core files at
 * drill/'s root), never one after it. Each room's README.md says the same in words.
 */
const DRILL_ROOMS = ['synth', 'sim', 'faults', 'runner', 'analysis', 'report', 'sweep', 'cli'] as const;
/** What may stay at drill/'s root: the core every room reads, importing no room. */
const DRILL_ROOT_LIMIT = 12;

function roomOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? (parts[1] ?? '') : 'root';
}

describe('imports', () => {
  it('form no cycle in infra/, lambdas/, statemachines/ or drill/ (type-only imports included)', () => {
    const graph = readImportGraph(REPO_ROOT, ['infra', 'lambdas', 'statemachines', 'drill']);

    const cycles = importCycles(graph);

    expect(graph.edges.size).toBeGreaterThan(250);
    expect(cycles).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = {
      edges: new Map([
        ['a.ts', ['b.ts']],
        ['b.ts', ['c.ts']],
        ['c.ts', ['a.ts']],
        ['d.ts', ['a.ts']],
      ]),
    };

    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it("flow one way between the drill's rooms", () => {
    const graph = readImportGraph(REPO_ROOT, ['drill']);
    const rank = (room: string): number => (room === 'root' ? -1 : DRILL_ROOMS.indexOf(room as never));

    const upward: string[] = [];
    for (const [from, targets] of graph.edges) {
      for (const to of targets.filter((t) => t.startsWith('drill/'))) {
        const [a, b] = [roomOf(from), roomOf(to)];
        if (a !== b && rank(b) > rank(a)) upward.push(`${from} → ${to}`);
      }
    }

    expect([...new Set([...graph.edges.keys()].map(roomOf))].sort()).toEqual(['root', ...DRILL_ROOMS].sort());
    expect(upward).toEqual([]);
  });

  it(`leave at most ${DRILL_ROOT_LIMIT} files at drill/'s root, and a README in every room`, () => {
    const entries = readdirSync(join(REPO_ROOT, 'drill'), { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const rooms = entries.filter((e) => e.isDirectory()).map((e) => e.name);

    expect(files.length).toBeLessThanOrEqual(DRILL_ROOT_LIMIT);
    for (const room of rooms) expect(readdirSync(join(REPO_ROOT, 'drill', room))).toContain('README.md');
  });
});
