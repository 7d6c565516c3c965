import { describe, expect, it } from 'vitest';
import { SignerLocks } from '../../../src/execution/live/signer-lock.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SignerLocks', () => {
  it('runs one holder of a signer at a time, in arrival order, whatever the address case', async () => {
    const locks = new SignerLocks();
    const log: string[] = [];
    const job = (name: string, turns: number) => async () => {
      log.push(`${name}+`);
      for (let i = 0; i < turns; i++) await tick();
      log.push(`${name}-`);
      return name;
    };
    const results = await Promise.all([
      locks.run('0xAbC', job('a', 3)),
      locks.run('0xabc', job('b', 1)),
      locks.run('0xABC', job('c', 2)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(locks.busy('0xabc')).toBe(false);
  });

  it('a failing holder passes its error on and releases the lock', async () => {
    const locks = new SignerLocks();
    const first = locks.run('0x1', async () => {
      throw new Error('boom');
    });
    const second = locks.run('0x1', async () => 'next');
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('next');
  });

  it('different signers do not wait for each other', async () => {
    const locks = new SignerLocks();
    let release: () => void = () => {};
    const held = locks.run('0x1', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(locks.run('0x2', async () => 'free')).resolves.toBe('free');
    expect(locks.busy('0x1')).toBe(true);
    release();
    await held;
  });
});
