// Seeded randomness for the demo ward. Every stream is keyed by (seed, …keys), so a
// facility-day or a resident gets the same numbers whatever order they are generated in:
// the demo can be produced lazily, in chunks, and still be identical for a given seed.

/** 32-bit hash of a seed and keys (FNV-1a over the text, then a murmur3 finaliser). */
export function hash32(seed: number, ...keys: Array<string | number>): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const text = keys.join("\u0001");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by the seed and keys. */
export const unitOf = (seed: number, ...keys: Array<string | number>) => hash32(seed, ...keys) / 4294967296;

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  /** Log-normal with the given median and spread (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number;
  /** One of the choices, with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  pick<T>(items: ReadonlyArray<T>): T;
}

/** sfc32, seeded from hash32(seed, …keys). Fast, good enough for synthetic data. */
export function rngFor(seed: number, ...keys: Array<string | number>): Rng {
  let a = hash32(seed, ...keys, "a");
  let b = hash32(seed, ...keys, "b");
  let c = hash32(seed, ...keys, "c");
  let d = 1;
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const normal = () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    weighted(choices) {
      let total = 0;
      for (const [, w] of choices) total += w;
      let r = next() * total;
      for (const [value, w] of choices) {
        if ((r -= w) < 0) return value;
      }
      return choices[choices.length - 1][0];
    },
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}
