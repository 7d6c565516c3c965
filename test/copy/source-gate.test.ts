import { describe, expect, it } from 'vitest';
import { sourceGate } from '../../src/copy/source-gate.ts';

const up = { enabled: true, healthy: true };
const down = { enabled: true, healthy: false };
const off = { enabled: false, healthy: false };

describe('sourceGate', () => {
  it('is open when every enabled source is healthy', () => {
    expect(sourceGate({ api: up, rtds: up, chain: off }, true)).toEqual({ open: true, degraded: [] });
  });

  it('degrades to the healthy sources when not strict, naming the failed one', () => {
    expect(sourceGate({ api: up, rtds: down, chain: up }, false)).toEqual({ open: true, degraded: ['rtds'] });
  });

  it('closes on any failed source when strict', () => {
    expect(sourceGate({ api: up, rtds: down, chain: off }, true)).toEqual({
      open: false,
      down: ['rtds'],
      reason: 'strict sources: rtds down',
    });
  });

  it('closes when every enabled source is down, strict or not', () => {
    const gate = sourceGate({ api: down, rtds: off, chain: down }, false);
    expect(gate).toMatchObject({ open: false, down: ['api', 'chain'] });
  });

  it('ignores disabled sources entirely', () => {
    expect(sourceGate({ api: off, rtds: up, chain: off }, true)).toEqual({ open: true, degraded: [] });
  });
});
