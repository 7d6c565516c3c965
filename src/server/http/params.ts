/**
 * Request input as zod schemas: query strings (fastify hands over strings, or arrays for a
 * repeated key), path parameters and JSON bodies. `parseInput` turns every issue into one 400
 * that lists each problem by name.
 */
import { z } from 'zod';
import { HttpError } from './errors.ts';

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

/** Where the input came from, for the message. */
export type InputPart = 'query' | 'body' | 'path';

export function parseInput<T extends z.ZodType>(schema: T, input: unknown, part: InputPart): z.output<T> {
  const result = schema.safeParse(input ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, part));
  throw new HttpError(400, 'INVALID_REQUEST', `invalid ${part}: ${problems.join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue, part: InputPart): string {
  if (issue.code === 'unrecognized_keys') {
    const what = part === 'query' ? 'parameter' : 'field';
    return issue.keys.map((k) => `unknown ${what} "${k}"`).join('; ');
  }
  // A query list's index says nothing the message does not (it quotes the bad value).
  const path = issue.path
    .filter((p) => part !== 'query' || typeof p !== 'number')
    .map(String)
    .join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** A query value given once (a repeated key is a mistake worth saying). */
const single = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  if (typeof v === 'string') return v;
  ctx.addIssue({ code: 'custom', message: 'must be given once' });
  return z.NEVER;
});

/** An integer from `min` to `max` in a query string. */
export function intParam(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const message = `must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`;
  return single.pipe(
    z
      .string()
      .regex(/^\d{1,16}$/, message)
      .transform(Number)
      .pipe(z.number().int().min(min, message).max(max, message)),
  );
}

/** A point in time: epoch milliseconds, or an ISO 8601 date or date-time. */
export const timeParam = single.pipe(
  z.string().transform((s, ctx) => {
    if (/^\d{1,16}$/.test(s)) return Number(s);
    const ms = /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 date' });
      return z.NEVER;
    }
    return ms;
  }),
);

/** Comma-separated values, from one key or several. */
const list = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export function enumListParam<const T extends readonly [string, ...string[]]>(values: T) {
  const error = (issue: { input?: unknown }) =>
    `${JSON.stringify(issue.input)} is not among ${values.join(', ')}`;
  return list.pipe(z.array(z.enum(values, { error })).min(1, 'must not be empty'));
}

export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  return single.pipe(z.enum(values, `must be one of ${values.join(', ')}`));
}

/** Reason codes as the risk gate and the planner write them: SLIPPAGE, BELOW_MIN_TRADE... */
export const reasonListParam = list.pipe(
  z
    .array(
      z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a reason code (such as SLIPPAGE or TRADE_CAP)`,
      }),
    )
    .min(1, 'must not be empty'),
);

export const addressParam = single.pipe(
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed address of 40 hex digits')
    .transform((s) => s.toLowerCase()),
);

export const accountParam = single.pipe(
  z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be an account name (a-z, 0-9, _ and -)'),
);

/** `limit` and `before` (an id: the page holds rows older than it), newest first. */
export const pageShape = {
  limit: intParam(1, MAX_PAGE).default(DEFAULT_PAGE),
  before: intParam(1).optional(),
};

export interface Page {
  limit: number;
  before?: number | undefined;
}

/** `:id` path parameter. */
export const idPath = z.strictObject({ id: intParam(1) });
