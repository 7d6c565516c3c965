/**
 * Whether copying may go on, given the health of the trigger sources. With several sources on, a
 * failed one degrades to the others (reported, not blocking); `strict` makes any failed trigger
 * source stop copying instead, for users who would rather miss a trade than copy it late.
 */
import type { TradeSource } from './sighting.ts';

export interface SourceState {
  enabled: boolean;
  healthy: boolean;
}

export type SourceGate =
  | { open: true; degraded: TradeSource[] }
  | { open: false; down: TradeSource[]; reason: string };

export function sourceGate(sources: Record<TradeSource, SourceState>, strict: boolean): SourceGate {
  const enabled = (Object.keys(sources) as TradeSource[]).filter((s) => sources[s].enabled);
  const down = enabled.filter((s) => !sources[s].healthy);
  if (enabled.length === 0) return { open: false, down, reason: 'no trigger source is enabled' };
  if (down.length === enabled.length) {
    return { open: false, down, reason: `every trigger source is down (${down.join(', ')})` };
  }
  if (strict && down.length > 0) {
    return { open: false, down, reason: `strict sources: ${down.join(', ')} down` };
  }
  return { open: true, degraded: down };
}
