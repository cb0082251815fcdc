// Whether the actions a plan file holds for a user are the ones dialsync plans for that user now. `dialsync apply`
// carries out a user only when they are: the file's checksum is unkeyed, so a file edited with care (an update's
// `to` changed, its checksum recomputed) still passes it, but not this comparison.
//
// Example: the file says update job_title to "Evil Overlord"; planned now from Okta it is update job_title to
// "Engineer": not the same, the user is refused. The file's assign_number asks for +12125550111 from the free
// numbers listed at --out time; the one planned now asks for +12125550112 (the first is taken since): the same.
import type { Action } from '../plan/types.js';
import { sha256 } from '../reconcile/user-fingerprint.js';

/**
 * An action reduced to what must be equal between the file and a plan made now: every field but its reason (words,
 * which may name an approver), its approver, an assign_number's specific number (a pick from the free numbers of
 * the moment: a plan made now picks again, or asks for an area code when the pool is empty) and a pending write-back's value (only known once the Dialpad
 * side is done).
 */
function canonical(action: Action): unknown {
  const { reason: _words, ...rest } = action;
  if (rest.kind === 'suspend' || rest.kind === 'delete') return { kind: rest.kind };
  if (rest.kind === 'assign_number') return { kind: rest.kind };
  if (rest.kind === 'write_back' && rest.pending) return { kind: rest.kind, from: rest.from, pending: true };
  return rest;
}

/**
 * True when `file` and `now` are the same actions in the same order, compared as canonical() reduces them. Pure.
 * @example sameActions([{ kind: 'update', changes: [{ field: 'job_title', from: null, to: 'Evil Overlord' }], reason: '…' }], planNow) → false
 */
export function sameActions(file: readonly Action[], now: readonly Action[]): boolean {
  return file.length === now.length && sha256(file.map(canonical)) === sha256(now.map(canonical));
}
