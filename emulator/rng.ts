// Seeded randomness: the same seed and the same request sequence give the same ids, durations and faults.

import { randomInt } from "node:crypto";
import type { Range } from "./settings";

/** A small, fast, seedable PRNG (mulberry32). Returns floats in [0, 1). */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A duration drawn from `range` (a fixed number, or uniform integer in [min, max]). */
  draw(range: Range): number {
    if (typeof range === "number") return range;
    const [min, max] = range;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A 32-character lowercase hex id, like Cloudflare's. */
  hexId(): string {
    let id = "";
    for (let i = 0; i < 4; i++) id += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, "0");
    return id;
  }

  /** True with probability `rate`. Draws even when rate is 0 so that fault settings do not shift later draws. */
  chance(rate: number): boolean {
    return this.next() < rate;
  }
}

/** A random 31-bit seed, for when the caller gives none. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}

/**
 * Independent streams per purpose, so that turning faults on does not change which ids or
 * durations a run produces.
 */
export class RandomStreams {
  readonly ids: SeededRandom;
  readonly durations: SeededRandom;
  readonly faults: SeededRandom;

  constructor(readonly seed: number) {
    this.ids = new SeededRandom(seed ^ 0x1d5);
    this.durations = new SeededRandom(seed ^ 0x2e6a7);
    this.faults = new SeededRandom(seed ^ 0x3f7b8c9);
  }
}
