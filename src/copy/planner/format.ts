/** Exact text for the numbers in plan reasons; display only, never parsed back. */
import { formatMicro } from '../../core/decimal.ts';

/** 5_200_000 -> "$5.20". */
export function usd(micro: number): string {
  return `$${formatMicro(micro, { minDecimals: 2 })}`;
}

/** A price or share count: 523_000 -> "0.523". */
export function dec(micro: number): string {
  return formatMicro(micro);
}

/** Basis points as a percent: 1_250 -> "12.5%". */
export function pct(bps: number): string {
  return `${formatMicro(bps * 10_000)}%`;
}

/** Basis points as a multiplier: 15_000 -> "1.5x". */
export function times(bps: number): string {
  return `${formatMicro(bps * 100)}x`;
}
