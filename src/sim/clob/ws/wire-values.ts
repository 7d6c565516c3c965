/**
 * How the CLOB websocket renders values: every number a string, prices and sizes in their
 * shortest exact decimal form ("0.57", "20"), times as epoch strings.
 */
import { formatMicro, type Micro } from '../../../core/index.ts';

/** A micro amount as the wire's decimal text: 570_000 -> "0.57". */
export const decimalText = (value: number): string => formatMicro(value);

/** A best bid or ask: the empty string when that side of the book is empty (TSSDK normalises "" to null). */
export const optionalPriceText = (value: number | null): string => (value === null ? '' : formatMicro(value));

/** A taker fee rate (micro-units, 0.04 -> 40_000) in basis points: "400". */
export const feeRateBpsText = (rate: Micro): string => formatMicro(rate * 10_000);

export const msText = (ms: number): string => String(ms);

/** Epoch seconds, as the docs' user-channel trade example prints `matchtime` and `last_update`. */
export const secondsText = (ms: number): string => String(Math.floor(ms / 1000));
