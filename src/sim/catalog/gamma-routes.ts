/**
 * Gamma's REST routes on a fastify instance: `/markets` (offset paging), `/markets/keyset` (cursor
 * paging), `/markets/:id`, `/markets/slug/:slug` and `/events`. Filters follow the real service's
 * parameter names; repeated keys (`?id=1&id=2`) filter by any of the values.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { renderGammaEvent, renderGammaMarket } from './gamma.ts';
import type { MarketSnapshot, SimEvent, SimMarket } from './model.ts';

export interface GammaSource {
  markets(): readonly SimMarket[];
  events(): readonly SimEvent[];
  snapshot(market: SimMarket): MarketSnapshot;
  now(): number;
}

/** Gamma's documented cap on keyset pages. */
export const KEYSET_MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;

const many = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .optional();
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const count = z.coerce.number().int().min(0);

const marketFilters = z.object({
  limit: count.optional(),
  offset: count.optional(),
  id: many,
  slug: many,
  clob_token_ids: many,
  condition_ids: many,
  closed: bool.optional(),
  active: bool.optional(),
  order: z.string().optional(),
  ascending: bool.optional(),
});
const keysetQuery = marketFilters.omit({ offset: true }).extend({ after_cursor: z.string().optional() });
const eventFilters = z.object({
  limit: count.optional(),
  offset: count.optional(),
  id: many,
  slug: many,
  closed: bool.optional(),
  active: bool.optional(),
});

type MarketFilters = z.output<typeof marketFilters>;

function badRequest(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const detail = error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  return reply.code(400).send({ error: `invalid query parameters: ${detail}` });
}

function matches(m: SimMarket, f: Omit<MarketFilters, 'limit' | 'offset'>): boolean {
  if (f.id && !f.id.includes(m.id)) return false;
  if (f.slug && !f.slug.includes(m.slug)) return false;
  if (f.condition_ids && !f.condition_ids.some((c) => c.toLowerCase() === m.conditionId)) return false;
  if (f.clob_token_ids && !m.tokens.some((t) => f.clob_token_ids!.includes(t.tokenId))) return false;
  // Gamma hides closed markets unless asked for them.
  if (m.closed !== (f.closed ?? false)) return false;
  if (f.active !== undefined && m.active !== f.active) return false;
  return true;
}

const SORT_KEYS: Record<string, (m: SimMarket, s: MarketSnapshot) => number | string> = {
  id: (m) => Number(m.id),
  volume: (_m, s) => s.volume,
  volumeNum: (_m, s) => s.volume,
  volume24hr: (_m, s) => s.volume,
  endDate: (m) => m.endDate,
  startDate: (m) => m.startDate,
  createdAt: (m) => m.createdAt,
  slug: (m) => m.slug,
};

/** Keyset cursors are opaque to clients; ours is the base64url of the next offset. */
const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

export function registerGammaRoutes(app: FastifyInstance, source: GammaSource): void {
  const eventOf = (m: SimMarket) => source.events().find((e) => e.id === m.eventId)!;
  const marketsOf = (e: SimEvent) => source.markets().filter((m) => e.marketIds.includes(m.id));
  const render = (m: SimMarket) =>
    renderGammaMarket(m, eventOf(m), marketsOf(eventOf(m)), source.snapshot(m), source.now());

  const select = (f: Omit<MarketFilters, 'limit' | 'offset'>): SimMarket[] => {
    const selected = source.markets().filter((m) => matches(m, f));
    const keys = f.order?.split(',').map((k) => k.trim()) ?? [];
    const sorters = keys.map((k) => SORT_KEYS[k]).filter((s) => s !== undefined);
    if (sorters.length > 0) {
      const sign = f.ascending === false ? -1 : 1;
      selected.sort((a, b) => {
        for (const key of sorters) {
          const x = key(a, source.snapshot(a));
          const y = key(b, source.snapshot(b));
          if (x !== y) return (x < y ? -1 : 1) * sign;
        }
        return 0;
      });
    }
    return selected;
  };

  app.get('/markets', async (req, reply) => {
    const q = marketFilters.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error);
    const offset = q.data.offset ?? 0;
    return select(q.data)
      .slice(offset, offset + (q.data.limit ?? DEFAULT_LIMIT))
      .map(render);
  });

  app.get('/markets/keyset', async (req, reply) => {
    const q = keysetQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error);
    const limit = q.data.limit ?? DEFAULT_LIMIT;
    if (limit > KEYSET_MAX_LIMIT) {
      return reply.code(400).send({ error: `limit must be at most ${KEYSET_MAX_LIMIT}` });
    }
    const start = q.data.after_cursor === undefined ? 0 : decodeCursor(q.data.after_cursor);
    if (start === undefined) return reply.code(400).send({ error: 'invalid after_cursor' });
    const selected = select(q.data);
    const page = selected.slice(start, start + limit);
    const next = start + page.length;
    return { markets: page.map(render), next_cursor: next < selected.length ? encodeCursor(next) : null };
  });

  app.get<{ Params: { id: string } }>('/markets/:id', async (req, reply) => {
    const m = source.markets().find((x) => x.id === req.params.id);
    return m ? render(m) : reply.code(404).send({ error: 'market not found' });
  });

  app.get<{ Params: { slug: string } }>('/markets/slug/:slug', async (req, reply) => {
    const m = source.markets().find((x) => x.slug === req.params.slug);
    return m ? render(m) : reply.code(404).send({ error: 'market not found' });
  });

  app.get('/events', async (req, reply) => {
    const q = eventFilters.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error);
    const offset = q.data.offset ?? 0;
    const events = source.events().filter((e) => {
      const closed = marketsOf(e).every((m) => m.closed);
      if (q.data.id && !q.data.id.includes(e.id)) return false;
      if (q.data.slug && !q.data.slug.includes(e.slug)) return false;
      if (closed !== (q.data.closed ?? false)) return false;
      if (q.data.active !== undefined && marketsOf(e).some((m) => m.active) !== q.data.active) return false;
      return true;
    });
    return events.slice(offset, offset + (q.data.limit ?? DEFAULT_LIMIT)).map((e) => {
      const markets = marketsOf(e);
      return {
        ...renderGammaEvent(e, markets, source.now()),
        markets: markets.map((m) => {
          const { events: _parent, ...rest } = render(m);
          return rest;
        }),
      };
    });
  });
}
