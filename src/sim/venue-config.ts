/**
 * The `[venue]` block of polyhunter.toml that points PolyHunter at a running simulator: what
 * `polyhunter sim` prints, what `polyhunter demo` writes, and what the end-to-end tests use.
 */
import type { Simulator } from './simulator.ts';

export type VenueKey =
  | 'gamma_url'
  | 'clob_url'
  | 'clob_ws_url'
  | 'data_api_url'
  | 'rtds_url'
  | 'polygon_ws_url'
  | 'chain_id';

/** The block as TOML lines; `overrides` replaces single keys (e.g. a dead URL in a fault test). */
export function venueConfig(
  sim: Simulator,
  overrides: Partial<Record<VenueKey, string | number>> = {},
): string {
  const u = sim.urls;
  const values: Record<VenueKey, string | number> = {
    gamma_url: u.gamma,
    clob_url: u.clob,
    clob_ws_url: u.clobWs,
    data_api_url: u.dataApi,
    rtds_url: u.rtds,
    polygon_ws_url: u.chainWs ?? '',
    chain_id: 137,
    ...overrides,
  };
  return [
    '[venue]',
    ...Object.entries(values).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : JSON.stringify(v)}`),
  ].join('\n');
}
