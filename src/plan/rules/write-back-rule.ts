// Writing the Dialpad number back to Okta (docs/rules.md#write-back): only when it differs, and only the number.
import type { Action, Rules } from '../types.js';

/** The `write_back` action. */
export type WriteBackAction = Extract<Action, { kind: 'write_back' }>;

/**
 * The write-back for a user whose Dialpad number is known (`number`) or will only be known once Dialpad
 * has done its part (`'pending'`: after a create, an assign_number or an international move). `current` is the
 * attribute's value in Okta; null when write-back is off or the value already matches. Pure; does not throw.
 */
export function planWriteBack(
  current: string | null,
  number: string | null | 'pending',
  rules: Pick<Rules, 'writeBack'>,
): WriteBackAction | null {
  if (!rules.writeBack.enabled) return null;
  const attribute = rules.writeBack.attribute;
  if (number === 'pending') {
    return {
      kind: 'write_back',
      from: current,
      to: null,
      pending: true,
      reason: `${attribute} gets the Dialpad number once it is assigned`,
    };
  }
  if (number === current) return null;
  return {
    kind: 'write_back',
    from: current,
    to: number,
    pending: false,
    reason:
      number === null
        ? `the Dialpad user has no number: clear ${attribute}`
        : `${attribute} is ${current === null ? 'empty' : `"${current}"`}, Dialpad has ${number}`,
  };
}

/**
 * Clearing the attribute of a user dialsync suspends or deletes, when `writeBack.onSuspended` says clear
 * (docs/rules.md#write-back); null otherwise. `why` prefixes the reason. Pure; does not throw.
 */
export function planWriteBackClear(
  current: string | null,
  why: string,
  rules: Pick<Rules, 'writeBack'>,
): WriteBackAction | null {
  if (!rules.writeBack.enabled || rules.writeBack.onSuspended !== 'clear') return null;
  return {
    kind: 'write_back',
    from: current,
    to: null,
    pending: false,
    reason: `${why}: clear ${rules.writeBack.attribute} (writeBack.onSuspended: clear)`,
  };
}
