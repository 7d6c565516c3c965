import { describe, expect, it } from 'vitest';
import { EventBus, type PolyHunterEvents } from '../../src/core/events.ts';

type TestEvents = {
  tick: { n: number };
  note: string;
};

function busWithErrors() {
  const errors: { error: unknown; name: string; payload: unknown }[] = [];
  const bus = new EventBus<TestEvents>({
    onHandlerError: (error, name, payload) => errors.push({ error, name, payload }),
  });
  return { bus, errors };
}

describe('EventBus', () => {
  it('delivers payloads to handlers in subscription order', () => {
    const { bus } = busWithErrors();
    const seen: string[] = [];
    bus.on('tick', ({ n }) => seen.push(`a${n}`));
    bus.on('tick', ({ n }) => seen.push(`b${n}`));
    bus.on('note', (text) => seen.push(text));
    bus.emit('tick', { n: 1 });
    bus.emit('note', 'hello');
    expect(seen).toEqual(['a1', 'b1', 'hello']);
  });

  it('a throwing handler does not stop the others or the emitter, and is reported', () => {
    const { bus, errors } = busWithErrors();
    const seen: number[] = [];
    const boom = new Error('boom');
    bus.on('tick', () => {
      throw boom;
    });
    bus.on('tick', ({ n }) => seen.push(n));
    expect(() => bus.emit('tick', { n: 7 })).not.toThrow();
    expect(seen).toEqual([7]);
    expect(errors).toEqual([{ error: boom, name: 'tick', payload: { n: 7 } }]);
  });

  it('an async handler that rejects is reported the same way', async () => {
    const { bus, errors } = busWithErrors();
    const seen: number[] = [];
    const failure = new Error('async boom');
    bus.on('tick', async () => {
      await Promise.resolve();
      throw failure;
    });
    bus.on('tick', ({ n }) => seen.push(n));
    bus.emit('tick', { n: 3 });
    expect(seen).toEqual([3]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([{ error: failure, name: 'tick', payload: { n: 3 } }]);
  });

  it('survives an error hook that throws', () => {
    const bus = new EventBus<TestEvents>({
      onHandlerError: () => {
        throw new Error('hook broke');
      },
    });
    const seen: number[] = [];
    const original = console.error;
    const logged: unknown[][] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      bus.on('tick', () => {
        throw new Error('boom');
      });
      bus.on('tick', ({ n }) => seen.push(n));
      expect(() => bus.emit('tick', { n: 1 })).not.toThrow();
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([1]);
    expect(logged).toHaveLength(1);
  });

  it('unsubscribes with the returned function and with off', () => {
    const { bus } = busWithErrors();
    const seen: string[] = [];
    const a = ({ n }: { n: number }) => seen.push(`a${n}`);
    const b = ({ n }: { n: number }) => seen.push(`b${n}`);
    const unsubscribeA = bus.on('tick', a);
    bus.on('tick', b);
    bus.emit('tick', { n: 1 });
    unsubscribeA();
    bus.emit('tick', { n: 2 });
    bus.off('tick', b);
    bus.emit('tick', { n: 3 });
    expect(seen).toEqual(['a1', 'b1', 'b2']);
    expect(bus.listenerCount()).toBe(0);
  });

  it('once fires a single time, even when the handler emits again', () => {
    const { bus } = busWithErrors();
    const seen: number[] = [];
    bus.once('tick', ({ n }) => {
      seen.push(n);
      bus.emit('tick', { n: n + 1 });
    });
    bus.emit('tick', { n: 1 });
    bus.emit('tick', { n: 5 });
    expect(seen).toEqual([1]);
    expect(bus.listenerCount('tick')).toBe(0);
  });

  it('once can be cancelled before it fires', () => {
    const { bus } = busWithErrors();
    const seen: number[] = [];
    const cancel = bus.once('tick', ({ n }) => seen.push(n));
    cancel();
    bus.emit('tick', { n: 1 });
    expect(seen).toEqual([]);
  });

  it('an emit reaches the handlers subscribed when it started, minus any removed during it', () => {
    const { bus } = busWithErrors();
    const seen: string[] = [];
    let offB = (): void => {};
    bus.on('tick', ({ n }) => {
      seen.push(`a${n}`);
      offB();
      bus.on('tick', ({ n: m }) => seen.push(`late${m}`));
    });
    offB = bus.on('tick', ({ n }) => seen.push(`b${n}`));
    bus.emit('tick', { n: 1 });
    expect(seen).toEqual(['a1']);
    bus.emit('tick', { n: 2 });
    expect(seen).toEqual(['a1', 'a2', 'late2']);
  });

  it('counts listeners per event and in total', () => {
    const { bus } = busWithErrors();
    bus.on('tick', () => {});
    bus.on('tick', () => {});
    bus.on('note', () => {});
    expect(bus.listenerCount('tick')).toBe(2);
    expect(bus.listenerCount('note')).toBe(1);
    expect(bus.listenerCount()).toBe(3);
  });

  describe('waitFor', () => {
    it('resolves with the next payload that matches, then unsubscribes', async () => {
      const { bus } = busWithErrors();
      const waiting = bus.waitFor('tick', ({ n }) => n > 2);
      expect(bus.listenerCount('tick')).toBe(1);
      bus.emit('tick', { n: 1 });
      bus.emit('tick', { n: 3 });
      bus.emit('tick', { n: 4 });
      await expect(waiting).resolves.toEqual({ n: 3 });
      expect(bus.listenerCount('tick')).toBe(0);
    });

    it('resolves with the first payload when there is no predicate', async () => {
      const { bus } = busWithErrors();
      const waiting = bus.waitFor('note');
      bus.emit('note', 'first');
      bus.emit('note', 'second');
      await expect(waiting).resolves.toBe('first');
    });

    it('rejects when the predicate throws, without reporting a handler error', async () => {
      const { bus, errors } = busWithErrors();
      const bad = new Error('bad predicate');
      const waiting = bus.waitFor('tick', () => {
        throw bad;
      });
      bus.emit('tick', { n: 1 });
      await expect(waiting).rejects.toBe(bad);
      expect(errors).toEqual([]);
      expect(bus.listenerCount()).toBe(0);
    });

    it('rejects with the abort reason and unsubscribes', async () => {
      const { bus } = busWithErrors();
      const controller = new AbortController();
      const waiting = bus.waitFor('tick', undefined, controller.signal);
      const reason = new Error('gave up');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(bus.listenerCount()).toBe(0);
      await expect(bus.waitFor('tick', undefined, AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(bus.listenerCount()).toBe(0);
    });
  });

  it('types the application events', async () => {
    const bus = new EventBus<PolyHunterEvents>();
    const started = bus.waitFor('app.started');
    bus.emit('app.started', { mode: 'paper', at: 1 });
    await expect(started).resolves.toEqual({ mode: 'paper', at: 1 });
    // @ts-expect-error mode is 'paper' | 'live'
    bus.emit('app.started', { mode: 'demo', at: 1 });
    // @ts-expect-error unknown event
    bus.emit('app.unknown', {});
  });

  it('accepts an interface as the event map', () => {
    interface Map {
      ping: number;
    }
    const bus = new EventBus<Map>();
    const seen: number[] = [];
    bus.on('ping', (n) => seen.push(n));
    bus.emit('ping', 1);
    expect(seen).toEqual([1]);
  });
});
