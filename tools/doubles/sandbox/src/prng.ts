/**
 * mulberry32: small, deterministic pseudo-random numbers, so generated stacks, load tests and
 * random draws replay from their seed. Yields 32-bit unsigned ints.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same sequence as fractions in [0, 1). */
export function prngFraction(seed: number): () => number {
  const next = prng(seed);
  return () => next() / 4294967296;
}
