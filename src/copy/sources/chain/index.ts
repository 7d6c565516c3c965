/** The chain leader-trade source: Polygon `OrderFilled` logs as leader sightings. */
export { type ChainSource, type ChainSourceOptions, startChainSource } from './chain-source.ts';
export { feeInCollateral, fillPrice, microOf, retractionFromRemoved, sightingFromFill } from './map.ts';
