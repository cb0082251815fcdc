// Reserved (unassigned) numbers, lowest first, per key (an office, or an office and area code).
// Min-heaps with lazy removal: a number taken by other means is skipped when it surfaces.
import { compareNumbers } from './phone-numbering.js';

export class NumberPool {
  private readonly heaps = new Map<string, string[]>();

  add(key: string, number: string): void {
    let heap = this.heaps.get(key);
    if (heap === undefined) {
      heap = [];
      this.heaps.set(key, heap);
    }
    heap.push(number);
    siftUp(heap, heap.length - 1);
  }

  /** Removes and returns the lowest number under `key` for which `isAvailable` holds. */
  take(key: string, isAvailable: (number: string) => boolean): string | undefined {
    const heap = this.heaps.get(key);
    if (heap === undefined) return undefined;
    while (heap.length > 0) {
      const top = pop(heap);
      if (isAvailable(top)) return top;
    }
    return undefined;
  }
}

function pop(heap: string[]): string {
  const top = heap[0] as string;
  const last = heap.pop() as string;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
  return top;
}

function siftUp(heap: string[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (compareNumbers(heap[i] as string, heap[parent] as string) >= 0) return;
    swap(heap, i, parent);
    i = parent;
  }
}

function siftDown(heap: string[], index: number): void {
  let i = index;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && compareNumbers(heap[left] as string, heap[smallest] as string) < 0) smallest = left;
    if (right < heap.length && compareNumbers(heap[right] as string, heap[smallest] as string) < 0) smallest = right;
    if (smallest === i) return;
    swap(heap, i, smallest);
    i = smallest;
  }
}

function swap(heap: string[], a: number, b: number): void {
  const t = heap[a] as string;
  heap[a] = heap[b] as string;
  heap[b] = t;
}
