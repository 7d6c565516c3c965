/**
 * Faults on demand: one catalogue of what can go wrong, applied the same way whether a test asks
 * the control API (`POST /_sim/faults/<kind>`) or a scenario file lists it at a time.
 *
 * Kinds (hyphens and underscores are the same):
 * - `http` {service: clob|gamma|data, status: 425|429|500|502|503, count, paths?}: the next `count`
 *   requests (whose path matches the regex `paths`) fail with that status and the real body.
 * - `clob_ws_drop` {channel?: market|user}, `rtds_drop`, `chain_drop`: sockets cut without a close frame.
 * - `clob_ws_silence`, `rtds_silence` {on?: boolean, forS?: seconds, channel?}: open sockets stop
 *   getting data while they stay ping-alive; `forS` resumes by itself after that long.
 * - `reorg` {depth}: the last `depth` blocks are replaced; subscribers get `removed: true` logs.
 * - `data_lag` {extraMs, durationMs}: fills matched in the window reach the Data API later.
 * - `malformed` {service: rtds|clob_ws, channel?}: every open socket gets MALFORMED_FRAMES, frames
 *   a client must count and skip (broken JSON, wrong types, unknown event types).
 * - `resolve` {market: condition id, slug or scenario reference like "binary:1", winner: Yes|No}: not a fault but a scripted event, so a
 *   scenario can resolve a market at a given time (open orders cancelled, `market_resolved` sent).
 */
import { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import { ValidationError } from '../core/errors.ts';
import type { Chain } from './chain/index.ts';
import type { ClobFaults } from './clob/rest/index.ts';
import type { ClobWs } from './clob/ws/index.ts';
import type { FeedsHub, RtdsServer } from './feeds/index.ts';
import { resolveToken } from './traders/scenario-runner.ts';
import type { SimVenue } from './venue/index.ts';

export interface FaultTargets {
  clock: Clock;
  venue: SimVenue;
  http: { clob: ClobFaults; gamma: ClobFaults; data: ClobFaults };
  clobWs: ClobWs;
  rtds: RtdsServer;
  feeds: FeedsHub;
  chain: Chain | null;
}

export const FAULT_KINDS = [
  'http',
  'clob_ws_drop',
  'clob_ws_silence',
  'rtds_drop',
  'rtds_silence',
  'chain_drop',
  'reorg',
  'data_lag',
  'malformed',
  'resolve',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const channel = z.enum(['market', 'user']).optional();
const silence = z.strictObject({
  on: z.boolean().default(true),
  forS: z.number().positive().optional(),
  channel,
});
const PARAMS = {
  http: z.strictObject({
    service: z.enum(['clob', 'gamma', 'data']),
    status: z.union([z.literal(425), z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
    count: z.number().int().min(1).max(10_000),
    paths: z.string().optional(),
  }),
  clob_ws_drop: z.strictObject({ channel }),
  clob_ws_silence: silence,
  rtds_drop: z.strictObject({}),
  chain_drop: z.strictObject({}),
  rtds_silence: silence.omit({ channel: true }),
  reorg: z.strictObject({ depth: z.number().int().min(1).max(64) }),
  data_lag: z.strictObject({ extraMs: z.number().int().min(0), durationMs: z.number().int().min(1) }),
  malformed: z.strictObject({ service: z.enum(['rtds', 'clob_ws']), channel }),
  resolve: z.strictObject({ market: z.string().min(1), winner: z.enum(['Yes', 'No']) }),
} as const;

/** What the malformed fault sends: each must be refused by a validating client, none may crash it. */
export const MALFORMED_FRAMES: readonly string[] = [
  '{"topic":"activity","type":"trades","timestamp":',
  'not json at all',
  '{"topic":"activity","type":"trades","timestamp":1790000000000,"payload":{"proxyWallet":42,"side":"HOLD"}}',
  '{"event_type":"price_change","market":"0x01","price_changes":"oops","timestamp":"x"}',
  '{"event_type":"no_such_event","payload":[]}',
  '[{"event_type":"book","asset_id":null,"bids":[{"price":"NaN","size":"-1"}]}]',
];

/** `rtds-drop` and `rtds_drop` name the same fault. */
export function faultKindOf(name: string): FaultKind | undefined {
  const kind = name.replaceAll('-', '_');
  return (FAULT_KINDS as readonly string[]).includes(kind) ? (kind as FaultKind) : undefined;
}

/** Applies a fault; throws a ValidationError naming the problem for an unknown kind or bad params. */
export async function applyFault(t: FaultTargets, name: string, params: unknown): Promise<unknown> {
  const kind = faultKindOf(name);
  if (!kind) throw new ValidationError(`unknown fault "${name}"; known: ${FAULT_KINDS.join(', ')}`);
  const parsed = PARAMS[kind].safeParse(params ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    throw new ValidationError(`fault ${kind}: ${detail}`);
  }
  const p = parsed.data as Record<string, unknown>;
  switch (kind) {
    case 'http': {
      const { service, status, count, paths } = p as z.output<(typeof PARAMS)['http']>;
      let onPaths: RegExp | undefined;
      try {
        onPaths = paths === undefined ? undefined : new RegExp(paths);
      } catch {
        throw new ValidationError(`fault http: paths: not a valid regular expression: ${paths}`);
      }
      t.http[service].nextResponses(status, count, onPaths);
      return { service, status, pending: t.http[service].pending() };
    }
    case 'clob_ws_drop':
      return { dropped: t.clobWs.dropAll((p as { channel?: 'market' | 'user' }).channel) };
    case 'rtds_drop':
      return { dropped: t.rtds.dropAll() };
    case 'chain_drop':
      if (!t.chain) throw new ValidationError('fault chain_drop: the simulator runs without a chain');
      return { dropped: t.chain.dropConnections() };
    case 'clob_ws_silence':
    case 'rtds_silence': {
      const { on, forS, channel: ch } = p as z.output<typeof silence>;
      const target =
        kind === 'rtds_silence'
          ? { silence: () => t.rtds.silence(), resume: () => t.rtds.resume() }
          : { silence: () => t.clobWs.silence(ch), resume: () => t.clobWs.resume(ch) };
      if (!on) {
        target.resume();
        return { silent: false };
      }
      target.silence();
      if (forS !== undefined) t.clock.setTimer(forS * 1000, target.resume);
      return { silent: true, forS: forS ?? null };
    }
    case 'reorg':
      if (!t.chain) throw new ValidationError('fault reorg: the simulator runs without a chain');
      return t.chain.reorg((p as { depth: number }).depth);
    case 'data_lag': {
      const { extraMs, durationMs } = p as { extraMs: number; durationMs: number };
      return t.feeds.lag.spike(extraMs, durationMs);
    }
    case 'resolve': {
      const { market: id, winner } = p as { market: string; winner: 'Yes' | 'No' };
      // A condition id, a slug or a scenario reference such as "binary:1".
      const token = resolveToken(t.venue.catalog, { market: id, outcome: winner });
      if (typeof token !== 'string') throw new ValidationError(`resolve: ${token.problem}`);
      const market = t.venue.catalog.markets.find((m) => m.tokens.some((tok) => tok.tokenId === token))!;
      t.venue.engine.resolveMarket(market.conditionId, token);
      return { conditionId: market.conditionId, winningTokenId: token };
    }
    case 'malformed': {
      const { service, channel: ch } = p as { service: 'rtds' | 'clob_ws'; channel?: 'market' | 'user' };
      let sockets = 0;
      for (const frame of MALFORMED_FRAMES) {
        sockets = service === 'rtds' ? t.rtds.sendRaw(frame) : t.clobWs.sendRaw(frame, ch);
      }
      return { sockets, frames: MALFORMED_FRAMES.length };
    }
  }
}
