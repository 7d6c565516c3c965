/**
 * Orders built and signed by the official client's `OrderBuilder`, with no network: our
 * micro-unit order in, the client's signed V2 order out, plus its hash computed here before
 * anything is sent (the id the venue will report, and what reconciliation looks an unknown submit
 * up by).
 *
 * Money crosses to the client's decimal numbers only here. Limit orders are checked to come back
 * with exactly the amounts micro arithmetic gives (size x price is exact at every tick: price
 * decimals + 2 size decimals never exceed 6), so a float slip in the client can never sign an
 * order for more than was meant.
 *
 * Market orders (FOK, FAK) use the client's market-order amounts: a BUY gives a pUSD amount with at
 * most 2 decimals and takes shares at the limit price, which is what the venue's precision rule for
 * marketable orders demands (api-reference.md §4.4); a limit-style BUY at 0.56 x 21.04 = 11.7824
 * would be refused.
 */
import {
  type Chain,
  type OrderType as ClientOrderType,
  Side as ClientSide,
  type TickSize as ClientTickSize,
  OrderBuilder,
  orderToJsonV2,
  type SignatureTypeV2,
} from '@polymarket/clob-client-v2';
import { type Address, createWalletClient, custom, type Hex } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { polygon, polygonAmoy } from 'viem/chains';
import { formatMicro } from '../../core/decimal.ts';
import { describeError } from '../../core/errors.ts';
import { type Micro, notional, type Price, SHARE_LOT, type Shares, type Usdc } from '../../core/money.ts';
import { roundToMultiple } from '../../core/rounding.ts';
import { isOnTick, priceBounds } from '../../core/tick.ts';
import {
  type OrderType,
  orderHash,
  type Side,
  type SignatureType,
  type SignedOrderV2,
  signedOrderV2Schema,
} from '../../polymarket/clob/order-v2.ts';
import { amountToMicro } from '../../polymarket/clob/order-v2-amounts.ts';
import type { MarketParams } from './market-params.ts';
import type { Rejected } from './submit-outcome.ts';

/** The client's signed V2 order (not exported by name from its package root). */
export type ClientSignedOrder = Parameters<typeof orderToJsonV2>[0];

/** An order to place, in micro-units. */
export interface LiveOrder {
  /** The outcome token (decimal uint256). */
  tokenId: string;
  side: Side;
  /** Limit price, on the market's tick. */
  price: Price;
  /** Shares, in 0.01 steps. A FOK/FAK BUY spends `spend` instead. */
  size: Shares;
  /** FOK/FAK BUY only: pUSD to spend, whole cents. Default: size x price rounded down to the cent. */
  spend?: Usdc;
}

export interface OrderTerms {
  orderType: OrderType;
  /** GTD only: unix seconds, at least a minute ahead (the venue's "security threshold"). */
  expiration?: number;
  /** GTC/GTD only: refuse rather than cross. */
  postOnly?: boolean;
}

export interface SignedLiveOrder {
  /** The EIP-712 order hash: the venue's order id. */
  orderHash: Hex;
  /** The order as it goes on the wire, parsed by our schema. */
  order: SignedOrderV2;
  /** The client's object, for `orderToJsonV2`. */
  clientOrder: ClientSignedOrder;
  orderType: OrderType;
  postOnly: boolean;
  negRisk: boolean;
  makerAmount: Micro;
  takerAmount: Micro;
}

export type SignResult = { ok: true; signed: SignedLiveOrder } | { ok: false; rejected: Rejected };

/** The tick sizes the client has rounding rules for (`ROUNDING_CONFIG`). */
const CLIENT_TICKS = new Set<string>(['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001']);
/** The venue wants a GTD expiration at least this far ahead. */
export const GTD_MIN_LEAD_SECONDS = 60;
const CENT = 10_000;

export interface OrderSignerOptions {
  chainId: 137 | 80002;
  privateKey: Hex;
  signatureType: SignatureType;
  /** The wallet holding the funds (maker); omitted for type 0, where the EOA is the maker. */
  funder?: Address;
}

function localRefusal(message: string): SignResult {
  return { ok: false, rejected: { kind: 'rejected', code: 'LOCAL_CHECK', message, source: 'local' } };
}

/** A viem wallet client with a local account: signs offline, refuses any RPC. */
export function offlineWalletClient(account: PrivateKeyAccount, chainId: 137 | 80002) {
  return createWalletClient({
    account,
    chain: chainId === 137 ? polygon : polygonAmoy,
    transport: custom({
      request: async ({ method }) => {
        throw new Error(`the live broker signs offline and makes no RPC call (asked for ${method})`);
      },
    }),
  });
}

export class OrderSigner {
  readonly account: PrivateKeyAccount;
  readonly walletClient: ReturnType<typeof offlineWalletClient>;
  readonly #options: OrderSignerOptions;
  readonly #builder: OrderBuilder;

