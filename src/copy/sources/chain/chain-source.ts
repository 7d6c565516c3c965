/**
 * The chain leader-trade source: the Polygon log subscriber, its events mapped to sightings and
 * handed to ingest through `onSighting`. A fill whose amounts cannot be a trade is counted as a bad
 * message and skipped, like any invalid wire data.
 */
import { describeError } from '../../../core/errors.ts';
import { badMessagesTotal } from '../../../core/metrics.ts';
import {
  type ChainGap,
  type ChainLogEvent,
  type ChainLogHealth,
  ChainLogSubscriber,
  type ChainLogSubscriberOptions,
} from '../../../polymarket/chain/index.ts';
import type { LeaderSighting } from '../../sighting.ts';
import { retractionFromRemoved, sightingFromFill } from './map.ts';

export interface ChainSourceOptions extends Omit<ChainLogSubscriberOptions, 'onLog' | 'onGap'> {
  /** Each sighting and retraction, in chain order; awaited (ingest may write before the next). */
  onSighting(sighting: LeaderSighting): void | Promise<void>;
  /** Blocks this source did not cover after a reconnect: another source must gap-fill them. */
  onGap?(gap: ChainGap): void | Promise<void>;
}

export interface ChainSource {
  readonly name: 'chain';
  /** Resolves once subscribed; rejects if stopped first. */
  whenOpen(): Promise<void>;
  setLeaders(leaders: readonly string[]): Promise<void>;
  health(): ChainLogHealth;
  stop(): Promise<void>;
}

/** Starts the source (connecting in the background; see `whenOpen`). */
export function startChainSource(options: ChainSourceOptions): ChainSource {
  const { onSighting, onGap, ...subscriberOptions } = options;
  const logger = options.logger;
  const onLog = async (event: ChainLogEvent): Promise<void> => {
    if (event.kind === 'removed') {
      await onSighting(retractionFromRemoved(event));
      return;
    }
    let sighting: LeaderSighting;
    try {
      sighting = sightingFromFill(event);
    } catch (err) {
      badMessagesTotal.inc({ source: 'chain' });
      logger?.warn(
        {
          source: 'chain',
          reason: describeError(err),
          tx: event.fill.transactionHash,
          logIndex: event.fill.logIndex,
        },
        'chain: fill with impossible amounts skipped',
      );
      return;
    }
    await onSighting(sighting);
  };
  const subscriber = new ChainLogSubscriber({ ...subscriberOptions, onLog, ...(onGap ? { onGap } : {}) });
  subscriber.start();
  return {
    name: 'chain',
    whenOpen: () => subscriber.whenOpen(),
    setLeaders: (leaders) => subscriber.setLeaders(leaders),
    health: () => subscriber.health(),
    stop: () => subscriber.stop(),
  };
}
