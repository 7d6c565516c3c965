/**
 * Scenario files: the leaders and timed steps of a scripted run, in JSON or TOML, validated with
 * zod. A step either has a leader trade (`buy` or `sell`) or names a fault (`fault`, `params`)
 * that someone else injects; every problem is reported with the step it is in.
 *
 * ```json
 * { "name": "demo",
 *   "leaders": [{ "name": "whale", "usdc": 5000 }],
 *   "steps": [
 *     { "at": 2, "leader": "whale", "buy": { "market": "binary:0", "outcome": "Yes", "levels": 3 } },
 *     { "at": 9, "leader": "whale", "sell": { "market": "binary:0", "fraction": 0.5 } },
 *     { "at": 12, "fault": "clob_ws_drop", "params": { "forS": 5 } } ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { MICRO, type Micro, type Price, parseMicro, type Shares, type Usdc } from '../../core/index.ts';
import type { OrderType, Side } from '../engine/index.ts';
import { ScenarioError } from './errors.ts';

/** Which token a trade is in: a catalog reference and outcome, or a token id. */
export type TokenRef = { market: string; outcome: 'Yes' | 'No' } | { tokenId: string };

export type StepSize = { usdc: Usdc } | { shares: Shares } | { fraction: Micro } | { levels: number };

export interface TradeStep {
  type: 'trade';
  /** 1-based position in the file. */
  step: number;
  /** Seconds after the scenario starts. */
  at: number;
  leader: string;
  side: Side;
  token: TokenRef;
  size: StepSize;
  orderType: OrderType;
  limit?: Price;
  /** GTD: seconds from the step's time to expiry. */
  expiresInS?: number;
}

/** A fault for the fault injector: parsed and timed here, carried out elsewhere. */
export interface FaultStep {
  type: 'fault';
  step: number;
  at: number;
  kind: string;
  params: Record<string, unknown>;
}

export type ScenarioStep = TradeStep | FaultStep;

export interface ScenarioLeader {
  name: string;
  address?: string;
  usdc: Usdc;
}

export interface Scenario {
  name: string;
  description: string;
  leaders: ScenarioLeader[];
  /** In time order; steps at the same time keep the file's order. */
  steps: ScenarioStep[];
}

/**
 * A market reference: `binary:N` (the N-th standalone market of the catalog), `negrisk:E:M` (the
 * M-th market of the E-th neg-risk event), a condition id, or a slug.
 */
export const MARKET_REF = /^(binary:\d+|negrisk:\d+:\d+|0x[0-9a-fA-F]{64}|[a-z0-9][a-z0-9-]*)$/;

