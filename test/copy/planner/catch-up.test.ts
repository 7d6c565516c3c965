import { describe, expect, it } from 'vitest';
import {
  type CatchUpSettings,
  catchUpSettingsFrom,
  checkCatchUpBuy,
  classifyTrade,
} from '../../../src/copy/planner/index.ts';
import { px } from './helpers.ts';

const settings: CatchUpSettings = {
  maxLiveLagSec: 30,
  catchUpBuyMaxAgeSec: 120,
  catchUpBuyRequireBetterPrice: true,
  catchUpBuyMaxWorseBps: 50,
};
const NOW = 1_800_000_000_000;

describe('classifyTrade', () => {
  it.each([
    [0, false],
    [30_000, false],
    [30_001, true],
    [86_400_000, true],
    [-5_000, false], // the leader's clock ahead of ours: still live
  ])('a trade %i ms old is catch-up: %s', (ageMs, catchUp) => {
    expect(classifyTrade({ isBackfill: false, tradeAt: NOW - ageMs }, settings, NOW)).toEqual({
      kind: 'timing',
      catchUp,
      ageMs,
    });
  });

  it('a backfilled trade never orders, however fresh', () => {
    const r = classifyTrade({ isBackfill: true, tradeAt: NOW }, settings, NOW);
    expect(r).toMatchObject({ kind: 'skip', reason: 'BACKFILL' });
  });
});

describe('checkCatchUpBuy', () => {
  const check = (ageMs: number, ask: string | null, s: Partial<CatchUpSettings> = {}) =>
    checkCatchUpBuy(
      { ageMs, referencePrice: px('0.5'), bestAsk: ask === null ? null : px(ask) },
      { ...settings, ...s },
    );

  it('too old: at or past catchUpBuyMaxAgeSec', () => {
    expect(check(119_999, '0.5')).toMatchObject({ kind: 'catch-up-buy' });
    const r = check(120_000, '0.5');
    expect(r).toMatchObject({ kind: 'skip', reason: 'CATCH_UP_TOO_OLD' });
    if (r.kind === 'skip')
      expect(r.detail).toBe('the trade is 120s old, past the catch-up buy limit of 120s');
  });

  it('a max age of 0 never copies a catch-up buy', () => {
    expect(check(31_000, '0.5', { catchUpBuyMaxAgeSec: 0 })).toMatchObject({ reason: 'CATCH_UP_TOO_OLD' });
  });

  it('the ask may be worse than the leader by at most catchUpBuyMaxWorseBps', () => {
    // 0.5 + 50 bps = 0.5025.
    expect(check(60_000, '0.5025')).toEqual({ kind: 'catch-up-buy', maxPrice: px('0.5025') });
    expect(check(60_000, '0.4')).toEqual({ kind: 'catch-up-buy', maxPrice: px('0.5025') });
    const r = check(60_000, '0.5026');
    expect(r).toMatchObject({ kind: 'skip', reason: 'CATCH_UP_PRICE_WORSE' });
    if (r.kind === 'skip') {
      expect(r.detail).toBe(
        "the ask 0.5026 is 0.52% above the leader's 0.5, more than the 0.5% a catch-up buy allows",
      );
    }
  });

  it('with a price rule, no ask means no check is possible', () => {
    expect(check(60_000, null)).toMatchObject({ kind: 'skip', reason: 'NO_QUOTE' });
  });

  it('without the price rule, only the age counts', () => {
    const off = { catchUpBuyRequireBetterPrice: false };
    expect(check(60_000, '0.9', off)).toEqual({ kind: 'catch-up-buy', maxPrice: null });
    expect(check(60_000, null, off)).toEqual({ kind: 'catch-up-buy', maxPrice: null });
  });
});

it('catchUpSettingsFrom maps the config trading section', () => {
  expect(
    catchUpSettingsFrom({
      max_live_lag_sec: 30,
      catch_up_buy_max_age_sec: 120,
      catch_up_buy_require_better_price: true,
      catch_up_buy_max_worse_bps: 50,
    }),
  ).toEqual(settings);
});
