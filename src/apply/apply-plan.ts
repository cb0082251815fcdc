// Carries out a plan: users in parallel (bounded), each user's actions in order. One user's failure never
// stops the others; every write is journaled before it is sent and marked done or failed after.
import pLimit from 'p-limit';
import type { DialpadGateway, DialpadUser } from '../dialpad/types.js';
import type { Logger } from '../log/logger.js';
import type { OktaGateway } from '../okta/types.js';
import type { Action, ActionKind, Link, Plan, Rules, UserPlan } from '../plan/types.js';
import type { Store } from '../store/store.js';
import { createOrAdopt, type DialpadUserState } from './create-user.js';
import { describeError } from './describe-error.js';
import { journaled } from './journaled.js';
import { applyRelink } from './relink.js';

export interface ApplyContext {
  dialpad: DialpadGateway;
  okta: OktaGateway;
  store: Store;
  rules: Rules;
  runId: string;
  /** Users applied at once. */
  concurrency: number;
  /** Bound to the run (reconcile passes a child logger carrying runId). */
  logger: Logger;
  onProgress?: (done: number, total: number) => void;
  /** userKey → sha256 of the user's Okta data, stored with a failure (quarantine lifts when it changes). */
  fingerprints?: ReadonlyMap<string, string>;
  /** Aborted on shutdown: actions not yet started are reported not_run; the one in flight finishes and is journaled. */
  signal?: AbortSignal;
}

export type ActionOutcome = 'done' | 'failed' | 'not_run' | 'unchanged';

export interface ActionResult {
  email: string;
  oktaUserId: string | null;
  dialpadUserId: string | null;
  kind: ActionKind;
  outcome: ActionOutcome;
  /** What was done (e.g. the number written back), or why it was not run. */
  detail: string | null;
  error: string | null;
}

export interface ApplyResult {
  actions: ActionResult[];
  failedUsers: { email: string; oktaUserId: string | null; error: string }[];
}

export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  const limit = pLimit(context.concurrency);
  let done = 0;
  const progress = (count: number): void => {
    done += count;
    context.onProgress?.(done, plan.users.length);
  };
  // Users whose only action is an adoption touch no API: their links are saved together, in one transaction.
  const adoptOnly = plan.users.flatMap((user) => {
    const link = adoptOnlyLink(user);
    return link === null ? [] : [{ user, link }];
  });
  const adopted = await adoptTogether(adoptOnly, context);
  if (adoptOnly.length > 0) progress(adoptOnly.length);
  const perUser = await Promise.all(
    plan.users.map((user) => {
      const results = adopted.get(user);
      if (results) return results;
      return limit(async () => {
        const results = await applyUser(user, context);
        progress(1);
        return results;
      });
    }),
  );
  const actions = perUser.flat();
  const failedUsers = perUser.flatMap((results) => {
    const failed = results.find((result) => result.outcome === 'failed');
    return failed ? [{ email: failed.email, oktaUserId: failed.oktaUserId, error: failed.error ?? 'failed' }] : [];
  });
  await recordUserOutcomes(context, perUser);
  return { actions, failedUsers };
}

/** The link a user's plan makes when adopting is all it does (no API call), else null. */
function adoptOnlyLink(user: UserPlan): Link | null {
  const [action, ...more] = user.actions;
  if (action?.kind !== 'adopt' || more.length > 0 || user.oktaUserId === null) return null;
  return { oktaUserId: user.oktaUserId, dialpadUserId: action.dialpadUserId, origin: 'adopted' };
}

/** Saves the links of adopt-only users in one batch; each user's result, or each one's failure if the batch fails. */
async function adoptTogether(
  entries: readonly { user: UserPlan; link: Link }[],
  context: ApplyContext,
): Promise<Map<UserPlan, ActionResult[]>> {
  const results = new Map<UserPlan, ActionResult[]>();
  if (entries.length === 0) return results;
  const base = (user: UserPlan, link: Link) => ({ email: user.email, oktaUserId: user.oktaUserId, dialpadUserId: link.dialpadUserId, kind: 'adopt' as const });
  if (context.signal?.aborted) {
    for (const { user, link } of entries) results.set(user, [{ ...base(user, link), outcome: 'not_run', detail: 'shutting down', error: null }]);
    return results;
  }
  try {
    await context.store.links.saveMany(entries.map(({ user, link }) => ({ link, email: user.email })));
  } catch (error) {
    const message = describeError(error);
    context.logger.warn({ users: entries.length, error: message }, `adopting ${entries.length} users failed: ${message}`);
    for (const { user, link } of entries) results.set(user, [{ ...base(user, link), outcome: 'failed', detail: null, error: message }]);
    return results;
  }
  for (const { user, link } of entries) {
    results.set(user, [{ ...base(user, link), outcome: 'done', detail: `linked to Dialpad user ${link.dialpadUserId}`, error: null }]);
    context.logger.info({ user: user.email, action: 'adopt', outcome: 'done' }, `adopt ${user.email}: done`);
  }
  return results;
}

