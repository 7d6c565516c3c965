/** What one connection of each channel has asked for, as plain state. */
import type { MarketSubscribeFrame } from './client-frames.ts';

/** A market-channel connection's assets and custom-feature flag. */
export class MarketSubscription {
  readonly #assets = new Set<string>();
  #subscribed = false;
  customFeatures = false;

  apply(frame: MarketSubscribeFrame): void {
    if (frame.customFeatures !== undefined) this.customFeatures = frame.customFeatures;
    if (frame.operation === 'unsubscribe') {
      for (const id of frame.assetIds) this.#assets.delete(id);
      return;
    }
    this.#subscribed = true;
    for (const id of frame.assetIds) this.#assets.add(id);
  }

  has(assetId: string): boolean {
    return this.#assets.has(assetId);
  }

  hasAny(assetIds: readonly string[]): boolean {
    return assetIds.some((id) => this.#assets.has(id));
  }

  /** Subscribed with no assets at all: the wide subscription that gets every market's custom events. */
  get broad(): boolean {
    return this.#subscribed && this.#assets.size === 0;
  }

  get size(): number {
    return this.#assets.size;
  }
}

/** A user-channel connection's API key and markets (condition ids; `all` when none were named). */
export class UserSubscription {
  apiKey: string | null = null;
  #markets: Set<string> | 'all' = new Set();

  /** The first subscribe after authentication; an empty list means every market. */
  start(apiKey: string, markets: readonly string[]): void {
    this.apiKey = apiKey;
    this.#markets = markets.length === 0 ? 'all' : new Set(markets);
  }

  subscribe(markets: readonly string[]): void {
    if (this.#markets === 'all') return;
    for (const m of markets) this.#markets.add(m);
  }

  unsubscribe(markets: readonly string[]): void {
    if (this.#markets === 'all') return;
    for (const m of markets) this.#markets.delete(m);
  }

  wants(apiKey: string, market: string): boolean {
    return this.apiKey === apiKey && (this.#markets === 'all' || this.#markets.has(market));
  }
}
