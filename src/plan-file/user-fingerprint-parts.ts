// Per planned user, what each side held when the plan was made, as one sha256 per part, so `dialsync apply` can
// tell which users changed since and say what changed ("Okta profile changed", "Dialpad user changed: state").
// Absence is fingerprinted too: a create was planned because no Dialpad user held the email; a suspend of a user no
// longer assigned because Okta said what became of them.
//
// Example: a create of ann@acme.com planned at 09:00 has okta {status, profile, appProfile} and dialpad
// {emailHolders: sha256([]), link: sha256(no link)}. If someone adds ann@acme.com in Dialpad's portal before the
// apply, emailHolders differs: "Dialpad users holding the email changed", and her create is refused.
import { emailKey } from '../identity/email-identity.js';
import type { DialpadUser } from '../dialpad/types.js';
import type { Profile } from '../okta/types.js';
import type { AppliedValues, Link, PlanInput, Rules, UserPlan } from '../plan/types.js';
import { sha256 } from '../reconcile/user-fingerprint.js';

/** Part name → sha256 of that part of one side. */
export type SideParts = Record<string, string>;

/**
 * Both sides of one planned user. Okta parts: `status` (or what became of an unassigned user), `profile` and
 * `appProfile` (without the write-back attribute: dialsync writes it), `groups` (scoping group memberships, when
 * scope.groups is set). Dialpad parts: `user.<field>` per field of its Dialpad user (state, name, emails,
 * job_title, office, license, numbers, locale), or `emailHolders` (the Dialpad users holding the email) for a user
 * planned without one; `link`; `applied` (the last applied values, when the store keeps them).
 */
export interface UserFingerprint {
  okta: SideParts;
  dialpad: SideParts;
}

/** The Dialpad user fields fingerprinted one by one, so a change names the field. */
const DIALPAD_FIELDS: Record<string, (user: DialpadUser) => unknown> = {
  state: (user) => user.state,
  name: (user) => [user.firstName, user.lastName],
  emails: (user) => user.emails.map(emailKey),
  job_title: (user) => user.jobTitle,
  office: (user) => user.officeId,
  license: (user) => user.license,
  numbers: (user) => user.phoneNumbers,
  locale: (user) => [user.country, user.language],
};

/** A Dialpad user field's part when the user is absent (deleted, or never read). */
const ABSENT = sha256({ absent: true });

const OKTA_PART_WORDS: Record<string, string> = {
  status: 'Okta status changed',
  profile: 'Okta profile changed',
  appProfile: 'Okta app profile changed',
  groups: 'Okta group membership changed',
};

const DIALPAD_PART_WORDS: Record<string, string> = {
  emailHolders: 'Dialpad users holding the email changed',
  link: "dialsync's link changed",
  applied: 'the last applied values changed',
};

/**
 * Fingerprints planned users from one planner input: build once per input, then `of` each user. Indexes the input
 * on construction (linear in its size); pure.
 */
export class UserFingerprints {
  private readonly assignments = new Map<string, PlanInput['assignments'][number]>();
  private readonly dialpadById = new Map<string, DialpadUser>();
  private readonly dialpadByEmail = new Map<string, DialpadUser[]>();
  private readonly linkByOkta = new Map<string, Link>();
  private readonly linkByDialpad = new Map<string, Link>();

  /** `input`: the planner's input the users were (or are now) planned from; `rules`: for the write-back attribute. */
  constructor(
    private readonly input: PlanInput,
    private readonly rules: Rules,
  ) {
    for (const assignment of [...(input.ownerAssignments ?? []), ...input.assignments]) this.assignments.set(assignment.oktaUserId, assignment);
    for (const user of input.dialpadUsers) {
      this.dialpadById.set(user.id, user);
      for (const key of new Set(user.emails.map(emailKey))) {
        const holders = this.dialpadByEmail.get(key);
        if (holders) holders.push(user);
        else this.dialpadByEmail.set(key, [user]);
      }
    }
    for (const link of input.links) {
      this.linkByOkta.set(link.oktaUserId, link);
      this.linkByDialpad.set(link.dialpadUserId, link);
    }
  }

  /** The Okta user a planned user's Okta side is read from: its own, or its link's when it has none (a Dialpad-only user). */
  oktaUserIdOf(user: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId'>): string | null {
    if (user.oktaUserId !== null) return user.oktaUserId;
    return user.dialpadUserId === null ? null : (this.linkByDialpad.get(user.dialpadUserId)?.oktaUserId ?? null);
  }

