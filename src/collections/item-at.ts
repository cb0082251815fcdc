// Reading an array at a position the code computed from that same array, without an `as` cast.

/**
 * The item at `position` of `items` (an array or a typed array), when the caller knows the position is in range
 * (it came from the same array's indexes). Throws a RangeError otherwise: a bug in the caller, never data.
 */
export function itemAt<T>(items: ArrayLike<T>, position: number): T {
  const item = items[position];
  if (item === undefined) throw new RangeError(`position ${position} is outside a list of ${items.length}`);
  return item;
}
