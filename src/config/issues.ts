/**
 * Turns zod issues into lines a person can act on: where the value came from, the key, what was
 * expected and what was found. Unknown keys get the closest known key as a suggestion.
 */
import type { z } from 'zod';
import { isObjectSchema, shapeOf, unwrap } from './schema-walk.ts';
import { getAt } from './tree.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `leaders[0].address` from `['leaders', 0, 'address']`. */
export function displayPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

/** A found value as a short phrase, e.g. `"abc" (a string)`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `${truncate(JSON.stringify(v))} (an array)`;
  if (typeof v === 'object') return 'a table';
  if (typeof v === 'string') return `${JSON.stringify(truncate(v))} (a string)`;
  if (typeof v === 'number') return `${v} (${Number.isInteger(v) ? 'an integer' : 'a number'})`;
  if (typeof v === 'boolean') return `${v} (a boolean)`;
  return String(v);
}

function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a table',
  array: 'an array',
};

/** zod's own default messages start like this; any other message is one we wrote on purpose. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(message);
}

/** What the schema expected, in words. */
export function expectedOf(issue: Issue): string {
  if (!isDefaultMessage(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return bound(issue.origin, issue.inclusive ? '>=' : '>', issue.minimum, 'at least');
    case 'too_big':
      return bound(issue.origin, issue.inclusive ? '<=' : '<', issue.maximum, 'at most');
    case 'invalid_format':
      return `a valid ${issue.format}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return 'a valid value';
  }
}

function bound(origin: string, op: string, limit: number | bigint, words: string): string {
  if (origin === 'string') return `${words} ${limit} character(s)`;
  if (origin === 'array') return `${words} ${limit} item(s)`;
  return `a number ${op} ${limit}`;
}

/** The keys an object schema allows at `path`, following array elements through indices. */
export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  let s: z.ZodType | undefined = schema;
  for (const p of path) {
    if (!s) return [];
    if (typeof p === 'number') {
      const arrayDef: { element?: z.ZodType } = (unwrap(s) as unknown as { _zod: { def: object } })._zod.def;
      s = arrayDef.element;
    } else {
      s = isObjectSchema(s) ? shapeOf(s)[String(p)] : undefined;
    }
  }
  return s && isObjectSchema(s) ? Object.keys(shapeOf(s)) : [];
}

/** The known key closest to `key` when it is close enough to be a likely typo. */
export function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export interface IssueContext {
  schema: z.ZodType;
  /** The merged raw input that was validated, to quote the value found. */
  input: unknown;
  /** Where the value at a dotted path came from, e.g. a file name or an environment variable. */
  originOf: (path: Path) => string;
  /** Extra advice for an unknown key (e.g. "this is a secret, put it in secrets.toml"). */
  adviceForUnknown?: (path: Path) => string | undefined;
}

/** One line per problem, each naming origin, key, expectation and the value found. */
export function formatIssues(issues: readonly Issue[], ctx: IssueContext): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(ctx.schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const advice = ctx.adviceForUnknown?.(path);
        const guess = closest(key, known);
        const hint = advice ?? (guess ? `did you mean "${displayPath([...issue.path, guess])}"?` : undefined);
        lines.push(`${ctx.originOf(path)}: unknown key "${displayPath(path)}"${hint ? ` (${hint})` : ''}`);
      }
      continue;
    }
    const found = describeValue(getAt(ctx.input, issue.path as (string | number)[]));
    lines.push(
      `${ctx.originOf(issue.path)}: ${displayPath(issue.path)}: expected ${expectedOf(issue)}, found ${found}`,
    );
  }
  return lines;
}
