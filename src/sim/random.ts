/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) for everything the
 * simulator invents: ids, prices, trader behaviour. Same seed, same run.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `bytes` random bytes as lower-case hex without 0x. */
  hex(bytes: number): string;
  /** A decimal digit string of `digits` digits with no leading zero (e.g. uint256 token ids). */
  decimalDigits(digits: number): string;
  /** An independent generator derived from this one and a label, so adding draws elsewhere does not shift it. */
  fork(label: string): Random;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  const s = [init(), init(), init(), init()];
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] = (s[2]! ^ s[0]!) >>> 0;
    s[3] = (s[3]! ^ s[1]!) >>> 0;
    s[1] = (s[1]! ^ s[2]!) >>> 0;
    s[0] = (s[0]! ^ s[3]!) >>> 0;
    s[2] = (s[2]! ^ t) >>> 0;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const random: Random = {
    next: () => nextU32() / 2 ** 32,
    int(min, max) {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
        throw new RangeError(`invalid range [${min}, ${max}]`);
      }
      return min + Math.floor(random.next() * (max - min + 1));
    },
    chance: (p) => random.next() < p,
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty array');
      return items[random.int(0, items.length - 1)]!;
    },
    hex(bytes) {
      let out = '';
      for (let i = 0; i < bytes; i++) out += random.int(0, 255).toString(16).padStart(2, '0');
      return out;
    },
    decimalDigits(digits) {
      let out = String(random.int(1, 9));
      for (let i = 1; i < digits; i++) out += String(random.int(0, 9));
      return out;
    },
    fork: (label) => createRandom(hashLabel(seed, label)),
  };
  return random;
}
