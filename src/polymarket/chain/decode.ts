/**
 * Decoders for the exchanges' `OrderFilled` and `OrdersMatched` logs, V2 and V1, into plain
 * objects (api-reference.md §7.2 decoding recipe). Every row is written from the point of view of
 * its `maker`, the owner of the order `orderHash`; `side`, `tokenId` and the amounts are that
 * order's. Amounts are 6-decimal base units for both collateral (pUSD, USDC) and shares.
 */
import { type Address, decodeEventLog, getAddress, type Hex } from 'viem';
import { describeError, ValidationError } from '../../core/errors.ts';
import { EXCHANGE_TOPICS, exchangeV1EventsAbi, exchangeV2EventsAbi } from './abi.ts';
import { type ExchangeKind, type ExchangeVersion, knownExchange } from './addresses.ts';
import { type LogPosition, positionOf, type RawLog, rawLogSchema } from './log-schema.ts';

export type OrderSide = 'BUY' | 'SELL';

/** MAKER: the order rested and was matched. TAKER: the order took liquidity (taker = exchange). */
export type FillRole = 'MAKER' | 'TAKER';

interface ExchangeOrigin {
  version: ExchangeVersion;
  /** The contract that emitted the log (checksummed). */
  exchange: Address;
  /** Which Polymarket exchange that is; null for an address that is not one of them. */
  exchangeKind: ExchangeKind | null;
}

export interface OrderFilledEvent extends ExchangeOrigin, LogPosition {
  orderHash: Hex;
  /** Owner of the order (funder / proxy / Safe / deposit wallet): topic 2. */
  maker: Address;
  /** The counterparty's order owner, or the exchange itself on the taker order's row. */
  taker: Address;
  role: FillRole;
  side: OrderSide;
  tokenId: bigint;
  /** What the maker gave: collateral for a BUY, shares for a SELL. */
  makerAmountFilled: bigint;
  /** What the maker received: shares for a BUY, collateral for a SELL. */
  takerAmountFilled: bigint;
  /** Shares traded, whichever side. */
  shares: bigint;
  /** Collateral (pUSD on V2, USDC on V1) traded, whichever side. */
  collateral: bigint;
  /** V2: pUSD, taker rows only. V1: in the received asset (shares on a BUY). */
  fee: bigint;
  /** V2 builder code and metadata words; null on V1. */
  builder: Hex | null;
  metadata: Hex | null;
}

export interface OrdersMatchedEvent extends ExchangeOrigin, LogPosition {
  takerOrderHash: Hex;
  takerOrderMaker: Address;
  side: OrderSide;
  tokenId: bigint;
  makerAmountFilled: bigint;
  takerAmountFilled: bigint;
}

export type ExchangeEventName = 'OrderFilled' | 'OrdersMatched';

/** Which exchange trade event a log's topic0 names, and in which generation; undefined otherwise. */
export function exchangeEventOf(
  topic0: string | undefined,
): { name: ExchangeEventName; version: ExchangeVersion } | undefined {
  const t = topic0?.toLowerCase();
  for (const version of [2, 1] as const) {
    if (t === EXCHANGE_TOPICS[version].OrderFilled) return { name: 'OrderFilled', version };
    if (t === EXCHANGE_TOPICS[version].OrdersMatched) return { name: 'OrdersMatched', version };
  }
  return undefined;
}

/** Decodes an `OrderFilled` log (V2 or V1). Throws ValidationError for anything else. */
export function decodeOrderFilled(log: unknown): OrderFilledEvent {
  const raw = parseLog(log);
  const version = versionOf(raw, 'OrderFilled');
  const origin = originOf(raw, version);
  const base = { ...origin, ...positionOf(raw) };
  if (version === 2) {
    const { args } = guarded('OrderFilled', () =>
      decodeEventLog({
        abi: exchangeV2EventsAbi,
        eventName: 'OrderFilled',
        topics: topicsOf(raw),
        data: raw.data,
        strict: true,
      }),
    );
    const side = sideOfV2(args.side);
    return {
      ...base,
      orderHash: args.orderHash,
      maker: args.maker,
      taker: args.taker,
      role: roleOf(args.taker, origin.exchange),
      side,
      tokenId: args.tokenId,
      makerAmountFilled: args.makerAmountFilled,
      takerAmountFilled: args.takerAmountFilled,
      ...split(side, args.makerAmountFilled, args.takerAmountFilled),
      fee: args.fee,
      builder: args.builder,
      metadata: args.metadata,
    };
  }
  const { args } = guarded('OrderFilled', () =>
    decodeEventLog({
      abi: exchangeV1EventsAbi,
      eventName: 'OrderFilled',
      topics: topicsOf(raw),
      data: raw.data,
      strict: true,
    }),
  );
  const { side, tokenId } = sideOfV1(args.makerAssetId, args.takerAssetId);
  return {
    ...base,
    orderHash: args.orderHash,
    maker: args.maker,
    taker: args.taker,
    role: roleOf(args.taker, origin.exchange),
    side,
    tokenId,
    makerAmountFilled: args.makerAmountFilled,
    takerAmountFilled: args.takerAmountFilled,
    ...split(side, args.makerAmountFilled, args.takerAmountFilled),
    fee: args.fee,
    builder: null,
    metadata: null,
  };
}

