import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { price, usdc } from '../../src/core/money.ts';
import {
  assertRiskLimits,
  DEFAULT_MAX_QUOTE_AGE_MS,
  DEFAULT_RISK_LIMITS,
  quoteAgeLimit,
  type RiskLimits,
  riskLimitIssues,
} from '../../src/risk/index.ts';

describe('risk limits', () => {
  it('defaults to a 5 s quote age and nothing else', () => {
    expect(DEFAULT_RISK_LIMITS).toEqual({ maxQuoteAgeMs: 5_000 });
    expect(quoteAgeLimit({})).toBe(DEFAULT_MAX_QUOTE_AGE_MS);
    expect(quoteAgeLimit({ maxQuoteAgeMs: 200 })).toBe(200);
    expect(quoteAgeLimit({ maxQuoteAgeMs: null })).toBeNull();
  });

  it('accepts a full, sensible set', () => {
    const limits: RiskLimits = {
      sides: ['BUY', 'SELL'],
      minLeaderTradeUsdc: usdc(5_000_000),
      maxLeaderTradeUsdc: usdc(10_000_000_000),
      minPrice: price(50_000),
      maxPrice: price(950_000),
      minBookDepthUsdc: usdc(100_000_000),
      maxSpreadBps: 500,
      minTimeToResolutionSec: 3600,
      marketAllow: ['0xabc', 'some-slug'],
      marketDeny: ['0xdef'],
      maxPerTradeUsdc: usdc(50_000_000),
      maxPerMarketUsdc: usdc(500_000_000),
      maxPerLeaderUsdc: usdc(1_000_000_000),
      maxTotalUsdc: usdc(5_000_000_000),
      dailyLossLimitUsdc: usdc(100_000_000),
      breakerFailures: 5,
      breakerCooldownMs: 60_000,
      maxQuoteAgeMs: 2_000,
      maxDeviationBps: 300,
      maxSlippageBps: 200,
    };
    expect(riskLimitIssues(limits)).toEqual([]);
    expect(assertRiskLimits(limits)).toBe(limits);
  });

  it('reports every problem at once', () => {
    const bad = {
      maxSpreadBps: 2.5,
      maxPerTradeUsdc: -1,
      minPrice: 600_000,
      maxPrice: 500_000,
      dailyLossLimitUsdc: 0,
      breakerFailures: 0,
      breakerCooldownMs: 0,
      sides: ['BUY', 'HOLD'],
      marketDeny: [''],
    } as unknown as RiskLimits;
    expect(riskLimitIssues(bad)).toEqual([
      'maxPerTradeUsdc must be an integer >= 0, got -1',
      'maxSpreadBps must be an integer >= 0, got 2.5',
      'dailyLossLimitUsdc must be an integer >= 1, got 0',
      'breakerFailures must be an integer >= 1, got 0',
      'breakerCooldownMs must be an integer >= 1, got 0',
      'minPrice (600000) is above maxPrice (500000): nothing could pass',
      'sides may hold only BUY and SELL, got HOLD',
      'marketDeny entries must be non-empty strings',
    ]);
    expect(() => assertRiskLimits(bad)).toThrow(ConfigError);
  });

  it('flags a cooldown without a failure count, and a price outside 0..1', () => {
    expect(riskLimitIssues({ breakerCooldownMs: 1000 })).toEqual([
      'breakerCooldownMs has no effect without breakerFailures',
    ]);
    expect(riskLimitIssues({ maxPrice: 1_000_001 as RiskLimits['maxPrice'] })).toEqual([
      'maxPrice must be an integer in 0..1000000, got 1000001',
    ]);
  });
});
