/**
 * A small generator of numbers in [0, 1) from a fixed seed (mulberry32), so seeded rows are
 * the same on every run: a finding reproduces.
 */
export function fixedRandom(seedText: string): () => number {
  let state = 0x9e3779b9;
  for (const char of seedText) state = Math.imul(state ^ char.charCodeAt(0), 0x85ebca6b) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
