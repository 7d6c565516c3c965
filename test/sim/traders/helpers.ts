import { ManualClock } from '../../../src/core/clock.ts';
import { MICRO, type Price, type Shares } from '../../../src/core/money.ts';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import type { SimMarket } from '../../../src/sim/catalog/model.ts';
import { startTraders, type Traders, type TradersOptions } from '../../../src/sim/traders/index.ts';
import { SimVenue } from '../../../src/sim/venue/index.ts';

export const NOW = Date.UTC(2026, 10, 21, 12);

export interface World {
  clock: ManualClock;
  venue: SimVenue;
  traders: Traders;
  errors: unknown[];
  binary: SimMarket;
  event: SimMarket[];
  close(): void;
}

/** A venue without a chain on a ManualClock, its catalog from `seed`, and traders from `traderSeed`. */
export function world(
  seed: number,
  traders: Partial<Omit<TradersOptions, 'venue' | 'clock'>> = {},
  catalog: { binary?: number; negRiskEvents?: number[] } = {},
): World {
  const clock = new ManualClock(NOW);
  const venue = new SimVenue({
    seed,
    catalog: generateCatalog({
      seed,
      now: NOW,
      binaryMarkets: catalog.binary ?? 2,
      negRiskEvents: catalog.negRiskEvents ?? [3],
    }),
    clock,
    blockTimeMs: 1000,
    confirmDelayMs: 1000,
  });
  const errors: unknown[] = [];
  const t = startTraders({ venue, clock, seed, onError: (e) => errors.push(e), ...traders });
  const binary = venue.catalog.markets.find((m) => !m.negRisk)!;
  const event = venue.catalog.markets.filter(
    (m) => m.negRisk && m.eventId === venue.catalog.markets.find((x) => x.negRisk)!.eventId,
  );
  return {
    clock,
    venue,
    traders: t,
    errors,
    binary,
    event,
    close() {
      t.stop();
      venue.close();
    },
  };
}

export const usd = (n: number) => (n * MICRO) as never;
export const sh = (n: number) => Math.round(n * MICRO) as Shares;
export const px = (n: number) => Math.round(n * MICRO) as Price;