  /** Both sides of `user` in this input. */
  of(user: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'>): UserFingerprint {
    return { okta: this.oktaParts(this.oktaUserIdOf(user)), dialpad: this.dialpadParts(user) };
  }

  private oktaParts(oktaUserId: string | null): SideParts {
    const assignment = oktaUserId === null ? undefined : this.assignments.get(oktaUserId);
    const attribute = this.rules.writeBack.attribute;
    const fate = oktaUserId !== null && Object.hasOwn(this.input.fates, oktaUserId) ? this.input.fates[oktaUserId] : undefined;
    const parts: SideParts = {
      status: sha256(assignment ? { status: assignment.status } : { unassigned: fate ?? null }),
      profile: sha256(assignment ? without(assignment.profile, attribute) : null),
      appProfile: sha256(assignment ? without(assignment.appProfile, attribute) : null),
    };
    const scope = this.input.scopeGroups;
    if (scope) {
      const memberOf = oktaUserId === null ? [] : scope.groups.filter((group) => scope.members.get(group.id)?.has(oktaUserId) ?? false).map((group) => group.id);
      parts.groups = sha256(memberOf.sort());
    }
    return parts;
  }

  private dialpadParts(user: Pick<UserPlan, 'oktaUserId' | 'dialpadUserId' | 'email'>): SideParts {
    const parts: SideParts = {};
    if (user.dialpadUserId !== null) {
      const dialpadUser = this.dialpadById.get(user.dialpadUserId);
      for (const [field, read] of Object.entries(DIALPAD_FIELDS)) parts[`user.${field}`] = sha256(dialpadUser ? read(dialpadUser) : { absent: true });
    } else {
      const holders = this.dialpadByEmail.get(emailKey(user.email)) ?? [];
      parts.emailHolders = sha256(holders.map((holder) => ({ id: holder.id, state: holder.state })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    }
    const byOkta = user.oktaUserId === null ? null : (this.linkByOkta.get(user.oktaUserId) ?? null);
    const byDialpad = user.dialpadUserId === null ? null : (this.linkByDialpad.get(user.dialpadUserId) ?? null);
    parts.link = sha256({ byOkta, byDialpad });
    const applied = this.input.appliedValues;
    if (applied && user.dialpadUserId !== null) parts.applied = sha256(withoutTimes(applied.get(user.dialpadUserId)));
    return parts;
  }
}

/**
 * What changed between the fingerprint a plan was made with and the one now, in words, Okta first; empty when
 * nothing did. A part on one side only counts as changed. Pure.
 * A Dialpad user deleted since is said so ("Dialpad user no longer exists"), not as every field changed.
 * @example fingerprintChanges(planned, now) → ['Okta profile changed', 'Dialpad user changed: state, job_title']
 */
export function fingerprintChanges(planned: UserFingerprint, now: UserFingerprint): string[] {
  const changed = (side: 'okta' | 'dialpad'): string[] =>
    [...new Set([...Object.keys(planned[side]), ...Object.keys(now[side])])].filter((part) => planned[side][part] !== now[side][part]);
  const words: string[] = changed('okta').map((part) => OKTA_PART_WORDS[part] ?? `Okta ${part} changed`);
  const dialpad = changed('dialpad');
  const fields = dialpad.filter((part) => part.startsWith('user.')).map((part) => part.slice('user.'.length));
  const userParts = Object.keys(now.dialpad).filter((part) => part.startsWith('user.'));
  const gone = fields.length > 0 && userParts.every((part) => now.dialpad[part] === ABSENT) && Object.keys(planned.dialpad).some((part) => part.startsWith('user.') && planned.dialpad[part] !== ABSENT);
  if (gone) words.push('Dialpad user no longer exists');
  else if (fields.length > 0) words.push(`Dialpad user changed: ${fields.join(', ')}`);
  for (const part of dialpad) if (!part.startsWith('user.')) words.push(DIALPAD_PART_WORDS[part] ?? `Dialpad ${part} changed`);
  return words;
}

/**
 * A user's applied values without their decision times: a full run's packed values have none (the planner never
 * reads them), a targeted re-read has them, and the same values must fingerprint the same.
 */
function withoutTimes(values: AppliedValues | undefined): Record<string, { applied: string | null; okta: string | null }> | null {
  if (values === undefined) return null;
  return Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { applied: value.applied, okta: value.okta }]));
}

function without(profile: Profile, attribute: string): Profile {
  const { [attribute]: _dropped, ...rest } = profile;
  return rest;
}
