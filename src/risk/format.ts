/** Amounts in refusal messages, exact: micro-units shown in full, never rounded away. */
import { formatMicro } from '../core/decimal.ts';

/** 12_500_000 -> "$12.50"; -3_000_000 -> "-$3.00". */
export function dollars(amount: number): string {
  const text = `$${formatMicro(Math.abs(amount), { minDecimals: 2 })}`;
  return amount < 0 ? `-${text}` : text;
}

/** 520_000 -> "0.52". */
export function priceText(p: number): string {
  return formatMicro(p, { minDecimals: 2 });
}

/** 6_200 ms -> "6.2 s": ms * 1000 is micro-seconds, so formatMicro prints seconds exactly. */
export function seconds(ms: number): string {
  return `${formatMicro(ms * 1000)} s`;
}

export function bpsText(bps: number | null): string {
  return bps === null ? 'unbounded' : `${bps} bps`;
}