async function applyUser(user: UserPlan, context: ApplyContext): Promise<ActionResult[]> {
  const state: DialpadUserState = { dialpadUserId: user.dialpadUserId, phoneNumbers: null };
  const results: ActionResult[] = [];
  let failed = false;
  for (const action of user.actions) {
    const base = { email: user.email, oktaUserId: user.oktaUserId, kind: action.kind };
    if (failed) {
      results.push({ ...base, dialpadUserId: state.dialpadUserId, outcome: 'not_run', detail: 'an earlier action for this user failed', error: null });
      continue;
    }
    if (context.signal?.aborted) {
      results.push({ ...base, dialpadUserId: state.dialpadUserId, outcome: 'not_run', detail: 'shutting down', error: null });
      continue;
    }
    try {
      const detail = await applyAction(user, action, state, context);
      const outcome: ActionOutcome = detail === UNCHANGED ? 'unchanged' : 'done';
      results.push({ ...base, dialpadUserId: state.dialpadUserId, outcome, detail: detail === UNCHANGED ? null : detail, error: null });
      context.logger.info({ user: user.email, action: action.kind, outcome }, `${action.kind} ${user.email}: ${outcome}`);
    } catch (error) {
      failed = true;
      const message = describeError(error);
      results.push({ ...base, dialpadUserId: state.dialpadUserId, outcome: 'failed', detail: null, error: message });
      context.logger.warn({ user: user.email, action: action.kind, outcome: 'failed', error: message }, `${action.kind} ${user.email} failed: ${message}`);
    }
  }
  return results;
}

const UNCHANGED = Symbol('unchanged');

