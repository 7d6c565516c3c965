/** The coverage account alone: gaps tile lost time, data ends a suspicion, reports of their own leave coverage alone. */
import { describe, expect, it } from 'vitest';
import { GapLedger, type SocketGap } from '../../../src/polymarket/ws/index.ts';

function ledger(): { l: GapLedger; gaps: SocketGap[] } {
  const gaps: SocketGap[] = [];
  return { l: new GapLedger((g) => gaps.push(g)), gaps };
}

describe('GapLedger', () => {
  it('reports nothing before the first subscription, and none for it', () => {
    const { l, gaps } = ledger();
    l.silent(50);
    l.data(60);
    expect(gaps).toEqual([]);
    l.subscribed(100);
    expect(gaps).toEqual([]);
    expect(l.coveredUntilMs).toBe(100);
    expect(l.count).toBe(0);
  });

  it('tiles a lost connection, silences and the resumption without holes or overlaps', () => {
    const { l, gaps } = ledger();
    l.subscribed(0);
    l.data(10);
    l.lost();
    expect(l.suspect).toBe(true);
    l.subscribed(40);
    expect(l.suspect).toBe(false);
    l.silent(70);
    l.silent(100);
    l.covered(105); // suspect: a keepalive shows nothing
    l.data(120);
    l.data(130);
    expect(gaps).toEqual([
      { reason: 'reconnect', fromMs: 10, toMs: 40 },
      { reason: 'silence', fromMs: 40, toMs: 70 },
      { reason: 'silence', fromMs: 70, toMs: 100 },
      { reason: 'resumed', fromMs: 100, toMs: 120 },
    ]);
    expect(l).toMatchObject({ coveredUntilMs: 130, suspect: false, count: 4 });
  });

  it('moves coverage on a keepalive only while nothing is suspect; trust forgets without reporting', () => {
    const { l, gaps } = ledger();
    l.subscribed(0);
    l.covered(20);
    expect(l.coveredUntilMs).toBe(20);
    l.silent(50);
    l.trust();
    l.covered(60);
    l.data(70);
    expect(gaps).toEqual([{ reason: 'silence', fromMs: 20, toMs: 50 }]);
    expect(l.coveredUntilMs).toBe(70);
  });

  it('reports a window of its own without moving coverage, and never a negative one', () => {
    const { l, gaps } = ledger();
    l.subscribed(100);
    l.report('bad_message', 100, 90);
    expect(gaps).toEqual([{ reason: 'bad_message', fromMs: 100, toMs: 100 }]);
    expect(l).toMatchObject({ coveredUntilMs: 100, count: 1 });
  });
});
