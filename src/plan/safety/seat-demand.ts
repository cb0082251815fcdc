// Which user plans take a license seat, and where: a create, or a reactivation (a suspended user frees its line).
import type { DialpadLicense, DialpadUser } from '../../dialpad/types.js';
import type { Action, Plan, UserPlan } from '../types.js';
import { withheldUser } from '../withheld-user.js';

/** One license seat a user plan takes in an office. */
export interface SeatDemand {
  user: UserPlan;
  license: DialpadLicense;
  officeId: string;
  /** The action that takes the seat. */
  kind: 'create' | 'reactivate';
}

function isLicense(value: string | null, known: readonly string[]): value is DialpadLicense {
  return value !== null && known.includes(value);
}

/** The seat a user plan takes, or null. A reactivation takes the license and office the user ends up with. */
export function seatDemandOf(user: UserPlan, usersById: ReadonlyMap<string, DialpadUser>, knownLicenses: readonly string[]): SeatDemand | null {
  const create = user.actions.find((a): a is Extract<Action, { kind: 'create' }> => a.kind === 'create');
  if (create) return { user, license: create.license, officeId: create.officeId, kind: 'create' };
  if (!user.actions.some((a) => a.kind === 'reactivate')) return null;
  const current = user.dialpadUserId === null ? undefined : usersById.get(user.dialpadUserId);
  let license: string | null = current?.license ?? null;
  let officeId = current?.officeId ?? null;
  for (const action of user.actions) {
    if (action.kind === 'move_office') officeId = action.toOfficeId;
    if (action.kind === 'update') {
      for (const change of action.changes) if (change.field === 'license' && typeof change.to === 'string') license = change.to;
    }
  }
  if (!isLicense(license, knownLicenses) || officeId === null) return null;
  return { user, license, officeId, kind: 'reactivate' };
}

/** Seat demands in a stable order: by email, then Okta id (the plan's own order). */
export function seatDemands(plan: Plan, dialpadUsers: readonly DialpadUser[], knownLicenses: readonly string[]): SeatDemand[] {
  const usersById = new Map(dialpadUsers.map((u) => [u.id, u]));
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

/** Takes whole user plans out of the plan (their actions all hang on the seat), listing each action as withheld. */
export function holdUsers(plan: Plan, held: ReadonlyMap<UserPlan, string>): Plan {
  if (held.size === 0) return plan;
  const withheld = [...plan.withheld];
  const users: UserPlan[] = [];
  for (const user of plan.users) {
    const reason = held.get(user);
    if (reason === undefined) {
      users.push(user);
      continue;
    }
    for (const action of user.actions) withheld.push({ ...withheldUser(user), kind: action.kind, reason: `${reason}: ${action.reason}` });
  }
  return { ...plan, users, withheld };
}