/** Runs one action; returns a short description of what was done. */
async function applyAction(user: UserPlan, action: Action, state: DialpadUserState, context: ApplyContext): Promise<string | null | typeof UNCHANGED> {
  const { dialpad, store, runId } = context;
  const entry = { runId, oktaUserId: user.oktaUserId, email: user.email, action: action.kind };
  switch (action.kind) {
    case 'create':
      return createOrAdopt(user, action, state, context);
    case 'adopt': {
      if (!user.oktaUserId) throw new Error('adopt needs an Okta user');
      await store.links.save({ oktaUserId: user.oktaUserId, dialpadUserId: action.dialpadUserId, origin: 'adopted' }, user.email);
      state.dialpadUserId = action.dialpadUserId;
      return `linked to Dialpad user ${action.dialpadUserId}`;
    }
    case 'relink':
      return applyRelink(user, action, state, context);
    case 'reactivate':
    case 'suspend': {
      const id = requireId(state);
      const body = { state: action.kind === 'reactivate' ? ('active' as const) : ('suspended' as const) };
      const updated = await journaled(store, { ...entry, dialpadUserId: id, target: 'dialpad', request: { method: 'PATCH', path: `/api/v2/users/${id}`, body } }, () =>
        dialpad.updateUser(id, body),
      );
      remember(state, updated);
      return `state ${updated.state}`;
    }
    case 'update': {
      const id = requireId(state);
      const input: Parameters<DialpadGateway['updateUser']>[1] = {};
      for (const change of action.changes) {
        if (change.field === 'first_name') input.firstName = String(change.to);
        else if (change.field === 'last_name') input.lastName = String(change.to);
        else if (change.field === 'job_title') input.jobTitle = String(change.to);
        else if (change.field === 'emails') input.emails = Array.isArray(change.to) ? change.to : [change.to];
        else if (change.field === 'license') {
          input.license = change.to as NonNullable<typeof input.license>;
          input.keepPaidNumbers = true;
        }
      }
      const updated = await journaled(store, { ...entry, dialpadUserId: id, target: 'dialpad', request: { method: 'PATCH', path: `/api/v2/users/${id}`, body: input } }, () =>
        dialpad.updateUser(id, input),
      );
      remember(state, updated);
      return action.changes.map((change) => change.field).join(', ');
    }
    case 'move_office': {
      const id = requireId(state);
      const moved = await journaled(
        store,
        { ...entry, dialpadUserId: id, target: 'dialpad', request: { method: 'PATCH', path: `/api/v2/users/${id}/move_office`, body: { office_id: action.toOfficeId } } },
        () => dialpad.moveOffice(id, action.toOfficeId),
      );
      remember(state, moved);
      return `office ${action.toOfficeId}`;
    }
    case 'assign_number': {
      const id = requireId(state);
      const input = { ...(action.number ? { number: action.number } : {}), ...(action.areaCode ? { areaCode: action.areaCode } : {}), primary: true };
      const assigned = await journaled(
        store,
        { ...entry, dialpadUserId: id, target: 'dialpad', request: { method: 'POST', path: `/api/v2/users/${id}/assign_number`, body: input } },
        () => dialpad.assignNumber(id, input),
      );
      state.phoneNumbers = [assigned.number, ...(state.phoneNumbers ?? []).filter((n) => n !== assigned.number)];
      return assigned.number;
    }
    case 'delete': {
      const id = requireId(state);
      await journaled(store, { ...entry, dialpadUserId: id, target: 'dialpad', request: { method: 'DELETE', path: `/api/v2/users/${id}` } }, () => dialpad.deleteUser(id));
      if (user.oktaUserId) await store.links.remove(user.oktaUserId);
      return 'deleted';
    }
    case 'write_back': {
      if (!user.oktaUserId) throw new Error('write_back needs an Okta user');
      // After a create, move or assignment the number is only known now.
      const value = action.pending ? (state.phoneNumbers?.[0] ?? null) : action.to;
      if (value === action.from) return UNCHANGED;
      const { attribute, target } = context.rules.writeBack;
      const oktaUserId = user.oktaUserId;
      const path = target === 'user' ? `/api/v1/users/${oktaUserId}` : `/api/v1/apps/{appId}/users/${oktaUserId}`;
      await journaled(
        store,
        { ...entry, dialpadUserId: state.dialpadUserId, target: 'okta', request: { method: 'POST', path, body: { profile: { [attribute]: value } } } },
        () => context.okta.writeProfileAttribute(oktaUserId, target, attribute, value),
      );
      return value === null ? `${attribute} cleared` : `${attribute} = ${value}`;
    }
  }
}

function requireId(state: DialpadUserState): string {
  if (!state.dialpadUserId) throw new Error('no Dialpad user id (the create did not happen)');
  return state.dialpadUserId;
}

function remember(state: DialpadUserState, user: DialpadUser): void {
  state.phoneNumbers = user.phoneNumbers;
}

/** Failures are counted per user per run; a user whose actions all went through is cleared. */
async function recordUserOutcomes(context: ApplyContext, perUser: ActionResult[][]): Promise<void> {
  const cleared: string[] = [];
  for (const results of perUser) {
    const first = results[0];
    if (!first) continue;
    const userKey = first.oktaUserId ? `okta:${first.oktaUserId}` : `dialpad:${first.dialpadUserId ?? first.email}`;
    const failed = results.find((result) => result.outcome === 'failed');
    if (failed) {
      await context.store.userErrors.record({
        userKey,
        oktaUserId: failed.oktaUserId,
        email: failed.email,
        runId: context.runId,
        action: failed.kind,
        message: failed.error ?? 'failed',
        oktaFingerprint: context.fingerprints?.get(userKey) ?? null,
      });
    } else if (!results.some((result) => result.outcome === 'not_run' && result.detail === 'shutting down')) {
      // A user cut short by a shutdown has not succeeded: its failure count stays as it was.
      cleared.push(userKey);
    }
  }
  if (cleared.length === 0) return;
  // Only users with a recorded failure have anything to clear: one read instead of a DELETE per batch of users.
  const recorded = await context.store.userErrors.recordedKeys();
  await context.store.userErrors.clear(cleared.filter((key) => recorded.has(key)));
}
