/** The Data API (v1 and v2 routes) on a fastify instance, reading a FeedsHub. */
import type { FastifyInstance } from 'fastify';
import type { Price } from '../../core/money.ts';
import type { Hex } from '../catalog/model.ts';
import { registerDataApiV1Routes } from './data-api-v1.ts';
import { registerDataApiV2Routes } from './data-api-v2.ts';
import type { FeedsHub } from './hub.ts';
import type { Valuation } from './positions.ts';

export interface DataApiOptions {
  /** A token's current price for `curPrice`/`currentValue`; null falls back to its last trade. */
  currentPrice?: (tokenId: string) => Price | null;
  /** Whether a market has resolved (positions redeemable); default: the catalog's `closed`. */
  isResolved?: (conditionId: Hex) => boolean;
}

export function registerDataApiRoutes(
  app: FastifyInstance,
  hub: FeedsHub,
  options: DataApiOptions = {},
): void {
  const valuation: Valuation = {
    currentPrice: options.currentPrice ?? (() => null),
    isResolved:
      options.isResolved ?? ((conditionId) => hub.catalog.byCondition(conditionId)?.closed ?? false),
  };
  registerDataApiV1Routes(app, hub, valuation);
  registerDataApiV2Routes(app, hub, valuation);
}
