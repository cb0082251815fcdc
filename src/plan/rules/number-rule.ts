// Phone numbers for users (docs/rules.md#number): who gets one, and which one to ask Dialpad for.
import type { DialpadLicense, DialpadNumber, DialpadOffice } from '../../dialpad/types.js';
import type { Action, Rules } from '../types.js';

/** The `assign_number` action. */
export type AssignNumberAction = Extract<Action, { kind: 'assign_number' }>;

/** Whether a user with this license gets a number: not for `noNumberLicenses` (Contact Center agents by default, docs/rules.md#number). */
export function wantsNumber(license: DialpadLicense, rules: Pick<Rules, 'noNumberLicenses'>): boolean {
  return !rules.noNumberLicenses.includes(license);
}

/**
 * The unassigned numbers of each office, handed out lowest first and each at most once: one pool lives
 * for one plan, so two users in one run never get the same number. Built from `numbers.list` (status available);
 * numbers with no office are left out.
 */
export class NumberPool {
  private readonly byOffice = new Map<string, string[]>();

  constructor(availableNumbers: readonly DialpadNumber[]) {
    const seen = new Set<string>();
    for (const n of availableNumbers) {
      if (n.status !== 'available' || n.officeId === null || seen.has(n.number)) continue;
      seen.add(n.number);
      const list = this.byOffice.get(n.officeId) ?? [];
      list.push(n.number);
      this.byOffice.set(n.officeId, list);
    }
    for (const list of this.byOffice.values()) list.sort();
  }

  /** Reserves and returns the lowest free number of the office, or null when its pool is empty. */
  take(officeId: string): string | null {
    return this.byOffice.get(officeId)?.shift() ?? null;
  }
}

/** The area code of a North American E.164 number (+1 NXX ...), or null: other countries have no such prefix. Pure. */
export function areaCodeOf(e164: string): string | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(e164.replace(/[\s().-]/g, ''));
  return match?.[1] ?? null;
}

/**
 * What to ask Dialpad for: a pool number of the office (taken from `pool`), else a new one by the area code of the
 * office's main line (null areaCode: Dialpad picks). Does not throw.
 */
export function planNumberAssignment(office: DialpadOffice, pool: NumberPool): AssignNumberAction {
  const number = pool.take(office.id);
  if (number !== null) {
    return {
      kind: 'assign_number',
      number,
      areaCode: null,
      reason: `no number yet: ${number} is free in the pool of office "${office.name}"`,
    };
  }
  const mainLine = office.phoneNumbers[0] ?? null;
  const areaCode = mainLine === null ? null : areaCodeOf(mainLine);
  return {
    kind: 'assign_number',
    number: null,
    areaCode,
    reason:
      areaCode !== null
        ? `no number yet and no free number in office "${office.name}": a new one with area code ${areaCode} (the office main line)`
        : `no number yet and no free number in office "${office.name}": Dialpad chooses a new one`,
  };
}
