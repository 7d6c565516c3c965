import { afterEach, beforeEach, expect, it } from 'vitest';
import { type SettingsRepo, settingsRepo } from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';

forEachEngine('settings repository', (engine) => {
  let t: TestStore;
  let settings: SettingsRepo;
  beforeEach(async () => {
    t = await openTestStore(engine);
    settings = settingsRepo(t.store.db);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('sets, then replaces a value with its source and time', async () => {
    expect(await settings.get('copy.max_trade_usdc')).toBeUndefined();

    await settings.set('copy.max_trade_usdc', 25_000_000, 'file', 1_000);
    expect(await settings.get('copy.max_trade_usdc')).toEqual({
      key: 'copy.max_trade_usdc',
      value: 25_000_000,
      source: 'file',
      updatedAt: 1_000,
    });

    await settings.set('copy.max_trade_usdc', 50_000_000, 'dashboard', 2_000);
    expect(await settings.get('copy.max_trade_usdc')).toEqual({
      key: 'copy.max_trade_usdc',
      value: 50_000_000,
      source: 'dashboard',
      updatedAt: 2_000,
    });
    expect(await settings.getAll()).toHaveLength(1);
  });

  it('keeps JSON values of every shape', async () => {
    const values = { a: null, b: true, c: 'paper', d: [1, 'two', { three: 3 }], e: { nested: { deep: [] } } };
    for (const [key, value] of Object.entries(values)) await settings.set(key, value, 'cli', 5);
    const all = await settings.getAll();
    expect(all.map((s) => s.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Object.fromEntries(all.map((s) => [s.key, s.value]))).toEqual(values);
  });

  it('seeds only the missing keys and says which', async () => {
    await settings.set('trading.mode', 'live', 'dashboard', 1_000);

    const inserted = await settings.seedMissing(
      [
        { key: 'trading.mode', value: 'paper', source: 'default' },
        { key: 'copy.sizing', value: { mode: 'fixed', usdc: 10 }, source: 'file' },
        { key: 'risk.max_open_orders', value: 20, source: 'default' },
      ],
      2_000,
    );

    expect(inserted).toEqual(['copy.sizing', 'risk.max_open_orders']);
    expect(await settings.getAll()).toEqual([
      { key: 'copy.sizing', value: { mode: 'fixed', usdc: 10 }, source: 'file', updatedAt: 2_000 },
      { key: 'risk.max_open_orders', value: 20, source: 'default', updatedAt: 2_000 },
      // The value a user set survives seeding.
      { key: 'trading.mode', value: 'live', source: 'dashboard', updatedAt: 1_000 },
    ]);

    expect(
      await settings.seedMissing([{ key: 'copy.sizing', value: null, source: 'default' }], 3_000),
    ).toEqual([]);
    expect(await settings.seedMissing([], 3_000)).toEqual([]);
  });
});
