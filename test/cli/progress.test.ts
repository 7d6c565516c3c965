import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatProgressBar,
  formatProgressDone,
  formatProgressFailed,
  formatProgressLine,
  formatRate,
  type ProgressSnapshot,
  progressFigures,
  startProgress,
} from '../../src/cli/progress.ts';

const snap = (over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  label: 'catalog sync',
  done: 420,
  total: 1000,
  elapsedMs: 12_000,
  unit: 'markets',
  ...over,
});

describe('progress figures and text', () => {
  it.each([
    [0, 0],
    [999, 999],
    [12_000, 12_000],
    [45_400, 45_000],
    [192_000, 192_000],
    [3_840_000, 3_840_000],
  ])('formatDuration(%i) reads back as %i ms', (ms, back) => {
    const text = formatDuration(ms);
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:([\d.]+)s)?$/.exec(text);
    expect(m, text).not.toBeNull();
    const total = (Number(m![1] ?? 0) * 3600 + Number(m![2] ?? 0) * 60 + Number(m![3] ?? 0)) * 1000;
    expect(Math.abs(total - back)).toBeLessThanOrEqual(ms < 10_000 ? 50 : 1000);
  });

  it.each([
    [0.4, '0.40/s'],
    [35.24, '35.2/s'],
    [1234.4, '1234/s'],
  ])('formatRate(%d) = %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it('computes percent (floored, 100 only when done), rate and ETA', () => {
    expect(progressFigures(snap())).toEqual({ percent: 42, perSecond: 35, etaMs: 16_571 });
    expect(progressFigures(snap({ done: 999 })).percent).toBe(99);
    expect(progressFigures(snap({ done: 1000 })).percent).toBe(100);
    expect(progressFigures(snap({ done: 1200 })).percent).toBe(100);
    expect(progressFigures(snap({ done: 0 }))).toEqual({ percent: 0, perSecond: null, etaMs: null });
    expect(progressFigures(snap({ total: null }))).toEqual({ percent: null, perSecond: 35, etaMs: null });
  });

  it('draws a bar line that fits the terminal', () => {
    expect(formatProgressBar(snap(), 100)).toBe(
      'catalog sync [############..................]   42%  420/1000 markets  35.0/s  ETA 17s',
    );
    const narrow = formatProgressBar(snap(), 70);
    expect(narrow.length).toBeLessThanOrEqual(69);
    expect(narrow).toMatch(/^catalog sync \[#+\.+\] {3}42%/);
    // Too narrow for a bar: the figures alone, cut to fit.
    expect(formatProgressBar(snap(), 40)).toBe('catalog sync   42%  420/1000 markets  …');
    expect(formatProgressBar(snap({ total: null }), 100)).toBe(
      'catalog sync  420 markets  35.0/s  12s elapsed',
    );
  });

  it('writes plain lines, a closing line and a failure line', () => {
    expect(formatProgressLine(snap())).toBe('catalog sync: 42% (420/1000 markets, 35.0/s, ETA 17s)');
    expect(formatProgressLine(snap({ total: null, done: 0 }))).toBe(
      'catalog sync: 0 markets (-/s, 12s elapsed)',
    );
    expect(formatProgressDone(snap({ done: 1000, elapsedMs: 28_400 }))).toBe(
      'catalog sync: done, 1000 markets in 28s (35.2/s)',
    );
    expect(formatProgressFailed(snap(), 'Gamma answered 503')).toBe(
      'catalog sync: stopped at 420/1000 markets after 12s: Gamma answered 503',
    );
  });
});

