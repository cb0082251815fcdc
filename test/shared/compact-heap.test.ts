import { describe, expect, it } from 'vitest';
import { compactHeap, watchHeap } from '../../src/shared/compact-heap.js';

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
