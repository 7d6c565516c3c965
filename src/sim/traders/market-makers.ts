/**
 * The market makers' driver: per market a few maker wallets quoting a YES ladder around a fair
 * value that walks on every refresh. The decisions are the pure functions beside it (walk, ladder,
 * funding, reconcile); this only reads the engine, and cancels, funds and places what they say.
 *
 * Orders go to the engine synchronously, not through the venue's async submit: one refresh is one
 * uninterrupted sequence (all cancels, then funding, then all placements), so nothing can trade
 * against a half-updated ladder. The venue still settles any trade a placement makes.
 */
import type { Clock, Price, Shares, Usdc } from '../../core/index.ts';
import { MICRO } from '../../core/index.ts';
import type { SimMarket } from '../catalog/model.ts';
import type { MarketInfo, OrderSnapshot } from '../engine/index.ts';
import type { Random } from '../random.ts';
import type { SimVenue } from '../venue/index.ts';
import { limitAmounts } from './amounts.ts';
import { TraderError } from './errors.ts';
import { clampFair, fairBounds, normalizeEvent, stepEvent, stepFair, type WalkMarket } from './fair-value.ts';
import {
  type FundingPolicy,
  fundingPlan,
  type LadderParams,
  type QuoteTarget,
  quoteLadder,
  quoteNeeds,
} from './quotes.ts';
import { type LiveQuote, reconcile } from './reconcile.ts';
import { repeat } from './repeat.ts';
import { createWallet, type SimWallet } from './wallets.ts';

export interface MakerOptions {
  /** Maker wallets per market; default 2 (so the best level holds several orders). */
  perMarket?: number;
  /** Refresh period in ms of the clock; default 2000. */
  refreshMs?: number;
  /** Levels per side; default 3. */
  levels?: number;
  /** Fair value to best bid/ask; default 0.01 (whole ticks, at least one). */
  halfSpread?: Price;
  /** Between levels; default 0.01. */
  levelGap?: Price;
  /** Shares at the best level, before each wallet's own scale (75%..125%); default 50. */
  size?: Shares;
  /** Extra shares per deeper level; default 25. */
  sizeStep?: Shares;
  /** Largest fair-value move per refresh; default 0.01 (whole ticks, at least one). */
  maxStep?: Price;
  /** Refill a holding below this % of what the quotes need, up to refillPct %; default 150 / 300. */
  lowWaterPct?: number;
  refillPct?: number;
  /** Condition ids to make markets in; default every market of the catalog. */
  markets?: readonly string[];
  /** Cancel the makers' orders on stop; default true. */
  cancelOnStop?: boolean;
}

interface MakerWallet {
  wallet: SimWallet;
  /** This wallet's size scale in %, so makers differ. */
  sizePct: number;
}

interface MakerMarket {
  market: SimMarket;
  makers: MakerWallet[];
}

/** Markets whose fair values walk together: one binary market, or one neg-risk event. */
interface FairGroup {
  members: MakerMarket[];
  fairs: Price[];
  event: boolean;
  /** What an event's YES fair values sum to: 1, or their start if only some of its markets are made. */
  target: number;
  random: Random;
}

const SHARE = MICRO;

export class MarketMakers {
  readonly #venue: SimVenue;
  readonly #clock: Clock;
  readonly #onError: (err: unknown) => void;
  readonly #ladder: LadderParams;
  readonly #funding: FundingPolicy;
  readonly #refreshMs: number;
  readonly #maxStep: Price;
  readonly #cancelOnStop: boolean;
  readonly #groups: FairGroup[] = [];
  readonly #byCondition = new Map<string, { group: FairGroup; index: number }>();
  #stopTimer: (() => void) | null = null;

  constructor(
    venue: SimVenue,
    clock: Clock,
    random: Random,
    options: MakerOptions,
    onError: (err: unknown) => void,
  ) {
    this.#venue = venue;
    this.#clock = clock;
    this.#onError = onError;
    this.#ladder = {
      levels: options.levels ?? 3,
      halfSpread: options.halfSpread ?? (10_000 as Price),
      levelGap: options.levelGap ?? (10_000 as Price),
      size: options.size ?? ((50 * SHARE) as Shares),
      sizeStep: options.sizeStep ?? ((25 * SHARE) as Shares),
    };
    this.#funding = { lowWaterPct: options.lowWaterPct ?? 150, refillPct: options.refillPct ?? 300 };
    this.#refreshMs = options.refreshMs ?? 2000;
    this.#maxStep = options.maxStep ?? (10_000 as Price);
    this.#cancelOnStop = options.cancelOnStop ?? true;
    if (this.#funding.lowWaterPct <= 100 || this.#funding.refillPct < this.#funding.lowWaterPct) {
      throw new RangeError('makers need lowWaterPct > 100 and refillPct >= lowWaterPct');
    }

