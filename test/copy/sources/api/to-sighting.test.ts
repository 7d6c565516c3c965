import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toSighting, tradeRowOf } from '../../../../src/copy/sources/api/to-sighting.ts';
import {
  type ActivityRow,
  dataApiV1ActivityListSchema,
  fromV1,
} from '../../../../src/polymarket/data-api/index.ts';

const sample: unknown[] = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/polymarket-samples/data_api_activity_v1_docs.json', import.meta.url),
    'utf8',
  ),
);

describe('a Data API trade row as a sighting', () => {
  const raw = sample[0]!;
  const row: ActivityRow = fromV1(dataApiV1ActivityListSchema.parse(sample)[0]!, raw);
  const leader = '0x6af75d4e4aaf700450efbac3708cce1665810ff1';

  it('maps the documented sample to micro-units, seconds to ms, the row key as part', () => {
    const trade = tradeRowOf(row, leader);
    if ('skip' in trade) throw new Error(trade.skip);
    const s = toSighting(trade, `${trade.base}|0`, 1_723_772_470_000, false);
    expect(s).toEqual({
      kind: 'fill',
      source: 'api',
      leader,
      txHash: '0x40b774108c44bf3182002f3a296c8e5642ba91f304d45243e60ade3',
      tokenId: '1078361466543703811067135455666524322550487241220245657982982772126',
      conditionId: '0x2c95c926e924f243aab41e96a90d22fcaf8cf273a678a07c49abb95fde4b',
      outcome: 'No',
      outcomeIndex: 1,
      side: 'BUY',
      price: 590_000,
      size: 600_000_000,
      usdc: 354_000_000,
      fee: null,
      role: null,
      blockNumber: null,
      logIndex: null,
      part: '0x40b774108c44bf3182002f3a296c8e5642ba91f304d45243e60ade3|1078361466543703811067135455666524322550487241220245657982982772126|BUY|600000000|590000|0',
      tradeTimeMs: 1_723_772_457_000,
      seenAtMs: 1_723_772_470_000,
      isBackfill: false,
      raw,
    });
  });

  it('says why a row cannot be a leader trade', () => {
    const skip = (r: ActivityRow) => {
      const out = tradeRowOf(r, leader);
      return 'skip' in out ? out.skip : 'kept';
    };
    expect(skip(row)).toBe('kept');
    expect(skip({ ...row, proxyWallet: '0x0000000000000000000000000000000000000001' })).toMatch(/not 0x6af7/);
    expect(skip({ ...row, type: 'REDEEM' })).toMatch(/not a trade/);
    expect(skip({ ...row, size: 0 })).toBe('size is 0');
    expect(skip({ ...row, price: 0 })).toMatch(/price/);
    expect(skip({ ...row, asset: null })).toMatch(/missing/);
    expect(skip({ ...row, size: 1e300 })).toMatch(/out of range/);
  });

  it('maps outcome index 999 to unknown', () => {
    const trade = tradeRowOf({ ...row, outcomeIndex: 999, outcome: null }, leader);
    expect(trade).toMatchObject({ outcomeIndex: null, outcome: null });
  });
});
