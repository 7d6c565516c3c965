/** The gate's answer: allowed, or every reason it is not, each with the numbers behind it. */
import type { RiskCode } from './codes.ts';

/** Exact values (micro-units, ms, bps) and the limit that caused a refusal; null when unknown. */
export type RefusalNumbers = Record<string, number | string | null>;

export interface Refusal {
  readonly code: RiskCode;
  /** One human sentence with the numbers in it. */
  readonly message: string;
  readonly numbers: RefusalNumbers;
}

export type RiskDecision =
  /** `checks`: how many guardrails were switched on and applied to this intent. */
  | { readonly allowed: true; readonly checks: number }
  | { readonly allowed: false; readonly refusals: readonly Refusal[] };

export function refusal(code: RiskCode, message: string, numbers: RefusalNumbers): Refusal {
  return { code, message, numbers };
}
