// Every Dialpad user's last applied values, as a full run reads them (store table applied_values), packed: at
// 100,000 users that is 500,000 rows, and as a Map of objects ({applied, okta, at} per field) they were the
// largest thing a no-change run kept. Here they are a sorted array of ids (64-bit integers when every id is a
// decimal number, as Dialpad's are), one offset and one bit mask per user, and one flat array of value numbers
// into a table holding each distinct value once; a user's AppliedValues object is made only when asked for.
// A value equal to Okta's (the common case) is stored once. The decision time (`at`) is not kept: the planner
// never reads it (explain reads its user's rows in full).
// Measured at 100,000 users × 5 fields on SQLite, 1 in 10 titles adopted (bench/applied-values-memory.ts: heap
// used plus typed arrays after gc, the result held): the Map of objects 40.6 MB, this index 4.1 MB with the
// benchmark's names; 45.2 MB against 9.9 MB with 3,000 × 10,000 distinct first and last names.
import { compareText } from '../collections/compare-text.js';
import type { AppliedField, AppliedValueLookup, AppliedValues } from '../plan/types.js';

/** The fields in the order of their bits in a user's mask: bit i present, bit i + 5 Okta's value differs. */
const FIELD_ORDER: readonly AppliedField[] = ['first_name', 'last_name', 'job_title', 'office', 'license'];
const FIELD_BIT: ReadonlyMap<string, number> = new Map(FIELD_ORDER.map((field, i) => [field, i]));
const OKTA_DIFFERS = 5;
/** A decimal id that fits 64 bits unchanged: no sign, no leading zero, at most 19 digits (below 2^63·10/9). */
const NUMERIC_ID = /^(?:0|[1-9][0-9]{0,18})$/;

/** Dialpad user ids in ascending order, found by binary search: numbers when they all are, else strings. */
type SortedIds = { numeric: true; ids: BigUint64Array } | { numeric: false; ids: readonly string[] };

/**
 * The read-only lookup the planner needs (PlanInput.appliedValues), made by AppliedValueIndexBuilder. `get`
 * returns a new object each call, equal to what forUsers' map holds for the user minus `at`.
 */
export class AppliedValueIndex implements AppliedValueLookup {
  constructor(
    private readonly ids: SortedIds,
    /** Per user, where its values start in `codes`; one more entry than ids (the end). */
    private readonly starts: Uint32Array,
    /** Per user: bit i (i < 5) field FIELD_ORDER[i] recorded, bit i + 5 its Okta value differs from the applied one. */
    private readonly masks: Uint16Array,
    /** Per recorded field in FIELD_ORDER: the applied value's number in `table`, then Okta's when it differs. */
    private readonly codes: Uint32Array,
    /** Each distinct value once; number 0 is null. */
    private readonly table: readonly (string | null)[],
  ) {}

  /** How many Dialpad users have values. */
  get size(): number {
    return this.ids.ids.length;
  }

  /** The Dialpad user ids that have values, ascending (by number when all are numbers). */
  *keys(): IterableIterator<string> {
    for (const id of this.ids.ids) yield String(id);
  }

  /** This Dialpad user's last applied values (without `at`), or undefined when it has none. O(log n). */
  get(dialpadUserId: string): AppliedValues | undefined {
    const at = this.indexOf(dialpadUserId);
    if (at < 0) return undefined;
    const mask = this.masks[at] ?? 0;
    let next = this.starts[at] ?? 0;
    const user: AppliedValues = {};
    for (let bit = 0; bit < FIELD_ORDER.length; bit++) {
      if ((mask & (1 << bit)) === 0) continue;
      const applied = this.table[this.codes[next++] ?? 0] ?? null;
      const okta = (mask & (1 << (bit + OKTA_DIFFERS))) === 0 ? applied : (this.table[this.codes[next++] ?? 0] ?? null);
      user[FIELD_ORDER[bit] as AppliedField] = { applied, okta };
    }
    return user;
  }

