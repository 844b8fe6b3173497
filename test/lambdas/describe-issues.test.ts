import { z } from 'zod';
import * as zm from 'zod/mini';
import {
  describeIssues,
  describeValue,
  formatIssueList,
  formatPath,
} from '../../lambdas/shared/describe-issues';

/** The problem lines `schema` reports for `value`, parsed with the offending input kept. */
function problems(schema: z.ZodType | zm.ZodMiniType, value: unknown, root = 'input'): string[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error(`expected ${String(value)} to be rejected`);
  return describeIssues(result.error, root);
}

describe('describeValue', () => {
  it.each([
    ['a short string, quoted', 'abc', "'abc'"],
    ['a string of 40 characters, quoted', 'x'.repeat(40), `'${'x'.repeat(40)}'`],
    ['a longer string, by its length', 'x'.repeat(41), 'a string of 41 characters'],
    ['a list, by its length', [1, 2, 3], 'a list of 3'],
    ['null', null, 'null'],
    ['an object, without its content', { secret: 'x' }, 'an object'],
    ['a number', 1.5, '1.5'],
    ['a boolean', false, 'false'],
    ['a bigint', 12n, '12'],
    ['undefined', undefined, 'undefined'],
    ['a function, by its type', () => 1, 'function'],
    ['a symbol, by its type', Symbol('s'), 'symbol'],
  ])('describes %s', (_what, value, expected) => {
    // Act
    const text = describeValue(value);
    // Assess
    expect(text).toBe(expected);
  });
});

describe('formatPath', () => {
  it('joins keys with dots and writes indexes in brackets', () => {
    // Act
    const path = formatPath(['regions', 'main', 'availabilityZones', 0]);
    // Assess
    expect(path).toBe('regions.main.availabilityZones[0]');
  });

  it('prefixes the root when given', () => {
    // Act
    const path = formatPath(['mode'], 'input');
    // Assess
    expect(path).toBe('input.mode');
  });

  it('says "(top level)" for an empty path without a root', () => {
    // Act
    const path = formatPath([]);
    // Assess
    expect(path).toBe('(top level)');
  });

  it('starts with an index when the path does', () => {
    // Act
    const path = formatPath([2, 'name']);
    // Assess
    expect(path).toBe('[2].name');
  });
});

describe('describeIssues', () => {
  it.each<[string, z.ZodType, unknown, string]>([
    ['an exclusive lower bound', z.number().gt(0), 0, 'input: expected > 0, got 0'],
    ['an exclusive upper bound', z.number().lt(10), 10, 'input: expected < 10, got 10'],
    ['an inclusive upper bound', z.number().max(9), 10, 'input: expected <= 9, got 10'],
    [
      'a too long list',
      z.array(z.string()).max(2),
      ['a', 'b', 'c'],
      'input: expected at most 2 items, got a list of 3',
    ],
    [
      'a too short list, in the singular',
      z.array(z.string()).min(1),
      [],
      'input: expected at least 1 item, got a list of 0',
    ],
    [
      'a too large set',
      z.set(z.string()).max(1),
      new Set(['a', 'b']),
      'input: expected at most 1 item, got an object',
    ],
    [
      'a too long string, in the singular',
      z.string().max(1),
      'ab',
      "input: expected at most 1 character, got 'ab'",
    ],
    ['a too short string', z.string().min(3), 'ab', "input: expected at least 3 characters, got 'ab'"],
    ['an empty string', z.string().min(1), '', "input: expected a non-empty string, got ''"],
    [
      'a number that is not a multiple',
      z.number().multipleOf(5),
      7,
      'input: expected a multiple of 5, got 7',
    ],
    ['a built-in format', z.uuid(), 'x', "input: expected a valid uuid, got 'x'"],
    [
      'a pattern, with its own message',
      z.string().regex(/^a/, 'expected a name starting with a'),
      'b',
      "input: expected a name starting with a, got 'b'",
    ],
    ['a single allowed value', z.enum(['x']), 'y', "input: expected 'x', got 'y'"],
    ['one of several values', z.enum(['x', 'y']), 'z', "input: expected one of 'x', 'y', got 'z'"],
    ['a non-integer, as "integer"', z.int(), 1.5, 'input: expected integer, got 1.5'],
    [
      'a list where text is expected, as "list"',
      z.string(),
      ['a'],
      'input: expected string, got a list of 1',
    ],
    ['a missing value', z.object({ a: z.string() }), {}, 'input.a: expected string (missing)'],
    ['one unknown key', z.strictObject({}), { a: 1 }, "input: unknown key 'a'"],
    ['several unknown keys', z.strictObject({}), { a: 1, b: 2 }, "input: unknown keys 'a', 'b'"],
    ['a refinement, by its message', z.string().refine(() => false, 'not today'), 'x', 'input: not today'],
  ])('describes %s', (_what, schema, value, expected) => {
    // Act
    const lines = problems(schema, value);
    // Assess
    expect(lines).toEqual([expected]);
  });

  it('says what was found only when the parse kept the input', () => {
    // Prepare
    const result = z.number().safeParse('x');
    if (result.success) throw new Error('expected a failure');
    // Act
    const lines = describeIssues(result.error);
    // Assess
    expect(lines).toEqual(['(top level): expected number']);
  });

  it('formats zod/mini issues the same way', () => {
    // Act
    const lines = problems(zm.strictObject({ n: zm.int().check(zm.minimum(1)) }), { n: 0 });
    // Assess
    expect(lines).toEqual(['input.n: expected >= 1, got 0']);
  });

  describe('unions', () => {
    it('lists what each member expected when all reject the value outright', () => {
      // Act
      const lines = problems(z.union([z.array(z.string()), z.boolean(), z.literal('auto')]), 'x');
      // Assess
      expect(lines).toEqual(["input: expected list or boolean or 'auto', got 'x'"]);
    });

    it('reports the issues of the member that accepted the value type', () => {
      // Act
      const lines = problems(z.union([z.number(), z.object({ a: z.number() })]), { a: 'x' });
      // Assess
      expect(lines).toEqual(["input.a: expected number, got 'x'"]);
    });

    it('reports a bound of the member of the right type', () => {
      // Act
      const lines = problems(z.union([z.string().min(2), z.number().min(5)]), 3);
      // Assess
      expect(lines).toEqual(['input: expected >= 5, got 3']);
    });

    it('reports the first of several members that accepted the value type', () => {
      // Act
      const lines = problems(z.union([z.string().min(5), z.email()]), 'ab');
      // Assess
      expect(lines).toEqual(["input: expected at least 5 characters, got 'ab'"]);
    });

    it('keeps the path of a union nested in an object', () => {
      // Act
      const lines = problems(z.object({ period: z.union([z.literal(60), z.literal(300)]) }), { period: 120 });
      // Assess
      expect(lines).toEqual(['input.period: expected 60 or 300, got 120']);
    });
  });
});

describe('formatIssueList', () => {
  it('puts each problem on its own indented line under the heading', () => {
    // Act
    const text = formatIssueList('base.yml: invalid configuration', ['a: expected x', 'b: expected y']);
    // Assess
    expect(text).toBe('base.yml: invalid configuration\n  - a: expected x\n  - b: expected y');
  });
});
