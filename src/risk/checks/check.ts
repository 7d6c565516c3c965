/** The shape every guardrail shares: one code, one pure function of the gate's inputs. */
import type { RiskCode } from '../codes.ts';
import type { Refusal } from '../decision.ts';
import type { RiskIntent, RiskSnapshot } from '../intent.ts';
import type { RiskLimits } from '../limits.ts';

export interface RiskContext {
  readonly intent: RiskIntent;
  readonly snapshot: RiskSnapshot;
  readonly limits: RiskLimits;
}

/** `off`: the limit is unset or does not apply to this intent; `pass`: it ran and passed. */
export type CheckOutcome = 'off' | 'pass' | Refusal;

export interface Check {
  readonly code: RiskCode;
  readonly run: (ctx: RiskContext) => CheckOutcome;
}
