/**
 * The store's hot paths on the embedded engine: ingesting a new leader trade, ignoring one another
 * source already delivered (the common case once three sources race), and reading a setting.
 * A file-backed WAL database under the OS temp directory, as in production; removed afterwards.
 * Floors are about 10x below this 2-core machine (measured: ~22k, ~45k and ~95k ops/s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Insertable } from 'kysely';
import { type LeaderTradesTable, migrateToLatest, openStore, settingsRepo } from '../src/store/index.ts';
import { suite } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'polyhunter-bench-store-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
try {
  await migrateToLatest(store);
  const { db } = store;
  const settings = settingsRepo(db);
  await settings.set('copy.max_trade_usdc', 25_000_000, 'default', 0);

  const trade = (canonicalKey: string): Insertable<LeaderTradesTable> => ({
    canonical_key: canonicalKey,
    leader_address: '0x56687bf447db6ffa42ffe2204a05edaa20f55839',
    condition_id: '0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917',
    token_id: '21742633143463906290569050155826241533067272736897614950488156847949938836455',
    side: 'BUY',
    price: 550_000,
    size: 10_000_000,
    usdc_size: 5_500_000,
    trade_at: 1_761_000_000_000,
    first_source: 'rtds',
    first_seen_rtds_at: 1_761_000_000_050,
    created_at: 1_761_000_000_051,
  });
  await db.insertInto('leader_trades').values(trade('duplicate')).execute();
  let n = 0;

  await suite('store (sqlite)', [
    {
      name: 'insert leader_trade (new unique key)',
      fn: () =>
        db
          .insertInto('leader_trades')
          .values(trade(`trade-${++n}`))
          .execute(),
      minOpsPerSec: 2_000,
    },
    {
      name: 'insert-or-ignore duplicate leader_trade',
      fn: () =>
        db
          .insertInto('leader_trades')
          .values(trade('duplicate'))
          .onConflict((oc) => oc.column('canonical_key').doNothing())
          .execute(),
      minOpsPerSec: 4_000,
    },
    {
      name: 'settings.get',
      fn: () => settings.get('copy.max_trade_usdc'),
      minOpsPerSec: 9_000,
    },
  ]);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
