/** Why a synthetic trader could not build or run what it was asked to. */
import { PolyHunterError, ValidationError } from '../../core/errors.ts';

/** A trade request that cannot become an order (no position to sell, unknown wallet, bad size). */
export class TraderError extends PolyHunterError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('SIM_TRADER_REFUSED', message, false, { context });
  }
}

/** A scenario file that does not parse or validate; `issues` has one line per problem. */
export class ScenarioError extends ValidationError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid scenario:\n  ${issues.join('\n  ')}`, { context: { issues } });
    this.issues = issues;
  }
}
