import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SLIPPAGE_BPS,
  parseFollowSettings,
  parseSizing,
  sizingFromColumns,
  sizingToColumns,
} from '../../../src/copy/planner/index.ts';
import { ValidationError } from '../../../src/core/errors.ts';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('parseSizing', () => {
  it.each([
    [{ mode: 'fixed_usd', amountUsdc: 25_000_000 }],
    [{ mode: 'leader_pct', pctBps: 1_000 }],
    [{ mode: 'leader_pct', pctBps: 20_000 }],
    [{ mode: 'balance_pct', pctBps: 10_000 }],
    [{ mode: 'balance_ratio' }],
    [
      {
        mode: 'balance_ratio',
        tiers: [
          { minLeaderUsdc: 0, multiplierBps: 0 },
          { minLeaderUsdc: 100_000_000, multiplierBps: 15_000 },
        ],
      },
    ],
  ])('accepts %j', (input) => {
    expect(parseSizing(input)).toEqual(input);
  });

  it.each([
    [{ mode: 'nope' }, 'mode must be one of fixed_usd, leader_pct, balance_pct, balance_ratio'],
    [{ mode: 'fixed_usd' }, 'amountUsdc: is required: an integer number of micro-USDC'],
    [{ mode: 'fixed_usd', amountUsdc: 2.5 }, 'amountUsdc: must be an integer number of micro-USDC'],
    [{ mode: 'fixed_usd', amountUsdc: 0 }, 'above 0'],
    [{ mode: 'leader_pct', pctBps: 0 }, 'pctBps: must be at least 1 basis points'],
    [{ mode: 'leader_pct', pct: 10 }, 'Unrecognized key: "pct"'],
    [{ mode: 'balance_pct', pctBps: 10_001 }, 'pctBps: must be at most 10000 basis points'],
    [{ mode: 'balance_ratio', tiers: [] }, 'tiers: give at least one tier'],
    [
      {
        mode: 'balance_ratio',
        tiers: [
          { minLeaderUsdc: 5, multiplierBps: 1 },
          { minLeaderUsdc: 5, multiplierBps: 2 },
        ],
      },
      'tiers must be listed by rising minLeaderUsdc',
    ],
    [{ mode: 'balance_ratio', tiers: [{ minLeaderUsdc: -1, multiplierBps: 1 }] }, 'tiers.0.minLeaderUsdc'],
    ['fixed_usd', 'mode must be one of'],
  ])('rejects %j with a clear message', (input, expected) => {
    expect(message(() => parseSizing(input))).toContain(expected);
  });
});

describe('parseFollowSettings', () => {
  it('fills the defaults', () => {
    expect(parseFollowSettings({ sizing: { mode: 'balance_ratio' } })).toEqual({
      direction: 'copy',
      sizing: { mode: 'balance_ratio' },
      minTradeUsdc: null,
      maxTradeUsdc: null,
      fullCloseOnLeaderExit: true,
      slippageBps: DEFAULT_SLIPPAGE_BPS,
    });
  });

  it('lists every problem', () => {
    const text = message(() =>
      parseFollowSettings({
        direction: 'up',
        sizing: { mode: 'balance_ratio' },
        slippageBps: -1,
        fullCloseOnLeaderExit: 'yes',
      }),
    );
    expect(text).toContain('direction: direction must be "copy" or "counter"');
    expect(text).toContain('fullCloseOnLeaderExit: must be true or false');
    expect(text).toContain('slippageBps: must be at least 0 basis points');
  });

  it('refuses a minimum above the maximum', () => {
    const input = { sizing: { mode: 'balance_ratio' }, minTradeUsdc: 5_000_000, maxTradeUsdc: 4_000_000 };
    expect(message(() => parseFollowSettings(input))).toContain(
      'minTradeUsdc: must not be above maxTradeUsdc',
    );
  });
});

describe('sizing columns', () => {
  it('round-trips through the mode column and the JSON params', () => {
    const sizing = parseSizing({ mode: 'leader_pct', pctBps: 500 });
    const cols = sizingToColumns(sizing);
    expect(cols).toEqual({ mode: 'leader_pct', params: { pctBps: 500 } });
    expect(sizingFromColumns(cols.mode, JSON.parse(JSON.stringify(cols.params)))).toEqual(sizing);
  });

  it('refuses params that are not an object', () => {
    expect(message(() => sizingFromColumns('fixed_usd', [1]))).toContain('must be a JSON object');
    expect(message(() => sizingFromColumns('fixed_usd', null))).toContain('must be a JSON object');
  });
});
