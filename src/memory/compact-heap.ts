// A full run reads both listings, then plans over them. Reading leaves its garbage (page texts, raw JSON, the
// schema's copies) in the old generation, and V8, on a machine with memory to spare, lets it pile up rather than
// collect: the planner's own working set then lands on top of it. At 100,000 users that is well over 100 MB of
// resident memory spent on garbage. A run asks for one full collection between the two phases instead.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

let collect: Collect | null | undefined;

/**
 * V8's full collection: `gc` when node runs with --expose-gc, else one taken from a fresh context created while
 * the flag is set (the pattern Node's documentation of v8.setFlagsFromString hints at). null when neither works.
 */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    collect = exposed as Collect;
    return collect;
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/** Whether node was started with --optimize-for-size: then it stays on. */
const OPTIMIZING_FOR_SIZE = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some((flag) =>
  /^--optimize[-_]for[-_]size$/.test(flag),
);

/**
 * Collects the garbage of a finished phase now, in `passes` full collections. Returns false when the process
 * cannot ask V8 for it.
 *
 * A plain full collection frees the dead objects but moves the survivors of only the emptiest pages: after a
 * 100,000-user read the old generation kept about 40 MB of half-empty pages. With --optimize-for-size V8 compacts
 * more of them (bounded, so the copy does not itself need the memory it saves), and a second pass takes most of
 * the rest. The flag is read at each collection, so it is on for these only; the program runs without it.
 */
export function compactHeap(passes = 1): boolean {
  const gc = collector();
  if (gc === null) return false;
  if (!OPTIMIZING_FOR_SIZE) setFlagsFromString('--optimize-for-size');
  try {
    for (let pass = 0; pass < passes; pass += 1) gc();
  } finally {
    if (!OPTIMIZING_FOR_SIZE) setFlagsFromString('--no-optimize-for-size');
  }
  return true;
}

/** A running watchHeap. */
export interface HeapWatch {
  /** Stops watching; returns how many collections it asked for. */
  stop(): number;
}

/**
 * While a phase builds a large live set out of much larger garbage (reading 100,000 users: every page's raw JSON
 * and schema copies), V8 on a roomy machine lets the heap grow to three or four times what is live before it
 * compacts. This watch compacts instead whenever the used heap has grown `growth` times (1.25) past what was live
 * after the previous compaction and is above `floorBytes` (128 MB: smaller runs never pay for it), so resident
 * memory follows the live set. A collection costs a few hundred ms at 100 MB live; a 100,000-user read asks for
 * about ten, which a real run hides in its rate-limit waits. (Measured at 100,000 users: 1.5 and 144 MB asked for
 * six and peaked near 300 MB resident, 1.25 and 128 MB near 275 MB, for about 2.5 s more CPU.) `everyMs` is the
 * check interval (200 ms); the timer does not keep the process alive. Does not throw; stops checking when V8 offers
 * no collection. Used while reading both listings and while applying a plan.
 */
export function watchHeap(options: { growth?: number; floorBytes?: number; everyMs?: number } = {}): HeapWatch {
  const growth = options.growth ?? 1.25;
  const floorBytes = options.floorBytes ?? 128 * 2 ** 20;
  let live = process.memoryUsage().heapUsed;
  let collections = 0;
  const timer = setInterval(() => {
    const used = process.memoryUsage().heapUsed;
    if (used < floorBytes || used < live * growth) return;
    // A plain collection: compacting every few seconds would cost more CPU than the read spends on its own.
    const gc = collector();
    if (gc === null) {
      clearInterval(timer);
      return;
    }
    gc();
    collections += 1;
    live = process.memoryUsage().heapUsed;
  }, options.everyMs ?? 200);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return collections;
    },
  };
}