  constructor(options: OrderSignerOptions) {
    this.#options = options;
    this.account = privateKeyToAccount(options.privateKey);
    this.walletClient = offlineWalletClient(this.account, options.chainId);
    this.#builder = new OrderBuilder(
      this.walletClient,
      options.chainId as Chain,
      options.signatureType as SignatureTypeV2,
      options.funder,
    );
  }

  /**
   * Checks, builds and signs `order`. `nowSeconds` is for the GTD lead check. A refusal here means
   * nothing was signed or sent.
   */
  async sign(
    order: LiveOrder,
    terms: OrderTerms,
    params: MarketParams,
    nowSeconds: number,
  ): Promise<SignResult> {
    const problem = checkOrder(order, terms, params, nowSeconds);
    if (problem !== undefined) return localRefusal(problem);
    const tickSize = formatMicro(params.tickSize) as ClientTickSize;
    const options = { tickSize, negRisk: params.negRisk };
    const price = Number(formatMicro(order.price));
    const market = terms.orderType === 'FOK' || terms.orderType === 'FAK';
    const spend = market && order.side === 'BUY' ? spendOf(order) : undefined;
    let clientOrder: ClientSignedOrder;
    try {
      const side = order.side === 'BUY' ? ClientSide.BUY : ClientSide.SELL;
      clientOrder = (
        market
          ? await this.#builder.buildMarketOrder(
              {
                tokenID: order.tokenId,
                price,
                amount: Number(formatMicro(spend ?? order.size)),
                side,
                orderType: terms.orderType as ClientOrderType.FOK,
              },
              options,
              2,
            )
          : await this.#builder.buildOrder(
              {
                tokenID: order.tokenId,
                price,
                size: Number(formatMicro(order.size)),
                side,
                ...(terms.orderType === 'GTD' ? { expiration: terms.expiration ?? 0 } : {}),
              },
              options,
              2,
            )
      ) as ClientSignedOrder;
    } catch (err) {
      return localRefusal(`the client could not build the order: ${describeError(err)}`);
    }
    const wire = signedOrderV2Schema.safeParse(
      orderToJsonV2(clientOrder, 'unused', terms.orderType as ClientOrderType).order,
    );
    if (!wire.success) return localRefusal(`the client built an order we cannot read: ${wire.error.message}`);
    const signed = wire.data;
    const makerAmount = amountToMicro(signed.makerAmount);
    const takerAmount = amountToMicro(signed.takerAmount);
    const expected = expectedAmounts(order, market, spend);
    if (
      (expected.maker !== undefined && makerAmount !== expected.maker) ||
      (expected.taker !== undefined && takerAmount !== expected.taker)
    ) {
      return localRefusal(
        `the client built amounts ${makerAmount}/${takerAmount}, expected ` +
          `${expected.maker ?? '?'}/${expected.taker ?? '?'}: not signing that`,
      );
    }
    return {
      ok: true,
      signed: {
        orderHash: orderHash(signed, { chainId: this.#options.chainId, negRisk: params.negRisk }),
        order: signed,
        clientOrder,
        orderType: terms.orderType,
        postOnly: terms.postOnly === true,
        negRisk: params.negRisk,
        makerAmount,
        takerAmount,
      },
    };
  }
}

/** What a FOK/FAK BUY spends: the given amount, or size x price rounded down to the cent. */
function spendOf(order: LiveOrder): Usdc {
  return order.spend ?? (roundToMultiple(notional(order.size, order.price, 'floor'), CENT, 'floor') as Usdc);
}

/** The amounts micro arithmetic gives; undefined where the client's own rounding decides (market BUY shares). */
function expectedAmounts(
  order: LiveOrder,
  market: boolean,
  spend: Usdc | undefined,
): { maker?: number; taker?: number } {
  const cash = notional(order.size, order.price, 'floor');
  if (order.side === 'SELL') return { maker: order.size, taker: cash };
  if (market) return { maker: spend as number };
  return { maker: cash, taker: order.size };
}

/** Why an order cannot be signed as given, or undefined. */
export function checkOrder(
  order: LiveOrder,
  terms: OrderTerms,
  params: MarketParams,
  nowSeconds: number,
): string | undefined {
  if (order.tokenId !== params.tokenId)
    return `market params are for ${params.tokenId}, not ${order.tokenId}`;
  if (order.side !== 'BUY' && order.side !== 'SELL') return `unknown side ${String(order.side)}`;
  const tickText = formatMicro(params.tickSize);
  if (!CLIENT_TICKS.has(tickText))
    return `tick size ${tickText} is not one the official client can round for`;
  const [min, max] = priceBounds(params.tickSize);
  if (!Number.isSafeInteger(order.price) || order.price < min || order.price > max) {
    return `price ${order.price} micro is outside [${min}, ${max}] for tick ${tickText}`;
  }
  if (!isOnTick(order.price, params.tickSize))
    return `price ${formatMicro(order.price)} is not on the ${tickText} tick`;
  if (!Number.isSafeInteger(order.size) || order.size <= 0 || order.size % SHARE_LOT !== 0) {
    return `size ${order.size} micro-shares is not a positive multiple of 0.01 share`;
  }
  const market = terms.orderType === 'FOK' || terms.orderType === 'FAK';
  if (market && terms.postOnly === true) return `post-only is for GTC and GTD orders, not ${terms.orderType}`;
  if (order.spend !== undefined) {
    if (!(market && order.side === 'BUY')) return 'spend is only for FOK/FAK BUY orders';
    if (!Number.isSafeInteger(order.spend) || order.spend <= 0 || order.spend % CENT !== 0) {
      return `spend ${order.spend} micro is not a positive number of whole cents`;
    }
  } else if (market && order.side === 'BUY' && spendOf(order) <= 0) {
    return 'the order spends less than a cent';
  }
  if (terms.orderType === 'GTD') {
    const exp = terms.expiration;
    if (exp === undefined || !Number.isSafeInteger(exp))
      return 'a GTD order needs an expiration (unix seconds)';
    if (exp < nowSeconds + GTD_MIN_LEAD_SECONDS) {
      return `a GTD expiration must be at least ${GTD_MIN_LEAD_SECONDS} s ahead: ${exp} < ${nowSeconds} + ${GTD_MIN_LEAD_SECONDS}`;
    }
  } else if (terms.expiration !== undefined && terms.expiration !== 0) {
    return `only GTD orders expire; a ${terms.orderType} order cannot carry expiration ${terms.expiration}`;
  }
  return undefined;
}
