/**
 * Invents a catalog from a seed: standalone binary markets and neg-risk events of several markets
 * whose YES fair values sum to about 1, with ids shaped like Polymarket's.
 */
import { MICRO, price, shares } from '../../core/money.ts';
import { tickSize } from '../../core/tick.ts';
import { createRandom, type Random } from '../random.ts';
import type { Catalog, FeeSchedule, Hex, SimEvent, SimMarket } from './model.ts';

export interface CatalogOptions {
  seed: number;
  /** Standalone YES/NO markets. */
  binaryMarkets?: number;
  /** Neg-risk events, each the number of outcome markets it holds. */
  negRiskEvents?: readonly number[];
  /** The simulator clock's start, epoch ms. */
  now: number;
}

const DAY = 86_400_000;
const TOPICS = [
  ['the Fed cut rates', 'the next FOMC meeting'],
  ['BTC close above $150k', 'year end'],
  ['the home team win the final', 'the final whistle'],
  ['the bill pass the Senate', 'the summer recess'],
  ['the launch happen on schedule', 'the launch window'],
  ['inflation print above 3%', 'the next CPI release'],
  ['the merger close', 'the regulator’s deadline'],
  ['the album top the charts', 'its release week'],
] as const;
const CANDIDATES = [
  'Avery',
  'Blake',
  'Casey',
  'Devon',
  'Emery',
  'Finley',
  'Harper',
  'Jordan',
  'Kai',
  'Logan',
];
const FEE_RATES = [0, 40_000, 50_000, 70_000];

function hex32(random: Random): Hex {
  return `0x${random.hex(32)}`;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function feeSchedule(random: Random): FeeSchedule {
  return { rate: random.pick(FEE_RATES), exponent: 1, takerOnly: true, rebateRate: 250_000 };
}

export function generateCatalog(options: CatalogOptions): Catalog {
  const random = createRandom(options.seed).fork('catalog');
  const markets: SimMarket[] = [];
  const events: SimEvent[] = [];
  let nextMarketId = 500_000 + random.int(0, 9_999);
  let nextEventId = 20_000 + random.int(0, 999);

  const market = (fields: {
    question: string;
    eventId: string;
    fair: number;
    negRiskMarketId: Hex | null;
    groupItemTitle: string;
    endDate: number;
  }): SimMarket => {
    const id = String(nextMarketId++);
    return {
      id,
      conditionId: hex32(random),
      questionId: hex32(random),
      question: fields.question,
      slug: `${slugify(fields.question)}-${id.slice(-3)}`,
      description: `This market will resolve to “Yes” if ${fields.question.replace(/^Will /, '').replace(/\?$/, '')}. Otherwise, it will resolve to “No”. (Simulated market.)`,
      tokens: [
        { tokenId: random.decimalDigits(77), outcome: 'Yes' },
        { tokenId: random.decimalDigits(77), outcome: 'No' },
      ],
      tickSize: tickSize(random.pick([10_000, 10_000, 1_000])),
      minSize: shares(5 * MICRO),
      negRisk: fields.negRiskMarketId !== null,
      negRiskMarketId: fields.negRiskMarketId,
      negRiskRequestId: fields.negRiskMarketId ? hex32(random) : null,
      groupItemTitle: fields.groupItemTitle,
      eventId: fields.eventId,
      feeSchedule: feeSchedule(random),
      createdAt: options.now - random.int(10, 60) * DAY,
      startDate: options.now - random.int(1, 9) * DAY,
      endDate: fields.endDate,
      active: true,
      closed: false,
      initialFairValue: price(fields.fair),
    };
  };

  for (let i = 0; i < (options.binaryMarkets ?? 4); i++) {
    const [what, when] = TOPICS[i % TOPICS.length]!;
    const eventId = String(nextEventId++);
    const endDate = options.now + random.int(3, 90) * DAY;
    const m = market({
      question: `Will ${what} before ${when}?`,
      eventId,
      fair: random.int(15, 85) * 10_000,
      negRiskMarketId: null,
      groupItemTitle: '',
      endDate,
    });
    markets.push(m);
    events.push({
      id: eventId,
      slug: m.slug,
      ticker: m.slug,
      title: m.question,
      description: m.description,
      negRisk: false,
      negRiskMarketId: null,
      marketIds: [m.id],
      createdAt: m.createdAt,
      startDate: m.startDate,
      endDate,
    });
  }

  for (const [n, size] of (options.negRiskEvents ?? [4]).entries()) {
    const eventId = String(nextEventId++);
    const negRiskMarketId = hex32(random);
    const endDate = options.now + random.int(30, 365) * DAY;
    const title = `Winner of simulated election ${n + 1}`;
    // Fair values that sum to 1: random weights, normalised, kept off the price bounds.
    const weights = Array.from({ length: size }, () => random.int(1, 10));
    const total = weights.reduce((a, b) => a + b, 0);
    const ids: string[] = [];
    for (const [i, w] of weights.entries()) {
      const name = CANDIDATES[(n * size + i) % CANDIDATES.length]!;
      const fair = Math.min(950_000, Math.max(20_000, Math.round((w / total) * 100) * 10_000));
      const m = market({
        question: `Will ${name} win simulated election ${n + 1}?`,
        eventId,
        fair,
        negRiskMarketId,
        groupItemTitle: name,
        endDate,
      });
      markets.push(m);
      ids.push(m.id);
    }
    events.push({
      id: eventId,
      slug: slugify(title),
      ticker: slugify(title),
      title,
      description: `Exactly one of these markets resolves Yes. (Simulated event.)`,
      negRisk: true,
      negRiskMarketId,
      marketIds: ids,
      createdAt: options.now - 30 * DAY,
      startDate: options.now - 7 * DAY,
      endDate,
    });
  }
  return { markets, events };
}
