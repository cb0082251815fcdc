// Choosing a Dialpad office for a user (docs/rules.md#office). Every step is deterministic, so the same
// Okta data always lands in the same office and a plan never flaps between two.
import type { DialpadOffice } from '../../dialpad/types.js';
import { compareDialpadIds } from '../dialpad-id.js';
import type { DesiredUser, Rules } from '../types.js';

/** Which step of the office rule chose the office (docs/rules.md#office): name, country (4 ways), default, primary. */
export type OfficeRule = DesiredUser['officeRule'];

/** What the office rule reads of one user. */
export interface OfficeRuleInput {
  /** The first non-empty office attribute (officeName, physicalDeliveryOfficeName, department). */
  officeName: string | null;
  /** ISO alpha-2 country code from Okta. */
  country: string | null;
}

/** The office chosen and by which step, or none; with warnings for an admin (near-miss names, bad settings). */
export type OfficeChoice =
  | { office: DialpadOffice; rule: OfficeRule; warnings: readonly string[] }
  | { office: null; rule: null; warnings: readonly string[] };

/** Offices users can be put in. A missing state is taken as active: it is what Dialpad listed. */
export function isActiveOffice(office: DialpadOffice): boolean {
  return office.state === null || office.state.toLowerCase() === 'active';
}

/** Case- and space-insensitive form of a name, only to spot near misses. */
function looseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function sameCountry(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function lowestId(offices: readonly DialpadOffice[]): DialpadOffice | undefined {
  return [...offices].sort((a, b) => compareDialpadIds(a.id, b.id))[0];
}

function configuredOfficeFor(country: string, countryOffices: Rules['countryOffices']): string | null {
  const key = country.trim().toLowerCase();
  // Keys are meant to be lower-case; tolerate a config written as "DE".
  for (const [configured, officeName] of Object.entries(countryOffices)) {
    if (configured.trim().toLowerCase() === key) return officeName;
  }
  return null;
}

type OfficeRules = Pick<Rules, 'countryOffices' | 'defaultOffice'>;

/**
 * The office choices of one plan: the active offices are found once, and each (office name, country) pair is
 * resolved once: a plan resolves an office for every user from a few distinct pairs (bench/findings.md). Choices
 * are shared: their warnings are read-only.
 */
export class OfficeDirectory {
  private readonly active: readonly DialpadOffice[];
  /** Office name (null for none) → country (null for none) → choice. */
  private readonly choices = new Map<string | null, Map<string | null, OfficeChoice>>();

  constructor(
    offices: readonly DialpadOffice[],
    private readonly rules: OfficeRules,
  ) {
    this.active = offices.filter(isActiveOffice);
  }

  /** As resolveOffice, remembered per (office name, country); the choice returned is shared, do not change it. */
  resolve(input: OfficeRuleInput): OfficeChoice {
    let byCountry = this.choices.get(input.officeName);
    if (byCountry === undefined) {
      byCountry = new Map();
      this.choices.set(input.officeName, byCountry);
    }
    let choice = byCountry.get(input.country);
    if (choice === undefined) {
      choice = chooseOffice(input, this.active, this.rules);
      byCountry.set(input.country, choice);
    }
    return choice;
  }
}

/**
 * The office for one user among the active offices (docs/rules.md#office): exact name, else country, else the
 * default office, else the primary. Deterministic (ties go to the lowest id). Pure; does not throw.
 */
export function resolveOffice(input: OfficeRuleInput, allOffices: readonly DialpadOffice[], rules: OfficeRules): OfficeChoice {
  return chooseOffice(input, allOffices.filter(isActiveOffice), rules);
}

/** The office rule (docs/rules.md#office) over the active offices. */
function chooseOffice(input: OfficeRuleInput, offices: readonly DialpadOffice[], rules: OfficeRules): OfficeChoice {
  const warnings: string[] = [];

  // 1. An exact name. A near miss is reported, never applied: a typo must not move people silently.
  if (input.officeName !== null) {
    const exact = lowestId(offices.filter((o) => o.name === input.officeName));
    if (exact) return { office: exact, rule: 'name', warnings };
    const loose = looseName(input.officeName);
    const near = offices.filter((o) => looseName(o.name) === loose).sort((a, b) => compareDialpadIds(a.id, b.id));
    if (near.length > 0) {
      const names = near.map((o) => `"${o.name}" (${o.id})`).join(', ');
      warnings.push(
        `office "${input.officeName}" is not an exact Dialpad office name; it would match ${names}: fix the name in Okta or Dialpad`,
      );
    }
  }

  // 2. The user's country.
  if (input.country !== null) {
    const inCountry = offices.filter((o) => sameCountry(o.country, input.country));
    if (inCountry.length === 1 && inCountry[0]) return { office: inCountry[0], rule: 'country', warnings };
    if (inCountry.length > 1) {
      const configuredName = configuredOfficeFor(input.country, rules.countryOffices);
      if (configuredName !== null) {
        const configured = lowestId(inCountry.filter((o) => o.name === configuredName));
        if (configured) return { office: configured, rule: 'country-configured', warnings };
        warnings.push(
          `offices.byCountry names "${configuredName}" for country "${input.country}", but no active office in that country has that name`,
        );
      }
      const primary = inCountry.find((o) => o.isPrimary);
      if (primary) return { office: primary, rule: 'country-primary', warnings };
      const lowest = lowestId(inCountry);
      if (lowest) return { office: lowest, rule: 'country-lowest-id', warnings };
    }
  }

  // 3. The configured default office, else the company's primary office.
  if (rules.defaultOffice !== null) {
    const byDefault = lowestId(offices.filter((o) => o.name === rules.defaultOffice));
    if (byDefault) return { office: byDefault, rule: 'default', warnings };
    warnings.push(`offices.default names "${rules.defaultOffice}", but it is not an active Dialpad office`);
  }
  const primary = lowestId(offices.filter((o) => o.isPrimary));
  if (primary) return { office: primary, rule: 'primary', warnings };
  return { office: null, rule: null, warnings };
}
