/**
 * Preflight: what the venue says the account holds and may spend, checked before an order is
 * built, so a buy without the pUSD or the approval for it, or a sell of shares not (yet) held, is
 * refused here with the reason and the fix instead of by the venue with a terse error.
 *
 * Reads go through `GET /balance-allowance` (COLLATERAL for pUSD, CONDITIONAL per token) and are
 * cached for at most `ttlMs` (2 s by default) with in-flight requests shared, so a burst of copy
 * orders costs one request per asset, not one each. `invalidate()` after an order or a fill makes
 * the next check read afresh.
 *
 * The balance is the funder's whole holding (the venue does not subtract open orders), so a check
 * that passes is necessary, not sufficient: resting orders may hold part of it.
 */
import { type Address, getAddress } from 'viem';
import type { Clock } from '../../core/clock.ts';
import { formatMicro } from '../../core/decimal.ts';
import { describeError, VenueError } from '../../core/errors.ts';
import type { Shares, Usdc } from '../../core/money.ts';
import { type ClobContracts, clobContracts } from '../../polymarket/clob/addresses.ts';
import type { SignatureType } from '../../polymarket/clob/order-v2.ts';
import { type BalanceAllowanceReply, balanceAllowanceSchema } from '../../polymarket/clob/schemas/account.ts';
import {
  type CheckOutcome,
  failed,
  failure,
  type PreflightFailure,
  pass,
  type TradeCheck,
} from './outcome.ts';
import { TtlCache } from './ttl-cache.ts';

export const DEFAULT_PREFLIGHT_TTL_MS = 2_000;

export type AssetType = 'COLLATERAL' | 'CONDITIONAL';

/** The one venue read the preflight needs: the raw `GET /balance-allowance` reply. */
export interface BalanceAllowanceReader {
  balanceAllowance(assetType: AssetType, tokenId?: string): Promise<unknown>;
}

/** Allowances to the contracts that move the account's assets, in raw 6-decimal units. */
export interface Allowances {
  /** CTF Exchange V2: standard markets. */
  exchange: bigint;
  /** NegRisk CTF Exchange V2: neg-risk markets. */
  negRiskExchange: bigint;
  /** NegRiskAdapter: neg-risk conversions and mints. */
  negRiskAdapter: bigint;
}

export interface CollateralState {
  balance: Usdc;
  allowances: Allowances;
}

export interface ConditionalState {
  tokenId: string;
  balance: Shares;
  /** Null when the venue reported no approvals for outcome tokens (then they are not judged). */
  allowances: Allowances | null;
}

export interface PreflightOptions {
  reader: BalanceAllowanceReader;
  /** Names the exchange contracts (137 or 80002). */
  chainId: number;
  /** The wallet the venue reports on (the funder), for messages. */
  wallet: Address;
  signatureType: SignatureType;
  clock: Clock;
  ttlMs?: number;
}

export interface SellOptions {
  /** Which exchange the sell goes through; when given, its approval is checked too. */
  negRisk?: boolean;
}

export interface Preflight {
  collateral(): Promise<CollateralState>;
  conditional(tokenId: string): Promise<ConditionalState>;
  /** Whether a buy costing `cost` (fees included) can be paid and pulled by its exchange. */
  checkBuy(cost: Usdc, negRisk: boolean): Promise<TradeCheck>;
  /** Whether `shares` of `tokenId` are held (the pre-sell check). */
  checkSell(tokenId: string, shares: Shares, options?: SellOptions): Promise<TradeCheck>;
  /** The doctor's balance line: at least `minimum` pUSD. */
  checkBalance(minimum: Usdc): Promise<CheckOutcome>;
  /** The doctor's allowance line: pUSD approved to all three contracts. */
  checkAllowances(): Promise<CheckOutcome>;
  /** Forgets cached reads: all, or one token's. */
  invalidate(tokenId?: string): void;
}

const WALLET_KIND: Record<SignatureType, string> = {
  0: 'EOA',
  1: 'proxy wallet',
  2: 'Safe',
  3: 'deposit wallet',
};

const SPENDERS = [
  ['exchange', 'exchangeV2', 'the CTF Exchange V2'],
  ['negRiskExchange', 'negRiskExchangeV2', 'the NegRisk CTF Exchange V2'],
  ['negRiskAdapter', 'negRiskAdapter', 'the NegRiskAdapter'],
] as const satisfies readonly (readonly [keyof Allowances, keyof ClobContracts, string])[];

const pusd = (amount: number) => `${formatMicro(amount)} pUSD`;

