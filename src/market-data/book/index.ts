/** Order books: the book, walking it, its hash, and the live feed that keeps books in sync. */
export * from './book-hash.ts';
export * from './changes.ts';
export * from './consistency.ts';
export * from './feed.ts';
export * from './feed-types.ts';
export * from './frames.ts';
export * from './hash-tracker.ts';
export * from './order-book.ts';
export * from './rest-book.ts';
export * from './walk.ts';
export * from './wire.ts';