    const wanted = options.markets === undefined ? null : new Set(options.markets);
    const perMarket = options.perMarket ?? 2;
    const events = new Map<string, FairGroup>();
    for (const market of venue.catalog.markets) {
      if (wanted !== null && !wanted.has(market.conditionId)) continue;
      const makers = Array.from({ length: perMarket }, (_, j) => {
        const r = random.fork(`maker:${market.conditionId}:${j}`);
        return { wallet: createWallet(venue, r), sizePct: r.int(75, 125) };
      });
      const member: MakerMarket = { market, makers };
      const eventKey = market.negRisk ? (market.negRiskMarketId ?? market.eventId) : null;
      let group = eventKey === null ? undefined : events.get(eventKey);
      if (group === undefined) {
        group = {
          members: [],
          fairs: [],
          event: eventKey !== null,
          target: MICRO,
          random: random.fork(`fair:${eventKey ?? market.conditionId}`),
        };
        this.#groups.push(group);
        if (eventKey !== null) events.set(eventKey, group);
      }
      this.#byCondition.set(market.conditionId, { group, index: group.members.length });
      group.members.push(member);
      group.fairs.push(market.initialFairValue);
    }
    for (const group of events.values()) {
      const eventId = group.members[0]!.market.eventId;
      const all = venue.catalog.markets.filter((m) => m.eventId === eventId).length;
      if (group.members.length < all) group.target = group.fairs.reduce((a, b) => a + b, 0);
    }
  }

  /** Quotes every market now, then again every refresh period, walking the fair values. */
  start(): void {
    if (this.#stopTimer !== null) return;
    this.refresh(false);
    this.#stopTimer = repeat(this.#clock, this.#refreshMs, () => this.refresh(true), this.#onError);
  }

  /** One refresh of every market: walk the fair values (if `step`), then re-quote. */
  refresh(step = true): void {
    for (const group of this.#groups) {
      try {
        this.#refreshGroup(group, step);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /** The current YES fair value of a market the makers quote. */
  fairValue(conditionId: string): Price | undefined {
    const at = this.#byCondition.get(conditionId);
    return at === undefined ? undefined : at.group.fairs[at.index];
  }

  /** Addresses of a market's maker wallets. */
  wallets(conditionId: string): string[] {
    const at = this.#byCondition.get(conditionId);
    return at === undefined ? [] : at.group.members[at.index]!.makers.map((m) => m.wallet.address);
  }

  /** Stops refreshing and (by default) cancels every maker order. */
  stop(): void {
    this.#stopTimer?.();
    this.#stopTimer = null;
    if (!this.#cancelOnStop) return;
    for (const group of this.#groups) {
      for (const member of group.members) {
        for (const { wallet } of member.makers) {
          try {
            this.#venue.engine.cancelAll(wallet.owner, { market: member.market.conditionId });
          } catch (err) {
            this.#onError(err);
          }
        }
      }
    }
  }

  #refreshGroup(group: FairGroup, step: boolean): void {
    const engine = this.#venue.engine;
    const infos = group.members.map((m) => engine.market(m.market.conditionId));
    // The tick can change at run time, so the walk's grid and bounds are read afresh each time.
    const walk: WalkMarket[] = infos.map((info, i) => {
      const tick = info?.tickSize ?? group.members[i]!.market.tickSize;
      return { tick, bounds: fairBounds(tick, this.#ladder.halfSpread) };
    });
    if (group.event) {
      const normal = normalizeEvent(group.fairs, walk, group.target);
      group.fairs = step ? stepEvent(normal, walk, this.#maxStep, group.random) : normal;
    } else {
      const fair = clampFair(group.fairs[0]!, walk[0]!);
      group.fairs = [step ? stepFair(fair, walk[0]!, this.#maxStep, group.random) : fair];
    }
    group.members.forEach((member, i) => {
      const info = infos[i];
      if (info !== undefined && !info.closed && info.acceptingOrders)
        this.#quote(member, info, group.fairs[i]!);
    });
  }

  /** Reconciles every maker of one market: all cancels, then funding, then all placements. */
  #quote(member: MakerMarket, info: MarketInfo, fair: Price): void {
    const engine = this.#venue.engine;
    const ladderMarket = { yesTokenId: info.tokenIds[0], tick: info.tickSize, minSize: info.minOrderSize };
    const plans = member.makers.map(({ wallet, sizePct }) => {
      const targets = quoteLadder(fair, ladderMarket, this.#scaled(sizePct));
      const live = engine.openOrders({ maker: wallet.address, market: info.conditionId }).map(liveQuote);
      return { wallet, targets, ...reconcile(targets, live) };
    });
    for (const p of plans) if (p.cancel.length > 0) engine.cancel(p.cancel, p.wallet.owner);
    for (const p of plans) {
      const held = {
        cash: engine.balance(p.wallet.address).balance as number as Usdc,
        shares: engine.position(p.wallet.address, info.tokenIds[0]).balance as number as Shares,
      };
      const plan = fundingPlan(held, quoteNeeds(p.targets), this.#funding);
      if (plan.deposit > 0) engine.deposit(p.wallet.address, plan.deposit);
      if (plan.split > 0) engine.split(p.wallet.address, info.conditionId, plan.split);
    }
    for (const p of plans) for (const t of p.place) this.#place(p.wallet, t);
  }

  #scaled(pct: number): LadderParams {
    const scale = (n: number): Shares => Math.floor((n * pct) / 100) as Shares;
    return { ...this.#ladder, size: scale(this.#ladder.size), sizeStep: scale(this.#ladder.sizeStep) };
  }

  #place(wallet: SimWallet, t: QuoteTarget): void {
    const result = this.#venue.engine.submit({
      id: wallet.nextOrderId(),
      owner: wallet.owner,
      maker: wallet.address,
      tokenId: t.tokenId,
      side: t.side,
      ...limitAmounts(t.side, t.price, t.size),
      orderType: 'GTC',
      expiration: 0,
    });
    if (!result.success) {
      this.#onError(
        new TraderError(`maker quote refused: ${result.errorMsg}`, { maker: wallet.address, ...t }),
      );
    }
  }
}

function liveQuote(o: OrderSnapshot): LiveQuote {
  return {
    orderId: o.id,
    tokenId: o.tokenId,
    side: o.side,
    price: o.price,
    size: (o.originalSize - o.sizeMatched) as Shares,
  };
}