export function createPreflight(options: PreflightOptions): Preflight {
  const contracts = clobContracts(options.chainId);
  const cache = new TtlCache<BalanceAllowanceReply>({
    ttlMs: options.ttlMs ?? DEFAULT_PREFLIGHT_TTL_MS,
    clock: options.clock,
  });
  const wallet = `${WALLET_KIND[options.signatureType]} ${options.wallet}`;

  const read = (assetType: AssetType, tokenId?: string) =>
    cache.get(tokenId ?? 'collateral', async () => {
      const raw = await options.reader.balanceAllowance(assetType, tokenId);
      const parsed = balanceAllowanceSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined ? 'reply' : issue.path.join('.') || 'reply';
        throw new VenueError(`balance-allowance: unreadable reply (${where}: ${issue?.message})`, 200);
      }
      return parsed.data;
    });

  /** Per contract; a spender the venue leaves out has no allowance. */
  const allowancesOf = (reply: BalanceAllowanceReply): Allowances => {
    const of = (key: keyof ClobContracts) =>
      reply.allowances.get(getAddress(contracts[key])) ??
      // The single-field shape says nothing about which spender: apply it to each.
      (reply.allowances.size === 0 ? reply.singleAllowance : undefined) ??
      0n;
    return {
      exchange: of('exchangeV2'),
      negRiskExchange: of('negRiskExchangeV2'),
      negRiskAdapter: of('negRiskAdapter'),
    };
  };

  const collateral = async (): Promise<CollateralState> => {
    const reply = await read('COLLATERAL');
    return { balance: reply.balance as Usdc, allowances: allowancesOf(reply) };
  };

  const conditional = async (tokenId: string): Promise<ConditionalState> => {
    const reply = await read('CONDITIONAL', tokenId);
    const reported = reply.allowances.size > 0 || reply.singleAllowance !== undefined;
    return { tokenId, balance: reply.balance as Shares, allowances: reported ? allowancesOf(reply) : null };
  };

  /** A failed read as a refusal: the order is not sent on a guess. */
  const unavailable = (err: unknown): PreflightFailure => {
    if (err instanceof VenueError && err.status === 401) {
      return failure(
        'API_KEY_REJECTED',
        `the venue refused the API key of ${wallet}: ${describeError(err)}`,
        'Run `polyhunter doctor` to see whether the key was revoked or belongs to another wallet.',
      );
    }
    return failure(
      'BALANCE_UNAVAILABLE',
      `balance and allowances of ${wallet} could not be read: ${describeError(err)}`,
      'Check the network and venue.clob_url (`polyhunter doctor` tests both); nothing was sent.',
    );
  };

  const missingPusdAllowance = (which: (typeof SPENDERS)[number], have: bigint, need?: number) =>
    failure(
      'MISSING_ALLOWANCE',
      `${wallet} has approved ${have === 0n ? 'no pUSD' : `only ${pusd(Number(have))}`} for ` +
        `${which[2]} ${contracts[which[1]]}${need === undefined ? '' : `, and this buy needs ${pusd(need)}`}`,
      `Approve pUSD (${contracts.collateral}) for ${contracts[which[1]]} from ${options.wallet}: enabling ` +
        'trading once on polymarket.com does it for a proxy or Safe; an EOA sends the approve transaction itself.',
    );

  return {
    collateral,
    conditional,

    async checkBuy(cost, negRisk) {
      let state: CollateralState;
      try {
        state = await collateral();
      } catch (err) {
        return unavailable(err);
      }
      if (state.balance < cost) {
        return failure(
          'INSUFFICIENT_BALANCE',
          `this buy costs ${pusd(cost)} but ${wallet} holds ${pusd(state.balance)}`,
          `Deposit at least ${pusd(cost - state.balance)} into ${options.wallet} or make the order smaller.`,
        );
      }
      // The exchange the order is signed for pulls the pUSD when it matches.
      const which = negRisk ? SPENDERS[1] : SPENDERS[0];
      const have = state.allowances[which[0]];
      if (have < BigInt(cost)) return missingPusdAllowance(which, have, cost);
      return { ok: true };
    },

    async checkSell(tokenId, shares, sellOptions = {}) {
      let state: ConditionalState;
      try {
        state = await conditional(tokenId);
      } catch (err) {
        return unavailable(err);
      }
      if (state.balance < shares) {
        return failure(
          'INSUFFICIENT_SHARES',
          `this sell is for ${formatMicro(shares)} shares of token ${tokenId} but ${wallet} holds ${formatMicro(state.balance)}`,
          `Sell at most ${formatMicro(state.balance)} shares; if a buy of this token just filled, retry once it has settled.`,
        );
      }
      if (sellOptions.negRisk !== undefined && state.allowances !== null) {
        const which = sellOptions.negRisk ? SPENDERS[1] : SPENDERS[0];
        // Outcome tokens are ERC-1155: approval is all or nothing (setApprovalForAll).
        if (state.allowances[which[0]] === 0n) {
          return failure(
            'MISSING_ALLOWANCE',
            `${wallet} has not approved its outcome tokens for ${which[2]} ${contracts[which[1]]}`,
            `Approve them with setApprovalForAll on the CTF (${contracts.conditionalTokens}) for ${contracts[which[1]]} from ${options.wallet}; polymarket.com does it when trading is enabled.`,
          );
        }
      }
      return { ok: true };
    },

    async checkBalance(minimum) {
      let state: CollateralState;
      try {
        state = await collateral();
      } catch (err) {
        return failed(unavailable(err));
      }
      if (state.balance === 0 || state.balance < minimum) {
        const need = minimum > 0 ? `; an order needs at least ${pusd(minimum)}` : '';
        return failed(
          failure(
            'INSUFFICIENT_BALANCE',
            `${wallet} holds ${pusd(state.balance)}${need}`,
            `Deposit pUSD into ${options.wallet}, the wallet orders trade from.`,
          ),
        );
      }
      return pass(`${pusd(state.balance)} in ${wallet}`);
    },

    async checkAllowances() {
      let state: CollateralState;
      try {
        state = await collateral();
      } catch (err) {
        return failed(unavailable(err));
      }
      for (const which of SPENDERS) {
        const have = state.allowances[which[0]];
        if (have === 0n) return failed(missingPusdAllowance(which, have));
      }
      // Beyond 9 billion pUSD an approval is as good as unlimited (most are uint256 max).
      const show = (v: bigint) => (v > BigInt(Number.MAX_SAFE_INTEGER) ? 'unlimited' : pusd(Number(v)));
      return pass(
        `pUSD approved: exchange ${show(state.allowances.exchange)}, neg-risk exchange ${show(state.allowances.negRiskExchange)}, neg-risk adapter ${show(state.allowances.negRiskAdapter)}`,
      );
    },

    invalidate(tokenId) {
      cache.invalidate(tokenId);
    },
  };
}