/** A stream that keeps what was written; the clock is moved by hand. */
function harness(isTTY: boolean) {
  const writes: string[] = [];
  let t = 1_000_000;
  return {
    writes,
    stream: { write: (s: string) => writes.push(s), isTTY, columns: 100 },
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

describe('startProgress', () => {
  it('on a terminal redraws one line in place, at most every redrawMs, and ends it with the done line', () => {
    const h = harness(true);
    const p = startProgress({ label: 'sync', total: 10, unit: 'markets', stream: h.stream, now: h.now });
    expect(h.writes).toEqual([
      `\r${formatProgressBar(snap({ label: 'sync', done: 0, total: 10, elapsedMs: 0 }), 100)}\x1b[K`,
    ]);
    p.tick(); // within redrawMs of the first draw: not drawn
    expect(h.writes).toHaveLength(1);
    h.advance(150);
    p.tick();
    expect(h.writes).toHaveLength(2);
    const bar = formatProgressBar(snap({ label: 'sync', done: 2, total: 10, elapsedMs: 150 }), 100);
    expect(bar).toMatch(/^sync \[#+\.+\] {3}20% {2}2\/10 markets {2}13\.3\/s {2}ETA 0\.6s$/);
    expect(h.writes[1]).toBe(`\r${bar}\x1b[K`);
    h.advance(10);
    p.update(10); // the last item is always drawn
    expect(h.writes).toHaveLength(3);
    expect(h.writes[2]).toMatch(/100%/);
    p.finish();
    p.finish();
    p.tick();
    expect(h.writes).toHaveLength(4);
    expect(h.writes[3]).toBe('\rsync: done, 10 markets in 0.2s (62.5/s)\x1b[K\n');
    expect(h.writes.every((w) => !w.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('elsewhere writes a plain line every N percent or every few seconds, never a bar', () => {
    const h = harness(false);
    const p = startProgress({
      label: 'backfill',
      total: 100,
      unit: 'trades',
      stream: h.stream,
      now: h.now,
      everyPercent: 25,
      everyMs: 5000,
    });
    expect(h.writes).toEqual([]);
    for (let i = 0; i < 24; i++) p.tick();
    expect(h.writes).toEqual([]);
    h.advance(1000);
    p.tick(); // 25%
    expect(h.writes).toEqual(['backfill: 25% (25/100 trades, 25.0/s, ETA 3.0s)\n']);
    p.tick(); // 26%: not a new step, not 5 s later
    h.advance(5000);
    p.tick(); // 27%: 5 s since the last line
    expect(h.writes).toHaveLength(2);
    expect(h.writes[1]).toMatch(/^backfill: 27% \(27\/100 trades/);
    p.update(100); // 100% is left to the closing line
    expect(h.writes).toHaveLength(2);
    p.finish();
    expect(h.writes[2]).toBe('backfill: done, 100 trades in 6.0s (16.7/s)\n');
    const text = h.writes.join('');
    expect(text).not.toMatch(/[\r#]/);
    expect(text.includes('\x1b')).toBe(false);
  });

  it('without a total reports by time only, and says where it stopped on failure', () => {
    const h = harness(false);
    const p = startProgress({ label: 'replay', stream: h.stream, now: h.now, everyMs: 2000 });
    p.tick(50);
    expect(h.writes).toEqual([]);
    h.advance(2000);
    p.tick(50);
    expect(h.writes).toEqual(['replay: 100 items (50.0/s, 2.0s elapsed)\n']);
    p.setTotal(400);
    h.advance(2000);
    p.tick(100);
    expect(h.writes[1]).toBe('replay: 50% (200/400 items, 50.0/s, ETA 4.0s)\n');
    p.fail('venue unreachable');
    p.finish();
    expect(h.writes.slice(2)).toEqual(['replay: stopped at 200/400 items after 4.0s: venue unreachable\n']);
  });

  it('takes the terminal flag from the stream unless told', () => {
    const h = harness(true);
    startProgress({ label: 'x', total: 1, stream: h.stream, now: h.now, isTTY: false }).finish();
    expect(h.writes).toEqual(['x: done, 0 items in 0.0s\n']);
    const t = harness(true);
    startProgress({ label: 'x', total: 1, stream: t.stream, now: t.now }).finish();
    expect(t.writes[0]!.startsWith('\r')).toBe(true);
  });
});
