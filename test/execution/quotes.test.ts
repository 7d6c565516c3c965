/**
 * The quote source against the simulator's REST /book: a snapshot is reused for at most 5 s,
 * concurrent asks for one token share one request, a token without a book is "no book" (the
 * only case a paper fill may use the leader's price), and an unreachable venue is a quote of age
 * infinity, never a made-up price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { createQuoteSource } from '../../src/execution/quotes.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { deadPort } from '../support/ports.ts';

const silent = createLogger({ level: 'silent', format: 'json' });

describe('quote source (REST, cached)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, chain: false, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const counted = () => {
    const urls: string[] = [];
    const f: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    return { urls, fetch: f };
  };

  it('shares one request among concurrent asks and reuses the snapshot for at most 5 s', async () => {
    const clock = new ManualClock(1_790_000_000_000);
    const c = counted();
    const quotes = createQuoteSource({
      feed: null,
      restUrl: sim.urls.clob,
      clock,
      logger: silent,
      fetch: c.fetch,
    });
    const token = sim.venue.catalog.markets[0]!.tokens[0].tokenId;
    const [a, b] = await Promise.all([quotes.quote(token), quotes.quote(token)]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ source: 'rest', receivedAt: clock.now() });
    expect(a.book).not.toBeNull();
    expect(c.urls).toHaveLength(1);

    await clock.advance(5_000);
    await quotes.quote(token);
    expect(c.urls).toHaveLength(1);
    await clock.advance(1);
    const fresh = await quotes.quote(token);
    expect(c.urls).toHaveLength(2);
    expect(fresh.receivedAt).toBe(clock.now());
  });

  it('a token the venue has no book for is "no book", with a current time', async () => {
    const clock = new ManualClock(1_790_000_000_000);
    const quotes = createQuoteSource({ feed: null, restUrl: sim.urls.clob, clock, logger: silent });
    expect(await quotes.quote('123456789')).toMatchObject({
      book: null,
      source: 'none',
      receivedAt: clock.now(),
    });
  });

  it('an unreachable venue gives a quote of age infinity (receivedAt 0), not a price', async () => {
    const clock = new ManualClock(1_790_000_000_000);
    const quotes = createQuoteSource({
      feed: null,
      restUrl: `http://127.0.0.1:${await deadPort()}`,
      clock,
      logger: silent,
    });
    expect(await quotes.quote('123')).toMatchObject({
      book: null,
      receivedAt: 0,
      bestBid: null,
      bestAsk: null,
    });
  });
});
