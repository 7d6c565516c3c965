import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiCursor,
  applyPage,
  baseOfKey,
  type CursorRow,
  decodeResume,
  encodeResume,
  freshOrdinals,
  type Ordinals,
  rowBase,
  rowKey,
  secondOf,
} from '../../../../src/copy/sources/api/cursor.ts';

const TX = `0x${'ab'.repeat(32)}`;
const base = (size: number, side = 'BUY', tx = TX) =>
  rowBase({ txHash: tx, tokenId: '7', side, size, price: 500_000 });
const row = (sec: number, b: string, id = 0): CursorRow<number> => ({ sec, base: b, row: id });

describe('row keys', () => {
  it('are tx hash, token, side, size and price, then the ordinal', () => {
    const b = rowBase({
      txHash: TX.toUpperCase().replace('0X', '0x'),
      tokenId: '7',
      side: 'SELL',
      size: 1_500_000,
      price: 420_000,
    });
    expect(b).toBe(`${TX}|7|SELL|1500000|420000`);
    expect(rowKey(b, 2)).toBe(`${TX}|7|SELL|1500000|420000|2`);
    expect(baseOfKey(rowKey(b, 12))).toBe(b);
  });
});

describe('applyPage', () => {
  it('drops rows before the cursor second and takes the rest, moving to the newest second', () => {
    const cursor: ApiCursor = { ts: 1_000_500, keys: [] };
    const out = applyPage(cursor, freshOrdinals(), [
      row(999, base(1), 1),
      row(1_000, base(2), 2),
      row(1_001, base(3), 3),
      row(1_001, base(4), 4),
    ]);
    expect(out.fresh.map((f) => f.row)).toEqual([2, 3, 4]);
    expect(out.cursor).toEqual({ ts: 1_001_000, keys: [rowKey(base(3), 0), rowKey(base(4), 0)] });
  });

  it('numbers identical rows of one tx, and takes only the ones it has no key for', () => {
    const b = base(1_000_000);
    const first = applyPage({ ts: 5_000, keys: [] }, freshOrdinals(), [row(5, b, 1), row(5, b, 2)]);
    expect(first.fresh.map((f) => f.key)).toEqual([rowKey(b, 0), rowKey(b, 1)]);
    // The next poll reads the second again from its start: nothing new...
    const again = applyPage(first.cursor, freshOrdinals(), [row(5, b, 1), row(5, b, 2)]);
    expect(again.fresh).toEqual([]);
    expect(again.cursor).toEqual(first.cursor);
    // ...until a third identical row is indexed.
    const third = applyPage(first.cursor, freshOrdinals(), [row(5, b, 1), row(5, b, 2), row(5, b, 3)]);
    expect(third.fresh).toEqual([{ key: rowKey(b, 2), row: 3 }]);
  });

  it('carries the ordinals across a page boundary inside one second', () => {
    const b = base(1_000_000);
    const p1 = applyPage({ ts: 5_000, keys: [] }, freshOrdinals(), [row(5, b, 1)]);
    const p2 = applyPage(p1.cursor, p1.ordinals, [row(5, b, 2), row(6, b, 3)]);
    expect(p2.fresh.map((f) => f.key)).toEqual([rowKey(b, 1), rowKey(b, 0)]);
    expect(p2.cursor).toEqual({ ts: 6_000, keys: [rowKey(b, 0)] });
  });

  it('resumes mid-second with the ordinals stored beside the v2 cursor', () => {
    const b = base(1_000_000);
    const p1 = applyPage({ ts: 5_000, keys: [] }, freshOrdinals(), [row(5, b, 1), row(5, b, 2)]);
    const stored = encodeResume({ next: 'opaque', startSec: 5, ordinals: p1.ordinals });
    const resumed = decodeResume(stored);
    expect(resumed).toMatchObject({ next: 'opaque', startSec: 5 });
    const out = applyPage(p1.cursor, resumed!.ordinals, [row(5, b, 3)]);
    expect(out.fresh).toEqual([{ key: rowKey(b, 2), row: 3 }]);
  });

  it('refuses a resume point it cannot read', () => {
    for (const text of [
      '',
      'null',
      '{}',
      '{"next":"x","start":1,"sec":1.5,"counts":[]}',
      '{"next":"x","start":1,"sec":1,"counts":[["a","2"]]}',
      '{"next":"x","sec":1,"counts":[]}',
    ]) {
      expect(decodeResume(text)).toBeUndefined();
    }
    expect(decodeResume('{"next":"x","start":7,"sec":null,"counts":[]}')).toEqual({
      next: 'x',
      startSec: 7,
      ordinals: { sec: null, counts: new Map() },
    });
  });

  it('keeps the cursor when a page brings nothing', () => {
    const cursor: ApiCursor = { ts: 5_123, keys: ['k'] };
    expect(applyPage(cursor, freshOrdinals(), []).cursor).toEqual(cursor);
  });
});

/**
 * A model of the poller against an API that indexes in order: rows become visible as a growing
 * prefix of the timeline; a scan reads pages of any size from the cursor's second (or resumes after
 * the last stored page, as a v2 cursor does), may crash after any page (before or after the cursor
 * is stored), and more rows may appear between pages. At the end every row is read.
 */
interface TimelineRow {
  sec: number;
  base: string;
  id: number;
}

interface Poll {
  limit: number;
  /** Rows that become visible before each page. */
  reveals: number[];
  /** The page after which the scan dies (none: it runs to a short page). */
  crashAfter: number | null;
  /** The crash comes between ingest and storing the cursor. */
  crashBeforeCommit: boolean;
  /** The next scan resumes after the last stored page (v2) rather than from the second (v1). */
  resume: boolean;
}