  private indexOf(id: string): number {
    if (this.ids.numeric) {
      if (!NUMERIC_ID.test(id)) return -1;
      return search(this.ids.ids, BigInt(id), (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    return search(this.ids.ids, id, compareText);
  }
}

/** The position of `key` in ascending `items`, or -1. */
function search<T>(items: ArrayLike<T>, key: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compare(items[middle] as T, key);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** One recorded field as the builder takes it. */
interface FieldValue {
  field: string;
  applied: string | null;
  okta: string | null;
}

/**
 * Packs rows into an AppliedValueIndex as they are read: one user's rows must come together (the store reads in
 * primary key order), users in any order (`build` sorts them). A field outside FIELD_ORDER is ignored; a field
 * added twice for one user keeps the last.
 * @throws Error from `build` when a user's rows were split by another user's.
 */
export class AppliedValueIndexBuilder {
  private readonly ids: string[] = [];
  private readonly starts: number[] = [];
  private readonly masks: number[] = [];
  private readonly codes: number[] = [];
  /** Value → its number; number 0 is null. */
  private readonly numbers = new Map<string, number>();
  private readonly table: (string | null)[] = [null];
  /** The user being added: its mask and its 10 slots (applied, okta per FIELD_ORDER). */
  private current: string | null = null;
  private mask = 0;
  private readonly slots: (string | null)[] = new Array<string | null>(FIELD_ORDER.length * 2).fill(null);

  /** Adds one row. */
  add(dialpadUserId: string, row: FieldValue): void {
    const bit = FIELD_BIT.get(row.field);
    if (bit === undefined) return;
    if (dialpadUserId !== this.current) {
      this.flush();
      this.current = dialpadUserId;
    }
    this.mask = (this.mask | (1 << bit)) & ~(1 << (bit + OKTA_DIFFERS));
    if (row.applied !== row.okta) this.mask |= 1 << (bit + OKTA_DIFFERS);
    this.slots[bit * 2] = row.applied;
    this.slots[bit * 2 + 1] = row.okta;
  }

  /** The packed index of every row added. The builder is spent afterwards. */
  build(): AppliedValueIndex {
    this.flush();
    this.numbers.clear();
    const n = this.ids.length;
    const numeric = this.ids.every((id) => NUMERIC_ID.test(id));
    const keys = numeric ? this.ids.map((id) => BigInt(id)) : null;
    const order = Array.from({ length: n }, (_, i) => i);
    if (keys !== null) order.sort((a, b) => ((keys[a] ?? 0n) < (keys[b] ?? 0n) ? -1 : (keys[a] ?? 0n) > (keys[b] ?? 0n) ? 1 : 0));
    else order.sort((a, b) => compareText(this.ids[a] ?? '', this.ids[b] ?? ''));
    for (let i = 1; i < n; i++) {
      const id = this.ids[order[i] ?? 0];
      if (id === this.ids[order[i - 1] ?? 0]) throw new Error(`applied values of Dialpad user ${id ?? ''} were not read together`);
    }
    const starts = new Uint32Array(n + 1);
    const masks = new Uint16Array(n);
    const codes = new Uint32Array(this.codes.length);
    let next = 0;
    order.forEach((user, i) => {
      starts[i] = next;
      masks[i] = this.masks[user] ?? 0;
      const to = this.starts[user + 1] ?? this.codes.length;
      for (let j = this.starts[user] ?? 0; j < to; j++) codes[next++] = this.codes[j] ?? 0;
    });
    starts[n] = next;
    const ids: SortedIds =
      keys !== null ? { numeric: true, ids: BigUint64Array.from(order, (user) => keys[user] ?? 0n) } : { numeric: false, ids: order.map((user) => this.ids[user] ?? '') };
    // slice(): an array grown by push keeps up to half again its length in spare slots.
    return new AppliedValueIndex(ids, starts, masks, codes, this.table.slice());
  }

  private numberOf(value: string | null): number {
    if (value === null) return 0;
    let number = this.numbers.get(value);
    if (number === undefined) {
      number = this.table.length;
      this.table.push(value);
      this.numbers.set(value, number);
    }
    return number;
  }

  private flush(): void {
    if (this.current === null) return;
    this.ids.push(this.current);
    this.starts.push(this.codes.length);
    this.masks.push(this.mask);
    for (let bit = 0; bit < FIELD_ORDER.length; bit++) {
      if ((this.mask & (1 << bit)) === 0) continue;
      this.codes.push(this.numberOf(this.slots[bit * 2] ?? null));
      if ((this.mask & (1 << (bit + OKTA_DIFFERS))) !== 0) this.codes.push(this.numberOf(this.slots[bit * 2 + 1] ?? null));
    }
    this.current = null;
    this.mask = 0;
  }
}
