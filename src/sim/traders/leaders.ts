/**
 * Scripted leader wallets: the traders PolyHunter copies. Each is a named, funded wallet; a trade
 * request becomes one order sent through the venue, and the answer carries the venue's result
 * and its settled trades (transaction hash, every maker fill), which is what the control API and
 * the tests need.
 */
import type { Hex } from 'viem';
import type { Shares, Usdc } from '../../core/index.ts';
import type { OrderRequest, SubmitResult } from '../engine/index.ts';
import type { Random } from '../random.ts';
import type { SimVenue, VenueTrade } from '../venue/index.ts';
import { TraderError } from './errors.ts';
import { buildOrder, type TradeRequest } from './orders.ts';
import { createWallet, type SimWallet } from './wallets.ts';

export interface LeaderSpec {
  name: string;
  /** Default: drawn from the seed and the name. */
  address?: string;
  /** pUSD deposited when the leader is added. */
  usdc?: Usdc;
}

export interface Leader {
  name: string;
  address: string;
  /** The API key its orders carry. */
  owner: string;
}

export interface TakeTradeResult {
  leader: Leader;
  /** The order as sent. */
  order: OrderRequest;
  result: SubmitResult;
  /** The order's immediate trades, settled: one per transaction, each with all its maker fills. */
  trades: VenueTrade[];
  txHashes: Hex[];
  /** The leader's shares of the token before and after. */
  positionBefore: Shares;
  positionAfter: Shares;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export class Leaders {
  readonly #venue: SimVenue;
  readonly #random: Random;
  readonly #byName = new Map<string, SimWallet & { name: string }>();

  constructor(venue: SimVenue, random: Random) {
    this.#venue = venue;
    this.#random = random;
  }

  /** Adds a leader (or returns the one of that name) and deposits `usdc`. */
  add(spec: LeaderSpec): Leader {
    let entry = this.#byName.get(spec.name);
    if (entry === undefined) {
      if (spec.name === '') throw new TraderError('a leader needs a name');
      if (spec.address !== undefined && !ADDRESS.test(spec.address)) {
        throw new TraderError(`leader ${spec.name}: ${spec.address} is not an address`);
      }
      const taken = spec.address !== undefined && this.get(spec.address) !== undefined;
      if (taken) throw new TraderError(`address ${spec.address} already belongs to another leader`);
      const wallet = createWallet(this.#venue, this.#random.fork(`leader:${spec.name}`), spec.address);
      entry = { ...wallet, name: spec.name };
      this.#byName.set(spec.name, entry);
    } else if (spec.address !== undefined && spec.address.toLowerCase() !== entry.address) {
      throw new TraderError(`leader ${spec.name} already trades from ${entry.address}`);
    }
    if (spec.usdc !== undefined && spec.usdc > 0) this.#venue.engine.deposit(entry.address, spec.usdc);
    return view(entry);
  }

  /** A leader by name or address. */
  get(ref: string): Leader | undefined {
    const entry = this.#find(ref);
    return entry === undefined ? undefined : view(entry);
  }

  list(): Leader[] {
    return [...this.#byName.values()].map(view);
  }

  /** Deposits more pUSD. */
  fund(ref: string, usdc: Usdc): void {
    this.#venue.engine.deposit(this.#require(ref).address, usdc);
  }

  /**
   * Makes the leader send the order for `request` and waits for its trades' transaction hashes.
   * A venue refusal is returned in `result`; a request that cannot become an order throws a
   * TraderError (unknown leader, nothing to sell, no book to price a market order).
   */
  async takeTrade(ref: string, request: TradeRequest): Promise<TakeTradeResult> {
    const wallet = this.#require(ref);
    const engine = this.#venue.engine;
    const positionBefore = engine.position(wallet.address, request.tokenId).balance as number as Shares;
    const order = buildOrder(engine, wallet, request);
    const { result, trades } = await this.#venue.submit(order);
    return {
      leader: view(wallet),
      order,
      result,
      trades,
      txHashes: trades.map((t) => t.txHash),
      positionBefore,
      positionAfter: engine.position(wallet.address, request.tokenId).balance as number as Shares,
    };
  }

  #find(ref: string): (SimWallet & { name: string }) | undefined {
    const byName = this.#byName.get(ref);
    if (byName !== undefined) return byName;
    const address = ref.toLowerCase();
    for (const entry of this.#byName.values()) if (entry.address === address) return entry;
    return undefined;
  }

  #require(ref: string): SimWallet & { name: string } {
    const entry = this.#find(ref);
    if (entry === undefined) throw new TraderError(`unknown leader ${ref}: add it first`, { leader: ref });
    return entry;
  }
}

function view(entry: SimWallet & { name: string }): Leader {
  return { name: entry.name, address: entry.address, owner: entry.owner };
}
