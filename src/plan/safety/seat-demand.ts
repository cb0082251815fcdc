// Which user plans take a license seat, and where: a create, a reactivation (a suspended user frees its line), or a
// license change of a user holding a seat (active or pending), which takes a seat of the new license in the office
// the user ends up in and gives back one of the old license where the user holds it now.
//
// The license caps and the seat check walk these demands in email order, each taking one unit of a pool (a capped
// license's room under its cap, an office's free lines of one kind). Frees count before takes: the license changes
// of one plan that give a seat back are counted first, so a swap (a@ talk → agents, b@ agents → talk, both licenses
// at their caps) is not held. A license change that is held gives nothing back, so the walk is repeated without the
// frees of the changes it held until nothing more is held.
import type { DialpadLicense, DialpadUser } from '../../dialpad/types.js';
import type { Action, FieldChange, Plan, UserPlan, WithheldAction } from '../types.js';
import { withheldUser } from '../withheld-user.js';

/** One license seat a user plan takes in an office. */
export interface SeatDemand {
  user: UserPlan;
  license: DialpadLicense;
  officeId: string;
  /** The action that takes the seat; `license_change`: an update changing the license of a user holding a seat. */
  kind: 'create' | 'reactivate' | 'license_change';
  /** The seat a license change gives back: the old license, in the office the user holds it in now; null otherwise. */
  frees: { license: DialpadLicense; officeId: string | null } | null;
}

/** A counted pool of seats a demand takes one unit of (or gives one back to): its key, and its free units before the plan. */
export interface SeatPool {
  key: string;
  free: number;
}

/** Dialpad users that hold a license seat now. */
export function holdsSeat(user: DialpadUser): boolean {
  return user.state === 'active' || user.state === 'pending';
}

function isLicense(value: string | null | undefined, known: readonly string[]): value is DialpadLicense {
  return value !== null && value !== undefined && known.includes(value);
}

/** The license change of an update action of the plan, if any. */
function licenseChangeOf(user: UserPlan): FieldChange | undefined {
  for (const action of user.actions) {
    if (action.kind !== 'update') continue;
    const change = action.changes.find((c) => c.field === 'license' && typeof c.to === 'string');
    if (change) return change;
  }
  return undefined;
}

/**
 * The seat a user plan takes, or null. A reactivation takes the license and office the user ends up with; a
 * license change of a user holding a seat takes the new license in the office the user ends up in (a suspended
 * user's license change takes none).
 */
export function seatDemandOf(user: UserPlan, usersById: ReadonlyMap<string, DialpadUser>, knownLicenses: readonly string[]): SeatDemand | null {
  const create = user.actions.find((a): a is Extract<Action, { kind: 'create' }> => a.kind === 'create');
  if (create) return { user, license: create.license, officeId: create.officeId, kind: 'create', frees: null };
  const reactivating = user.actions.some((a) => a.kind === 'reactivate');
  const current = user.dialpadUserId === null ? undefined : usersById.get(user.dialpadUserId);
  const change = licenseChangeOf(user);
  if (!reactivating && (change === undefined || current === undefined || !holdsSeat(current))) return null;
  const license: string | null = (change?.to as string | undefined) ?? current?.license ?? null;
  let officeId = current?.officeId ?? null;
  for (const action of user.actions) if (action.kind === 'move_office') officeId = action.toOfficeId;
  if (!isLicense(license, knownLicenses) || officeId === null) return null;
  if (reactivating) return { user, license, officeId, kind: 'reactivate', frees: null };
  const from = current?.license;
  return { user, license, officeId, kind: 'license_change', frees: isLicense(from, knownLicenses) ? { license: from, officeId: current?.officeId ?? null } : null };
}

/**
 * The Dialpad users the plan's users are, by id (of one id listed twice, the last listed, as a Map of the whole
 * listing would hold). Only those: a plan acting on a few users of a 100,000-user company does not index them all.
 */
function planUsersById(plan: Plan, dialpadUsers: readonly DialpadUser[]): Map<string, DialpadUser> {
  const wanted = new Set<string>();
  for (const user of plan.users) if (user.dialpadUserId !== null) wanted.add(user.dialpadUserId);
  const usersById = new Map<string, DialpadUser>();
  if (wanted.size === 0) return usersById;
  for (const user of dialpadUsers) if (wanted.has(user.id)) usersById.set(user.id, user);
  return usersById;
}

