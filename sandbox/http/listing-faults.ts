// Listings that answer 200 and are still wrong, for the hostile-answer tests: rows left out, an empty or
// wrongly shaped body, pages that overlap (an item on two pages, as when users are added while the listing is
// read), and a cursor refused mid-listing. Set per listing and per test on a sandbox (faultListing); single reads
// by id are never affected, so a test can tell a listing's word from the source's.

/** How one listing misbehaves; every field is optional and they combine. */
export interface ListingFault {
  /** Items with these ids (Dialpad user or office id, number, Okta user id) are left out of every page. */
  omit?: Iterable<string>;
  /** Every answer of the listing is this JSON body instead (`{}`, `{"items":[]}`, `{"offices":"none"}`, ...). */
  body?: unknown;
  /** Pages after the first also repeat this many items of the page before them at their start. */
  overlap?: number;
  /** The next this-many requests that carry a cursor are refused with 400 "Invalid or expired cursor". */
  refuseCursors?: number;
}

/** The faults of a sandbox's listings, by listing name. */
export class ListingFaults<Name extends string> {
  private readonly faults = new Map<Name, { omit: ReadonlySet<string>; body?: unknown; overlap: number; refuseCursors: number }>();

  /** From now on, `name` misbehaves as `fault` says; null restores it. */
  set(name: Name, fault: ListingFault | null): void {
    if (fault === null) {
      this.faults.delete(name);
      return;
    }
    this.faults.set(name, {
      omit: new Set(fault.omit ?? []),
      ...('body' in fault ? { body: fault.body } : {}),
      overlap: fault.overlap ?? 0,
      refuseCursors: fault.refuseCursors ?? 0,
    });
  }

  /** True (and one refusal used up) when this request, carrying a cursor, is to be refused. */
  refusesCursor(name: Name, hasCursor: boolean): boolean {
    const fault = this.faults.get(name);
    if (!hasCursor || fault === undefined || fault.refuseCursors <= 0) return false;
    fault.refuseCursors -= 1;
    return true;
  }

  /** The body that replaces every answer of the listing, when one was set. */
  replacement(name: Name): { body: unknown } | undefined {
    const fault = this.faults.get(name);
    return fault !== undefined && 'body' in fault ? { body: fault.body } : undefined;
  }

  /** How many items of the page before a later page repeats at its start. */
  overlap(name: Name): number {
    return this.faults.get(name)?.overlap ?? 0;
  }

  /** The page's items without those the listing leaves out. */
  keep<T>(name: Name, items: T[], idOf: (item: T) => string): T[] {
    const omit = this.faults.get(name)?.omit;
    return omit === undefined || omit.size === 0 ? items : items.filter((item) => !omit.has(idOf(item)));
  }
}
