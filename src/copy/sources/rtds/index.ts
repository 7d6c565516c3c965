/** The RTDS leader source: leader fills from the `activity` stream, as sightings for ingest. */
export * from './map.ts';
export * from './parts.ts';
export * from './source.ts';
