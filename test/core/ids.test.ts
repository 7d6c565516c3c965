import { describe, expect, it } from 'vitest';
import { randomToken } from '../../src/core/ids.ts';

describe('randomToken', () => {
  it('is lowercase hex of twice the byte count', () => {
    expect(randomToken()).toMatch(/^[0-9a-f]{64}$/);
    expect(randomToken(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomToken(1)).toMatch(/^[0-9a-f]{2}$/);
  });

  it('differs from call to call', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken(16)));
    expect(tokens.size).toBe(100);
  });

  it('rejects lengths that are not a positive integer up to 1024', () => {
    for (const bad of [0, -1, 1.5, 1025, Number.NaN]) expect(() => randomToken(bad)).toThrow(RangeError);
  });
});
