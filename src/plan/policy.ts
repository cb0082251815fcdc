// Policies filter a plan, as in external-dns plan/policy.go (docs/rules.md#policy):
// sync passes everything, upsert-only never suspends or deletes, create-only only creates (and adopts or relinks).
import type { Action, Plan, Policy, UserPlan } from './types.js';
import { withheldUser } from './withheld-user.js';

/** Which actions of one user plan the policy lets through. */
function allowedActions(user: UserPlan, policy: Policy): (action: Action) => boolean {
  switch (policy) {
    case 'sync':
      return () => true;
    case 'upsert-only': {
      // The write-back that clears the number belongs to the suspend or delete it follows.
      const retires = user.actions.some((a) => a.kind === 'suspend' || a.kind === 'delete');
      return (a) => a.kind !== 'suspend' && a.kind !== 'delete' && !(retires && a.kind === 'write_back');
    }
    case 'create-only': {
      const creates = user.actions.some((a) => a.kind === 'create');
      // A relink, like an adoption, only changes dialsync's own link.
      return (a) => a.kind === 'create' || a.kind === 'adopt' || a.kind === 'relink' || (creates && a.kind === 'write_back');
    }
  }
}

/**
 * The plan with only the actions `policy` allows (docs/rules.md#policy); each removed action is added to `withheld`
 * with why, and a user left with no action is dropped. Pure; does not throw.
 */
export function applyPolicy(plan: Plan, policy: Policy): Plan {
  const users: UserPlan[] = [];
  const withheld = [...plan.withheld];
  for (const user of plan.users) {
    const allowed = allowedActions(user, policy);
    const kept: Action[] = [];
    for (const action of user.actions) {
      if (allowed(action)) kept.push(action);
      else withheld.push({ ...withheldUser(user), kind: action.kind, reason: `withheld by the ${policy} policy: ${action.reason}` });
    }
    if (kept.length > 0) users.push(kept.length === user.actions.length ? user : { ...user, actions: kept });
  }
  return { ...plan, users, withheld };
}
