import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The README and docs/*.md as a reader meets them: every relative link and image opens, every
 * `#anchor` names a heading of its page, every `npm run <script>` exists, and the README stays a
 * front door (at most README_MAX_LINES lines).
 */

const ROOT = resolve(__dirname, '../..');
const README_MAX_LINES = 250;

/** README.md and every docs/*.md, as paths relative to the repository root. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

function read(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/** Lines in `text` as `wc -l` counts them, plus an unterminated last line. */
function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** `text` without fenced code blocks (``` or ~~~), each replaced by blank lines so line numbers hold. */
function withoutFences(text: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) {
      fence = marker;
      out.push('');
    } else if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      out.push('');
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

/** `line` without inline code spans (a link written in backticks is not a link). */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[\s\S]*?\1/g, '');
}

/** The anchor GitHub gives a heading: lowercase, punctuation dropped (hyphens and underscores kept), spaces → hyphens. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading: its text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor of a markdown page: its ATX headings' slugs, repeats numbered as GitHub does (-1, -2). */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

interface Link {
  readonly page: string;
  readonly line: number;
  readonly target: string;
}

/** Every markdown link and image of `page` (outside code), with its line. */
function linksOf(page: string, markdown: string): Link[] {
  const links: Link[] = [];
  withoutFences(markdown)
    .split('\n')
    .forEach((raw, i) => {
      const line = withoutCodeSpans(raw);
      for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = m[1];
        if (target !== undefined) links.push({ page, line: i + 1, target });
      }
    });
  return links;
}

/** Links that leave the repository (a scheme such as https: or mailto:). */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** Why `link` does not resolve, or undefined when it does. */
function brokenReason(link: Link, root: string = ROOT): string | undefined {
  const hash = link.target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? link.target : link.target.slice(0, hash));
  const anchor = hash === -1 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
  const file = path === '' ? join(root, link.page) : resolve(dirname(join(root, link.page)), path);
  if (!existsSync(file)) return `${relative(root, file)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md') || statSync(file).isDirectory()) return undefined;
  if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
    return `${relative(root, file)} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

/** The script names of every `npm run <script>` in `markdown`, code included (that is where commands are). */
function npmRunScripts(markdown: string): string[] {
  return [...markdown.matchAll(/\bnpm run ([a-z][\w:.-]*)/g)].map((m) => m[1] ?? '');
}

describe('githubSlug', () => {
  it('lowercases, drops punctuation but hyphens, and turns spaces into hyphens', () => {
    expect(githubSlug('How traffic moves: the data plane, not the control plane')).toBe(
      'how-traffic-moves-the-data-plane-not-the-control-plane',
    );
    expect(githubSlug('The `--fault` flags (with `--trigger alarm`)')).toBe(
      'the---fault-flags-with---trigger-alarm',
    );
    expect(githubSlug('Readiness: know before you need it')).toBe('readiness-know-before-you-need-it');
  });

  it('numbers repeated headings as GitHub does', () => {
    expect([...anchorsOf('# A\n\n## Notes\n\n```\n# not a heading\n```\n\n## Notes\n')]).toEqual([
      'a',
      'notes',
      'notes-1',
    ]);
  });
});

describe('linksOf and brokenReason', () => {
  it('finds links and images outside code, and names what does not resolve', () => {
    const md = [
      'See [the drill](docs/drill.md#no-such-heading) and ![timeline](docs/timeline.svg).',
      '`[not a link](nowhere.md)`',
      '```',
      '[not a link either](nowhere.md)',
      '```',
      '[gone](docs/no-such-page.md) [web](https://example.com/) [top](#pilot-light)',
    ].join('\n');
    const links = linksOf('README.md', md);
    expect(links.map((l) => l.target)).toEqual([
      'docs/drill.md#no-such-heading',
      'docs/timeline.svg',
      'docs/no-such-page.md',
      'https://example.com/',
      '#pilot-light',
    ]);
    const reasons = links.filter((l) => !isExternal(l.target)).map((l) => brokenReason(l));
    expect(reasons).toEqual([
      'docs/drill.md has no heading with the anchor #no-such-heading',
      undefined,
      'docs/no-such-page.md does not exist',
      undefined,
    ]);
  });
});

describe('README.md and docs/*.md', () => {
  const all = pages();

  it('have docs pages besides the README', () => {
    expect(all.length).toBeGreaterThan(1);
  });

  it('link only to files that exist and headings that exist', () => {
    const links = all.flatMap((page) => linksOf(page, read(page))).filter((l) => !isExternal(l.target));
    // The README links into docs/: a parser that found nothing would pass vacuously.
    expect(links.filter((l) => l.page === 'README.md').length).toBeGreaterThan(0);
    const broken = links.flatMap((l) => {
      const why = brokenReason(l);
      return why === undefined ? [] : [`${l.page}:${l.line}: (${l.target}) ${why}`];
    });
    expect(broken).toEqual([]);
  });

  it('name only npm scripts that package.json defines', () => {
    const scripts = Object.keys(
      (JSON.parse(read('package.json')) as { scripts?: Record<string, string> }).scripts ?? {},
    );
    const named = all.flatMap((page) => npmRunScripts(read(page)).map((script) => ({ page, script })));
    expect(named.length).toBeGreaterThan(0);
    const unknown = named
      .filter((n) => !scripts.includes(n.script))
      .map((n) => `${n.page}: npm run ${n.script}`);
    expect(unknown).toEqual([]);
  });

  it(`keep the README at most ${README_MAX_LINES} lines`, () => {
    expect(lineCount(read('README.md'))).toBeLessThanOrEqual(README_MAX_LINES);
  });
});
