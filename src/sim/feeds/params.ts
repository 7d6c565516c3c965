/**
 * Query-string pieces of the Data API, as zod schemas over the raw strings fastify hands over
 * (a repeated key arrives as an array). Each schema either yields a typed value or an issue
 * message; the routes turn issues into the v1 or v2 error body.
 */
import { z } from 'zod';
import { MICRO } from '../../core/money.ts';
import { ACTIVITY_TYPES } from './fill.ts';

const single = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  if (typeof v === 'string') return v;
  ctx.addIssue({ code: 'custom', message: 'must be given once' });
  return z.NEVER;
});

export const intParam = single.pipe(
  z
    .string()
    .regex(/^-?\d{1,15}$/, 'must be an integer')
    .transform(Number),
);

export const nonNegativeInt = intParam.pipe(z.number().min(0, 'must be at least 0'));

/** A decimal amount in whole units, parsed to micro-units (rounded down past 6 decimals). */
export const amountParam = single.pipe(
  z
    .string()
    .regex(/^\d{1,12}(\.\d+)?$/, 'must be a non-negative number')
    .transform((s) => {
      const [whole, fraction = ''] = s.split('.');
      return Number(whole) * MICRO + Number(fraction.slice(0, 6).padEnd(6, '0'));
    }),
);

export const boolParam = single.pipe(
  z.enum(['true', 'false'], 'must be true or false').transform((v) => v === 'true'),
);

export const addressParam = single.pipe(
  z
    .string()
    .regex(/^0x[a-fA-F0-9]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
    .transform((s) => s.toLowerCase()),
);

/** Comma-separated values, from one key or several. */
const list = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const conditionList = list.pipe(
  z.array(
    z
      .string()
      .regex(/^0x[a-fA-F0-9]{64}$/, 'must be condition ids (0x + 64 hex)')
      .transform((s) => s.toLowerCase()),
  ),
);

export const eventIdList = list.pipe(
  z.array(z.string().regex(/^[1-9]\d{0,15}$/, 'must be integers of at least 1')),
);

/** A comma-separated list of some of `values`. */
export function enumList<const T extends readonly [string, ...string[]]>(values: T) {
  return list.pipe(z.array(z.enum(values, `must be among ${values.join(', ')}`)));
}

export const activityTypeList = enumList(ACTIVITY_TYPES);

export const sideParam = single.pipe(z.enum(['BUY', 'SELL'], 'must be BUY or SELL'));
export const directionParam = single.pipe(z.enum(['ASC', 'DESC'], 'must be ASC or DESC'));
export const filterTypeParam = single.pipe(z.enum(['CASH', 'TOKENS'], 'must be CASH or TOKENS'));

export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  return single.pipe(z.enum(values, `must be one of ${values.join(', ')}`));
}

export interface ParamIssue {
  parameter: string;
  message: string;
}

/** The first issue of a failed parse, named after its query parameter ("x is required" if absent). */
export function firstIssue(error: z.ZodError, query: Record<string, unknown>): ParamIssue {
  const issue = error.issues[0]!;
  const parameter = String(issue.path[0] ?? 'query');
  if (issue.path.length > 0 && query[parameter] === undefined) {
    return { parameter, message: `${parameter} is required` };
  }
  return { parameter, message: `${parameter} ${issue.message}` };
}

/** camelCase -> snake_case, so v2 routes accept both spellings of every parameter. */
export function snakeKeys(query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (query && typeof query === 'object') {
    for (const [k, v] of Object.entries(query)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v;
  }
  return out;
}

export const THREE_YEARS_SEC = 3 * 365 * 86_400;