/** Decodes an `OrdersMatched` log (V2 or V1): the taker order's totals for one match. */
export function decodeOrdersMatched(log: unknown): OrdersMatchedEvent {
  const raw = parseLog(log);
  const version = versionOf(raw, 'OrdersMatched');
  const base = { ...originOf(raw, version), ...positionOf(raw) };
  if (version === 2) {
    const { args } = guarded('OrdersMatched', () =>
      decodeEventLog({
        abi: exchangeV2EventsAbi,
        eventName: 'OrdersMatched',
        topics: topicsOf(raw),
        data: raw.data,
        strict: true,
      }),
    );
    return {
      ...base,
      takerOrderHash: args.takerOrderHash,
      takerOrderMaker: args.takerOrderMaker,
      side: sideOfV2(args.side),
      tokenId: args.tokenId,
      makerAmountFilled: args.makerAmountFilled,
      takerAmountFilled: args.takerAmountFilled,
    };
  }
  const { args } = guarded('OrdersMatched', () =>
    decodeEventLog({
      abi: exchangeV1EventsAbi,
      eventName: 'OrdersMatched',
      topics: topicsOf(raw),
      data: raw.data,
      strict: true,
    }),
  );
  return {
    ...base,
    takerOrderHash: args.takerOrderHash,
    takerOrderMaker: args.takerOrderMaker,
    ...sideOfV1(args.makerAssetId, args.takerAssetId),
    makerAmountFilled: args.makerAmountFilled,
    takerAmountFilled: args.takerAmountFilled,
  };
}

function parseLog(log: unknown): RawLog {
  const parsed = rawLogSchema.safeParse(log);
  if (!parsed.success) {
    throw new ValidationError(`not an event log: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      context: { issues: parsed.error.issues.slice(0, 3) },
    });
  }
  return parsed.data;
}

function versionOf(raw: RawLog, expected: ExchangeEventName): ExchangeVersion {
  const event = exchangeEventOf(raw.topics[0]);
  if (event?.name !== expected) {
    throw new ValidationError(`not an exchange ${expected} log (topic0 ${raw.topics[0] ?? 'missing'})`);
  }
  return event.version;
}

function originOf(raw: RawLog, version: ExchangeVersion): ExchangeOrigin {
  const known = knownExchange(raw.address);
  // A V2 topic from a V1 address (or the reverse) is not a Polymarket log.
  const exchangeKind = known && known.version === version ? known.kind : null;
  return { version, exchange: raw.address, exchangeKind };
}

/** Runs a viem decode, turning its errors into ValidationError. */
function guarded<T>(eventName: ExchangeEventName, run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw new ValidationError(`cannot decode ${eventName}: ${describeError(err)}`, { cause: err });
  }
}

function topicsOf(raw: RawLog): [Hex, ...Hex[]] {
  return raw.topics as [Hex, ...Hex[]];
}

function roleOf(taker: Address, exchange: Address): FillRole {
  return getAddress(taker) === exchange ? 'TAKER' : 'MAKER';
}

function sideOfV2(side: number): OrderSide {
  if (side === 0) return 'BUY';
  if (side === 1) return 'SELL';
  throw new ValidationError(`side must be 0 (BUY) or 1 (SELL), got ${side}`);
}

/** V1 has no side field: the order that gives collateral (asset id 0) is a BUY. */
function sideOfV1(makerAssetId: bigint, takerAssetId: bigint): { side: OrderSide; tokenId: bigint } {
  if (makerAssetId === 0n && takerAssetId !== 0n) return { side: 'BUY', tokenId: takerAssetId };
  if (takerAssetId === 0n && makerAssetId !== 0n) return { side: 'SELL', tokenId: makerAssetId };
  throw new ValidationError(
    `exactly one of makerAssetId and takerAssetId must be 0 (collateral), got ${makerAssetId} and ${takerAssetId}`,
  );
}

function split(side: OrderSide, makerAmount: bigint, takerAmount: bigint) {
  return side === 'BUY'
    ? { collateral: makerAmount, shares: takerAmount }
    : { shares: makerAmount, collateral: takerAmount };
}
