import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.ts';

describe('core index', () => {
  it('exposes the public API', () => {
    for (const name of [
      'MICRO',
      'usdc',
      'shares',
      'price',
      'parseMicro',
      'formatMicro',
      'microFromNumber',
      'mulDiv',
      'roundToTick',
      'parseTickSize',
      'priceBounds',
      'notional',
      'sharesFor',
      'roundToLot',
      'complement',
      'ManualClock',
      'systemClock',
      'EventBus',
      'randomToken',
      'MoneyError',
      'isRetryable',
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });
});