/** A decimal given as a JSON/TOML number or a string, in micro-units, with at most `decimals`. */
function decimal(what: string, decimals: number) {
  return z.union([z.number(), z.string()], { error: `${what} must be a number` }).transform((v, ctx) => {
    let micro: number;
    try {
      micro = parseMicro(typeof v === 'number' ? String(v) : v, { allowExponent: typeof v === 'number' });
    } catch {
      ctx.addIssue({ code: 'custom', message: `${what} must be a decimal number, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    if (micro <= 0) ctx.addIssue({ code: 'custom', message: `${what} must be more than 0` });
    else if (micro % 10 ** (6 - decimals) !== 0) {
      ctx.addIssue({ code: 'custom', message: `${what} has more than ${decimals} decimals` });
    }
    return micro;
  });
}

const seconds = z.number({ error: 'at must be a number of seconds' }).finite().min(0, 'at must be >= 0');

const order = z.strictObject({
  market: z
    .string()
    .regex(MARKET_REF, 'market must be binary:N, negrisk:E:M, a condition id or a slug')
    .optional(),
  outcome: z.enum(['Yes', 'No']).optional(),
  token: z.string().regex(/^\d+$/, 'token must be a decimal token id').optional(),
  usdc: decimal('usdc', 2).optional(),
  shares: decimal('shares', 2).optional(),
  fraction: z.number().gt(0, 'fraction must be more than 0').lte(1, 'fraction must be at most 1').optional(),
  all: z.literal(true, 'all must be true').optional(),
  levels: z.number().int().min(1, 'levels must be at least 1').max(100).optional(),
  orderType: z.enum(['FAK', 'FOK', 'GTC', 'GTD']).optional(),
  limit: decimal('limit', 6).optional(),
  expiresInS: z.number().int().min(60, 'expiresInS must be at least 60 (the GTD threshold)').optional(),
});
type OrderInput = z.infer<typeof order>;

const tradeStep = z.strictObject({
  at: seconds,
  leader: z.string({ error: 'leader must be a name' }).min(1, 'leader must be a name'),
  buy: order.optional(),
  sell: order.optional(),
});

const faultStep = z.strictObject({
  at: seconds,
  fault: z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'fault must be a lower-case kind like "clob_ws_drop"'),
  params: z.record(z.string(), z.unknown()).default({}),
});

const leader = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'leader name must be letters, digits, _ . or -'),
  address: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'address must be 0x and 40 hex digits')
    .transform((s) => s.toLowerCase())
    .optional(),
  usdc: z.union([z.literal(0), decimal('usdc', 2)]).default(0),
});

const top = z.strictObject({
  name: z.string().default('scenario'),
  description: z.string().default(''),
  leaders: z.array(leader).default([]),
  steps: z.array(z.unknown()).min(1, 'steps must list at least one step'),
});

/** Parses scenario text: JSON if it starts with `{`, else TOML (or as `format` says). */
export function parseScenario(text: string, format?: 'json' | 'toml'): Scenario {
  const kind = format ?? (text.trimStart().startsWith('{') ? 'json' : 'toml');
  let value: unknown;
  try {
    value = kind === 'json' ? JSON.parse(text) : parseToml(text);
  } catch (err) {
    throw new ScenarioError([
      `not valid ${kind.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}`,
    ]);
  }
  return validateScenario(value);
}

/** Reads and parses a scenario file; `.toml` files as TOML, others as JSON. */
export async function loadScenario(path: string): Promise<Scenario> {
  return parseScenario(await readFile(path, 'utf8'), path.endsWith('.toml') ? 'toml' : 'json');
}

/** Validates an already-parsed scenario (a control API body, say). */
export function validateScenario(value: unknown): Scenario {
  const parsed = top.safeParse(value);
  if (!parsed.success)
    throw new ScenarioError(parsed.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`));
  const problems: string[] = [];
  const names = new Set<string>();
  for (const l of parsed.data.leaders) {
    if (names.has(l.name)) problems.push(`leaders: ${l.name} is listed twice`);
    names.add(l.name);
  }
  const steps: ScenarioStep[] = [];
  parsed.data.steps.forEach((raw, i) => {
    const found: string[] = [];
    const step = parseStep(raw, i + 1, names, found);
    if (step !== null) steps.push(step);
    problems.push(...found.map((p) => `${stepLabel(raw, i + 1)}: ${p}`));
  });
  if (problems.length > 0) throw new ScenarioError(problems);
  return {
    name: parsed.data.name,
    description: parsed.data.description,
    leaders: parsed.data.leaders.map((l) => ({
      name: l.name,
      usdc: l.usdc as Usdc,
      ...(l.address === undefined ? {} : { address: l.address }),
    })),
    // Array sort is stable: steps at the same time keep their order in the file.
    steps: steps.sort((a, b) => a.at - b.at),
  };
}

/** `step 4 (at 20s, whale)`, with whatever of the step could be read. */
function stepLabel(raw: unknown, step: number): string {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const details = [
    typeof r.at === 'number' ? `at ${r.at}s` : null,
    typeof r.leader === 'string' ? r.leader : null,
    typeof r.fault === 'string' ? `fault ${r.fault}` : null,
  ].filter((d) => d !== null);
  return details.length > 0 ? `step ${step} (${details.join(', ')})` : `step ${step}`;
}

function parseStep(
  raw: unknown,
  step: number,
  leaders: ReadonlySet<string>,
  problems: string[],
): ScenarioStep | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('must be a table with "at" and either "leader" with "buy"/"sell", or "fault"');
    return null;
  }
  if ('fault' in raw) {
    const f = faultStep.safeParse(raw);
    if (!f.success) {
      problems.push(...f.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`));
      return null;
    }
    return { type: 'fault', step, at: f.data.at, kind: f.data.fault, params: f.data.params };
  }
  if (!('leader' in raw)) {
    problems.push('a step needs "leader" with "buy" or "sell", or "fault"');
    return null;
  }
  const t = tradeStep.safeParse(raw);
  if (!t.success) {
    problems.push(...t.error.issues.map((i) => `${pathText(i.path)}: ${i.message}`));
    return null;
  }
  const { at, leader: name, buy, sell } = t.data;
  if (!leaders.has(name)) problems.push(`leader "${name}" is not listed in leaders`);
  if ((buy === undefined) === (sell === undefined)) {
    problems.push('give exactly one of "buy" or "sell" (or "fault" for a fault step)');
    return null;
  }
  const side: Side = buy !== undefined ? 'BUY' : 'SELL';
  const o = (buy ?? sell)!;
  const before = problems.length;
  const token = tokenOf(o, side, problems);
  const size = sizeOf(o, side, problems);
  const orderType = o.orderType ?? 'FAK';
  if ((orderType === 'GTC' || orderType === 'GTD') && o.limit === undefined && o.levels === undefined) {
    problems.push(`${side.toLowerCase()}: a ${orderType} order needs a limit`);
  }
  if (o.limit !== undefined && o.limit >= MICRO) problems.push(`${side.toLowerCase()}.limit must be below 1`);
  if (o.expiresInS !== undefined && orderType !== 'GTD')
    problems.push(`${side.toLowerCase()}.expiresInS is for GTD orders`);
  if (orderType === 'GTD' && o.expiresInS === undefined)
    problems.push(`${side.toLowerCase()}: a GTD order needs expiresInS`);
  if (problems.length > before || token === null || size === null) return null;
  return {
    type: 'trade',
    step,
    at,
    leader: name,
    side,
    token,
    size,
    orderType,
    ...(o.limit === undefined ? {} : { limit: o.limit as Price }),
    ...(o.expiresInS === undefined ? {} : { expiresInS: o.expiresInS }),
  };
}

function tokenOf(o: OrderInput, side: Side, problems: string[]): TokenRef | null {
  const where = side.toLowerCase();
  if ((o.market === undefined) === (o.token === undefined)) {
    problems.push(`${where}: give exactly one of "market" (with "outcome") or "token"`);
    return null;
  }
  if (o.token !== undefined) {
    if (o.outcome !== undefined) problems.push(`${where}: "outcome" goes with "market", not "token"`);
    return { tokenId: o.token };
  }
  return { market: o.market!, outcome: o.outcome ?? 'Yes' };
}

function sizeOf(o: OrderInput, side: Side, problems: string[]): StepSize | null {
  const where = side.toLowerCase();
  const keys =
    side === 'BUY' ? ['usdc', 'shares', 'levels'] : ['usdc', 'shares', 'fraction', 'all', 'levels'];
  const given = (['usdc', 'shares', 'fraction', 'all', 'levels'] as const).filter((k) => o[k] !== undefined);
  const wrong = given.filter((k) => !keys.includes(k));
  if (wrong.length > 0) {
    problems.push(`${where}: ${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} only for sells`);
    return null;
  }
  if (given.length !== 1) {
    problems.push(`${where}: give exactly one size: ${keys.join(', ')}`);
    return null;
  }
  if (o.usdc !== undefined) return { usdc: o.usdc as Usdc };
  if (o.shares !== undefined) return { shares: o.shares as Shares };
  if (o.levels !== undefined) return { levels: o.levels };
  if (o.all === true) return { fraction: MICRO as Micro };
  return { fraction: parseMicro(String(o.fraction), { allowExponent: true, rounding: 'floor' }) };
}

/** `buy.usdc` from `['buy', 'usdc']`, `leaders[1].name` from `['leaders', 1, 'name']`. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(top level)' : out;
}
