import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compactHeap, watchHeap } from '../../src/memory/compact-heap.js';

/** Committed but unused bytes of the old generation. */
function oldSpaceSlack(): number {
  const old = getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
  return old === undefined ? 0 : old.space_size - old.space_used_size;
}

/** A plain full collection (what V8 does on its own), to compare with. */
function plainCollection(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  gc();
}

describe('compactHeap', () => {
  it('collects the garbage left behind, without node being started with --expose-gc', () => {
    const made = (() => {
      const garbage = Array.from({ length: 400_000 }, (_, i) => ({ i, text: `row ${i}` }));
      return { count: garbage.length, held: process.memoryUsage().heapUsed };
    })();
    const held = made.held;
    expect(made.count).toBe(400_000);
    expect(compactHeap()).toBe(true);
    // 400,000 small objects and strings are tens of MB: most of them must be gone.
    expect(process.memoryUsage().heapUsed).toBeLessThan(held - 10 * 2 ** 20);
  });

  it('hands back the half-empty pages a plain collection keeps', () => {
    // Two of every three objects die once they are old: their pages stay committed, a third full.
    const rows = Array.from({ length: 600_000 }, (_, i) => ({ i, text: `row ${i}` }));
    plainCollection();
    plainCollection();
    const kept = rows.filter((_, i) => i % 3 === 0);
    rows.length = 0;
    plainCollection();
    const afterPlain = oldSpaceSlack();
    expect(compactHeap(2)).toBe(true);
    expect(kept).toHaveLength(200_000);
    // Plain collections leave about half of it; a compaction leaves a few percent.
    expect(oldSpaceSlack()).toBeLessThan(afterPlain * 0.25);
  });

  it('leaves gc unexposed to the program', () => {
    compactHeap();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});

describe('watchHeap', () => {
  it('compacts while a phase piles up garbage past its threshold, and stops when told', async () => {
    const watch = watchHeap({ growth: 1.1, floorBytes: 1, everyMs: 5 });
    for (let round = 0; round < 20; round += 1) {
      // Garbage the watch's next look finds on the heap.
      const garbage = Array.from({ length: 100_000 }, (_, i) => ({ i, text: `round ${round} row ${i}` }));
      expect(garbage).toHaveLength(100_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const collections = watch.stop();
    expect(collections).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(watch.stop()).toBe(collections);
  });

  it('leaves a heap below its floor alone', async () => {
    const watch = watchHeap({ floorBytes: 64 * 2 ** 30, everyMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(watch.stop()).toBe(0);
  });
});
