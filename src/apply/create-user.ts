// Creating a Dialpad user is the one write that must never happen twice: the link is saved as soon as Dialpad
// answers, and a 409 (the email exists) is resolved by looking the user up and adopting it. The job title is
// not part of it: it is the set_job_title step that follows (action-graph.ts).
import type { DialpadUser } from '../dialpad/types.js';
import { DialpadError } from '../dialpad/errors.js';
import { theLivePrimaryHolder } from '../plan/live-dialpad-user.js';
import type { Action, UserPlan } from '../plan/types.js';
import type { ApplyContext } from './apply-context.js';
import { journaled } from './journaled.js';
import { dialpadWrites } from './writes.js';

/** What apply knows of the user's Dialpad side as its actions run. */
export interface DialpadUserState {
  dialpadUserId: string | null;
  /** null: unknown (nothing this run has returned them yet). */
  phoneNumbers: string[] | null;
  /** As Dialpad last returned it; undefined: unknown. */
  jobTitle?: string | null;
  /** The create found the email taken (409) and adopted that user: it wrote none of the user's fields. */
  adoptedOnCreate?: boolean;
}

type CreateAction = Extract<Action, { kind: 'create' }>;

/**
 * Creates the user (journaled under `create`) and links it; on a 409 adopts the one live Dialpad user with the
 * email instead (docs/rules.md#adopt-or-create). Fills `state` with the user's id, numbers and title. Returns what
 * was done, for the result. Throws the DialpadError of the create (code `conflict` when the 409 finds no single
 * live holder) or of the look-up after it, an Error when the user has no Okta id, and what the store throws.
 */
export async function createOrAdopt(user: UserPlan, action: CreateAction, state: DialpadUserState, context: ApplyContext): Promise<string> {
  const { dialpad, store, runId } = context;
  if (!user.oktaUserId) throw new Error('create needs an Okta user');
  const oktaUserId = user.oktaUserId;
  const input = {
    email: action.email,
    officeId: action.officeId,
    firstName: action.firstName,
    lastName: action.lastName,
    license: action.license,
    autoAssign: action.autoAssign,
  };
  const subject = { runId, oktaUserId, email: user.email, action: 'create' } as const;
  let created: DialpadUser;
  let origin: 'created' | 'adopted' = 'created';
  try {
    created = await journaled(store, subject, dialpadWrites(dialpad).createUser(input));
  } catch (error) {
    if (!(error instanceof DialpadError) || error.code !== 'conflict') throw error;
    const existing = await adoptableByEmail(context, action.email);
    if (!existing) throw error;
    created = existing;
    origin = 'adopted';
  }
  await store.links.save({ oktaUserId, dialpadUserId: created.id, origin }, user.email);
  state.dialpadUserId = created.id;
  state.phoneNumbers = created.phoneNumbers;
  state.jobTitle = created.jobTitle;
  state.adoptedOnCreate = origin === 'adopted';
  return origin === 'created' ? `Dialpad user ${created.id}` : `email already in Dialpad: adopted user ${created.id}`;
}

/** The one live Dialpad user whose primary email is this one (by emailKey), if there is exactly one. */
async function adoptableByEmail(context: ApplyContext, email: string): Promise<DialpadUser | null> {
  return theLivePrimaryHolder(await context.dialpad.findUsersByEmail(email), email);
}
