/**
 * Background takers: now and then a small market order against a random market, so books trade
 * between the leaders' scripted moves. Mostly buys of YES or NO, sometimes a sale of what the
 * taker holds. Low rate by default; every choice comes from the seeded generator.
 */
import { type Clock, MICRO, type Micro, mulDiv, type Shares, type Usdc } from '../../core/index.ts';
import type { Random } from '../random.ts';
import type { SimVenue } from '../venue/index.ts';
import { CENT, floorLot } from './amounts.ts';
import { TraderError } from './errors.ts';
import { buildOrder } from './orders.ts';
import { repeat } from './repeat.ts';
import { createWallet, type SimWallet } from './wallets.ts';

export interface TakerOptions {
  /** Taker wallets; default 3. */
  wallets?: number;
  /** How often a taker may act, in ms of the clock; default 5000. */
  intervalMs?: number;
  /** Chance to act at each interval; default 0.5. */
  chance?: number;
  /** pUSD per buy, drawn in whole cents between these; default $1 to $15. */
  minUsdc?: Usdc;
  maxUsdc?: Usdc;
  /** Chance that a taker holding shares of the drawn token sells some instead; default 0.35. */
  sellChance?: number;
}

export class BackgroundTakers {
  readonly #venue: SimVenue;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #onError: (err: unknown) => void;
  readonly #wallets: SimWallet[];
  readonly #intervalMs: number;
  readonly #chance: number;
  readonly #sellChance: number;
  readonly #minCents: number;
  readonly #maxCents: number;
  #stopTimer: (() => void) | null = null;

  constructor(
    venue: SimVenue,
    clock: Clock,
    random: Random,
    options: TakerOptions,
    onError: (err: unknown) => void,
  ) {
    this.#venue = venue;
    this.#clock = clock;
    this.#random = random.fork('actions');
    this.#onError = onError;
    this.#wallets = Array.from({ length: options.wallets ?? 3 }, (_, i) =>
      createWallet(venue, random.fork(`taker:${i}`)),
    );
    this.#intervalMs = options.intervalMs ?? 5000;
    this.#chance = options.chance ?? 0.5;
    this.#sellChance = options.sellChance ?? 0.35;
    this.#minCents = Math.max(100, Math.ceil((options.minUsdc ?? MICRO) / CENT));
    this.#maxCents = Math.max(this.#minCents, Math.floor((options.maxUsdc ?? 15 * MICRO) / CENT));
  }

  get addresses(): string[] {
    return this.#wallets.map((w) => w.address);
  }

  start(): void {
    if (this.#stopTimer !== null || this.#wallets.length === 0) return;
    this.#stopTimer = repeat(this.#clock, this.#intervalMs, () => this.act(), this.#onError);
  }

  stop(): void {
    this.#stopTimer?.();
    this.#stopTimer = null;
  }

  /** One chance to trade: maybe one small market order. */
  act(): void {
    const r = this.#random;
    if (!r.chance(this.#chance)) return;
    const engine = this.#venue.engine;
    const open = this.#venue.catalog.markets.filter((m) => {
      const info = engine.market(m.conditionId);
      return info !== undefined && !info.closed && info.acceptingOrders;
    });
    if (open.length === 0) return;
    const wallet = r.pick(this.#wallets);
    const market = r.pick(open);
    const token = r.pick(market.tokens).tokenId;
    const held = engine.position(wallet.address, token).available;
    const cents = r.int(this.#minCents, this.#maxCents);
    const sell = held >= market.minSize && r.chance(this.#sellChance);
    const size = sell
      ? { shares: floorLot(Math.max(market.minSize, mulDiv(held, r.int(30, 100), 100, 'floor'))) as Shares }
      : { usdc: (cents * CENT) as Usdc };
    if (!sell) this.#fund(wallet, (cents * CENT) as Usdc);
    try {
      const order = buildOrder(engine, wallet, { tokenId: token, side: sell ? 'SELL' : 'BUY', ...size });
      engine.submit(order);
    } catch (err) {
      // An empty side has nothing to take: that is a quiet market, not a fault.
      if (!(err instanceof TraderError)) throw err;
    }
  }

  /** Keeps a taker's cash well above one order (fees included). */
  #fund(wallet: SimWallet, spend: Usdc): void {
    const engine = this.#venue.engine;
    const available = engine.balance(wallet.address).available;
    if (available < 2 * spend) engine.deposit(wallet.address, (20 * spend - available) as Micro as Usdc);
  }
}
