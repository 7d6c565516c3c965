import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { HeartbeatLoop } from '../../../src/execution/live/heartbeat.ts';

function loop(resting: { n: number }, fail = () => false) {
  const clock = new ManualClock(0);
  const sent: { at: number; id: string }[] = [];
  let session = 0;
  const hb = new HeartbeatLoop({
    clock,
    beat: async (id) => {
      sent.push({ at: clock.now(), id });
      if (fail()) throw new Error('venue down');
      return id === '' ? `s${++session}` : id;
    },
    hasResting: () => resting.n > 0,
  });
  return { clock, sent, hb };
}

describe('HeartbeatLoop', () => {
  it('beats at once and every 5 s while orders rest, then idles and starts a fresh session', async () => {
    const resting = { n: 0 };
    const { clock, sent, hb } = loop(resting);
    hb.start();
    await clock.advance(20_000);
    expect(sent).toEqual([]);
    expect(hb.stats.running).toBe(false);

    resting.n = 1;
    hb.wake();
    await clock.advance(15_000);
    expect(sent).toEqual([
      { at: 20_000, id: '' },
      { at: 25_000, id: 's1' },
      { at: 30_000, id: 's1' },
      { at: 35_000, id: 's1' },
    ]);

    resting.n = 0;
    await clock.advance(20_000);
    expect(sent).toHaveLength(4);
    expect(hb.stats).toMatchObject({ enabled: true, running: false, beats: 4 });

    resting.n = 2;
    hb.wake();
    await clock.advance(0);
    expect(sent.at(-1)).toEqual({ at: 55_000, id: '' });
  });

  it('keeps beating after a failed beat, and stop() ends it', async () => {
    const resting = { n: 1 };
    let failNext = true;
    const { clock, sent, hb } = loop(resting, () => {
      const f = failNext;
      failNext = false;
      return f;
    });
    hb.start();
    await clock.advance(10_000);
    expect(sent.map((s) => s.at)).toEqual([0, 5_000, 10_000]);
    expect(hb.stats).toMatchObject({ beats: 2, failures: 1 });
    hb.stop();
    await clock.advance(30_000);
    expect(sent).toHaveLength(3);
    expect(hb.stats).toMatchObject({ enabled: false, running: false });
  });

  it('wake() does nothing until start() and does not double-schedule', async () => {
    const resting = { n: 1 };
    const { clock, sent, hb } = loop(resting);
    hb.wake();
    await clock.advance(10_000);
    expect(sent).toEqual([]);
    hb.start();
    hb.wake();
    hb.wake();
    await clock.advance(0);
    expect(sent).toHaveLength(1);
    expect(clock.pending).toBe(1);
    hb.stop();
  });
});