function timelineArb() {
  // Seconds with rows of up to three transactions interleaved; few distinct (side, size) pairs, so
  // identical rows in one tx are common.
  return fc
    .array(
      fc.record({
        gap: fc.integer({ min: 1, max: 3 }),
        rows: fc.array(
          fc.record({ tx: fc.integer({ min: 0, max: 2 }), kind: fc.integer({ min: 0, max: 2 }) }),
          {
            minLength: 1,
            maxLength: 7,
          },
        ),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((seconds) => {
      const rows: TimelineRow[] = [];
      let sec = 1_000;
      for (const s of seconds) {
        sec += s.gap;
        for (const r of s.rows) {
          const tx = `0x${String(sec).padStart(4, '0')}${r.tx}`;
          const [side, size] = (
            [
              ['BUY', 1],
              ['BUY', 1],
              ['SELL', 2],
            ] as const
          )[r.kind]!;
          rows.push({
            sec,
            base: rowBase({ txHash: tx, tokenId: '1', side, size, price: 1 }),
            id: rows.length,
          });
        }
      }
      return rows;
    });
}

const pollArb = fc.record({
  limit: fc.integer({ min: 1, max: 5 }),
  reveals: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 6 }),
  crashAfter: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  crashBeforeCommit: fc.boolean(),
  resume: fc.boolean(),
});

function simulate(timeline: TimelineRow[], startMs: number, polls: Poll[], allowRedelivery: boolean) {
  let visible = 0;
  let cursor: ApiCursor = { ts: startMs, keys: [] };
  /** A stored v2 resume point: the index after the last stored page and the ordinals there. */
  let anchor: string | null = null;
  const ingested: { key: string; id: number; sec: number }[] = [];
  const redelivered = new Set<string>();

  const scan = (poll: Poll): boolean => {
    const resume = poll.resume && anchor !== null ? decodeResume(anchor) : undefined;
    let ordinals: Ordinals = resume?.ordinals ?? freshOrdinals();
    const startSec = secondOf(cursor.ts);
    let pos = resume ? Number(resume.next) : timeline.findIndex((r) => r.sec >= startSec);
    if (pos < 0) pos = timeline.length;
    for (let page = 0; ; page++) {
      visible = Math.min(timeline.length, visible + (poll.reveals[page] ?? 0));
      const rows = timeline.slice(pos, Math.max(pos, Math.min(pos + poll.limit, visible)));
      pos += rows.length;
      const out = applyPage(
        cursor,
        ordinals,
        rows.map((r) => ({ sec: r.sec, base: r.base, row: r })),
      );
      for (const f of out.fresh) ingested.push({ key: f.key, id: f.row.id, sec: f.row.sec });
      const short = rows.length < poll.limit;
      if (poll.crashAfter === page && poll.crashBeforeCommit && allowRedelivery) {
        for (const f of out.fresh) redelivered.add(f.key);
        return false;
      }
      cursor = out.cursor;
      ordinals = out.ordinals;
      anchor = short ? null : encodeResume({ next: String(pos), startSec, ordinals });
      if (short) return true;
      if (poll.crashAfter === page) return false;
    }
  };

  for (const poll of polls) scan(poll);
  visible = timeline.length;
  const final: Poll = { limit: 3, reveals: [], crashAfter: null, crashBeforeCommit: false, resume: true };
  scan(final);
  return { ingested, redelivered };
}

/** Rows per (second, base), the only identity identical rows have. */
function tally(rows: { sec: number; key?: string; base?: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) {
    const id = `${r.sec}/${r.base ?? baseOfKey(r.key as string)}`;
    m.set(id, (m.get(id) ?? 0) + 1);
  }
  return m;
}

describe('cursor property: pages in any split, crashes, late rows', () => {
  it('takes every row from the start second on exactly once', () => {
    fc.assert(
      fc.property(
        timelineArb(),
        fc.nat(),
        fc.integer({ min: 0, max: 999 }),
        fc.array(pollArb, { maxLength: 12 }),
        (timeline, startPick, ms, polls) => {
          const startSec = timeline[startPick % timeline.length]!.sec - (startPick % 2);
          const { ingested } = simulate(timeline, startSec * 1000 + ms, polls, false);
          const expected = timeline.filter((r) => r.sec >= startSec);
          // No key twice...
          expect(new Set(ingested.map((i) => `${i.sec}/${i.key}`)).size).toBe(ingested.length);
          // ...and exactly the expected rows, identical ones counted.
          expect(tally(ingested)).toEqual(tally(expected));
          // Keys number identical rows 0, 1, 2... in a second, as a fresh read would.
          const ordinalsOk = ingested.every((i) => {
            const n = Number(i.key.slice(i.key.lastIndexOf('|') + 1));
            const same = timeline.filter((r) => r.sec === i.sec && r.base === baseOfKey(i.key));
            return n >= 0 && n < same.length;
          });
          expect(ordinalsOk).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('after a crash between ingest and the cursor, re-delivers that page and skips nothing', () => {
    fc.assert(
      fc.property(timelineArb(), fc.array(pollArb, { maxLength: 12 }), (timeline, polls) => {
        const startSec = timeline[0]!.sec;
        const { ingested, redelivered } = simulate(timeline, startSec * 1000, polls, true);
        const distinct = new Map<string, { sec: number; key: string }>();
        const counts = new Map<string, number>();
        for (const i of ingested) {
          const id = `${i.sec}/${i.key}`;
          distinct.set(id, i);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        expect(tally([...distinct.values()])).toEqual(tally(timeline));
        for (const [id, n] of counts)
          if (n > 1) expect(redelivered.has(id.slice(id.indexOf('/') + 1))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