/** Seat demands in a stable order: by email, then Okta id (the plan's own order). */
export function seatDemands(plan: Plan, dialpadUsers: readonly DialpadUser[], knownLicenses: readonly string[]): SeatDemand[] {
  const usersById = planUsersById(plan, dialpadUsers);
  const lower = (s: string): string => s.toLowerCase();
  return plan.users
    .flatMap((user) => {
      const demand = seatDemandOf(user, usersById, knownLicenses);
      return demand ? [demand] : [];
    })
    .sort((a, b) => {
      const x = lower(a.user.email);
      const y = lower(b.user.email);
      if (x !== y) return x < y ? -1 : 1;
      const i = a.user.oktaUserId ?? '';
      const j = b.user.oktaUserId ?? '';
      return i < j ? -1 : i > j ? 1 : 0;
    });
}

/**
 * Walks the demands in order, each taking one unit of the pool `takes` names (null: not counted, it passes), after
 * the license changes' frees (`gives`) are counted; a demand that finds no unit left is held. Repeated without the
 * frees of the held changes until no more are held, so every demand let through fits. Pure.
 * Result: each held demand → the units its pool had left when it was held (0 or less).
 */
export function demandsPastTheirPools(
  demands: readonly SeatDemand[],
  pools: { takes: (demand: SeatDemand) => SeatPool | null; gives: (demand: SeatDemand) => SeatPool | null },
): Map<SeatDemand, number> {
  const held = new Map<SeatDemand, number>();
  for (;;) {
    const left = new Map<string, number>();
    const unitsOf = (pool: SeatPool): number => left.get(pool.key) ?? pool.free;
    for (const demand of demands) {
      const pool = held.has(demand) ? null : pools.gives(demand);
      if (pool) left.set(pool.key, unitsOf(pool) + 1);
    }
    let more = false;
    for (const demand of demands) {
      const pool = held.has(demand) ? null : pools.takes(demand);
      if (!pool) continue;
      const units = unitsOf(pool);
      if (units <= 0) {
        held.set(demand, units);
        more = true;
        continue;
      }
      left.set(pool.key, units - 1);
    }
    if (!more) return held;
  }
}

/**
 * Takes the held demands out of the plan, listing each in plan.withheld with its reason: a create or reactivation
 * takes its whole user plan (its actions all hang on the seat); a license change only the license field of the
 * update (the update goes when it changes nothing else; the user's other actions stay).
 */
export function holdDemands(plan: Plan, held: ReadonlyMap<SeatDemand, string>): Plan {
  if (held.size === 0) return plan;
  const byUser = new Map([...held].map(([demand, reason]) => [demand.user, { demand, reason }]));
  const withheld = [...plan.withheld];
  const users: UserPlan[] = [];
  for (const user of plan.users) {
    const hold = byUser.get(user);
    if (hold === undefined) {
      users.push(user);
      continue;
    }
    if (hold.demand.kind !== 'license_change') {
      for (const action of user.actions) withheld.push({ ...withheldUser(user), kind: action.kind, reason: `${hold.reason}: ${action.reason}` });
      continue;
    }
    const kept = withoutLicenseChange(user, hold.reason, withheld);
    if (kept.actions.length > 0) users.push(kept);
  }
  return { ...plan, users, withheld };
}

/** The user plan with its update's license change taken out (listed in `withheld`). */
function withoutLicenseChange(user: UserPlan, reason: string, withheld: WithheldAction[]): UserPlan {
  const actions: Action[] = [];
  for (const action of user.actions) {
    if (action.kind !== 'update' || !action.changes.some((c) => c.field === 'license')) {
      actions.push(action);
      continue;
    }
    withheld.push({ ...withheldUser(user), kind: 'update', reason });
    const changes = action.changes.filter((c) => c.field !== 'license');
    if (changes.length > 0) actions.push({ ...action, changes, reason: withoutLicenseInReason(action.reason) });
  }
  return { ...user, actions };
}

/** An update's reason ("differs from Okta: job_title, license") without the license it no longer changes. */
function withoutLicenseInReason(reason: string): string {
  const prefix = 'differs from Okta: ';
  if (!reason.startsWith(prefix)) return reason;
  const fields = reason.slice(prefix.length).split(', ').filter((part) => part !== 'license' && !part.startsWith('license ('));
  return `${prefix}${fields.join(', ')}`;
}
