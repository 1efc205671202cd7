/** Deterministic PRNG (mulberry32) seeded from a number or a string (no Math.random anywhere). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  /** Pareto (heavy-tailed) with scale xm and shape alpha: xm / U^(1/alpha). */
  pareto(xm: number, alpha: number): number;
}

/** 32-bit FNV-1a hash of a string. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function rngFromSeed(seed: number | string): Rng {
  let a = typeof seed === "number" && Number.isInteger(seed) ? seed >>> 0 : hashString(String(seed));
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => {
      if (list.length === 0) throw new Error("pick from an empty list");
      return list[Math.floor(next() * list.length)] as (typeof list)[number];
    },
    pareto: (xm, alpha) => xm / (1 - next()) ** (1 / alpha),
  };
}
