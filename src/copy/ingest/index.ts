export { type CanonicalFill, canonicalKey } from './canonical.ts';
export {
  type IngestDeps,
  type IngestedTrade,
  type IngestOutcome,
  ingestedTrade,
  ingestSighting,
  type TokenInfo,
} from './ingest.ts';
export { positionAfter, type TradePart, type TradeTotals, tradeTotals } from './totals.ts';
