import { afterEach, beforeEach, expect, it } from 'vitest';
import { type LeadersRepo, leadersRepo } from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';

const WHALE = '0xAbCdEf0000000000000000000000000000000001';
const whale = WHALE.toLowerCase();
const SHRIMP = '0x0000000000000000000000000000000000000002';

forEachEngine('leaders repository', (engine) => {
  let t: TestStore;
  let leaders: LeadersRepo;
  beforeEach(async () => {
    t = await openTestStore(engine);
    leaders = leadersRepo(t.store.db);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('inserts with defaults, storing the address lower-case', async () => {
    const leader = await leaders.upsert({ address: WHALE }, 1_000);
    expect(leader).toEqual({
      id: expect.any(Number),
      address: whale,
      label: null,
      enabled: true,
      startupMode: 'flat',
      warmStartSeconds: 0,
      cursor: { ts: null, keys: [], v2: null },
      createdAt: 1_000,
      updatedAt: 1_000,
    });
    expect(await leaders.get(WHALE)).toEqual(leader);
  });

  it('updates only the given fields and keeps created_at and the cursor', async () => {
    const created = await leaders.upsert(
      { address: whale, label: 'whale', startupMode: 'warm', warmStartSeconds: 600 },
      1_000,
    );
    await leaders.updateCursor(whale, { ts: 1_700_000_000_000, keys: ['k1'], v2: null }, 1_500);

    const updated = await leaders.upsert({ address: WHALE, enabled: false }, 2_000);

    expect(updated).toEqual({
      ...created,
      enabled: false,
      cursor: { ts: 1_700_000_000_000, keys: ['k1'], v2: null },
      updatedAt: 2_000,
    });
    expect(await leaders.list()).toHaveLength(1);
  });

  it('lists in insertion order, optionally only the enabled ones', async () => {
    await leaders.upsert({ address: WHALE }, 1);
    await leaders.upsert({ address: SHRIMP, enabled: false }, 2);
    expect((await leaders.list()).map((l) => l.address)).toEqual([whale, SHRIMP]);
    expect((await leaders.list({ enabledOnly: true })).map((l) => l.address)).toEqual([whale]);
  });

  it('updates the Data API cursor', async () => {
    await leaders.upsert({ address: WHALE }, 1_000);
    const cursor = { ts: 1_761_000_000_000, keys: ['0xtx-1:0', '0xtx-2:3'], v2: 'opaque-page-token' };

    expect(await leaders.updateCursor(WHALE, cursor, 3_000)).toBe(true);
    const leader = await leaders.get(whale);
    expect(leader?.cursor).toEqual(cursor);
    expect(leader?.updatedAt).toBe(3_000);

    expect(await leaders.updateCursor(SHRIMP, cursor, 3_000)).toBe(false);
  });

  it('removes a leader', async () => {
    await leaders.upsert({ address: WHALE }, 1);
    expect(await leaders.remove(WHALE)).toBe(true);
    expect(await leaders.get(whale)).toBeUndefined();
    expect(await leaders.remove(WHALE)).toBe(false);
  });
});
