/**
 * The public face of market-data: live order books (snapshot + deltas + consistency checks +
 * resync) and the pure book math (walking a book for a taker order, depth within a limit) that
 * the paper broker and the risk gate price with.
 */
export {
  BookFeed,
  type BookFeedEvents,
  type BookFeedHealth,
  type BookFeedOptions,
  type BookHashMeta,
  type BookResync,
  type BookSide,
  type BookTickSize,
  type BookTrade,
  type BookUpdate,
  type BookView,
  bookHash,
  depthWithin,
  type Fill,
  type HashCheckMode,
  type Level,
  OrderBook,
  type ResyncReason,
  type TakerSide,
  type TokenHealth,
  type WalkResult,
  type WalkTarget,
  walkBook,
  walkOrderBook,
  wireBookHash,
} from './book/index.ts';
export * from './catalog.ts';
