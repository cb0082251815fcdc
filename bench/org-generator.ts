// A synthetic org of N users for the benchmark: six offices in three countries, a license mix with Contact Center
// agents, users assigned directly and through office groups, titles. Deterministic for a given seed.
import type { DialpadSandbox } from '../sandbox/dialpad/sandbox.js';
import type { OktaSandbox } from '../sandbox/okta/sandbox.js';
import { mulberry32 } from '../sandbox/seeded-random.js';

export const BENCH_DOMAIN = 'bench.example.com';

interface OfficeSpec {
  name: string;
  country: 'us' | 'gb' | 'de';
  mainLine: string;
  /** Prefix of the numbers handed out in this office (the rest is a counter). */
  numberPrefix: string;
  /** Share of the org working here. */
  weight: number;
}

const OFFICES: readonly OfficeSpec[] = [
  { name: 'New York', country: 'us', mainLine: '+12125550100', numberPrefix: '+1212', weight: 0.3 },
  { name: 'Austin', country: 'us', mainLine: '+15125550100', numberPrefix: '+1512', weight: 0.2 },
  { name: 'San Francisco', country: 'us', mainLine: '+14155550100', numberPrefix: '+1415', weight: 0.15 },
  { name: 'London', country: 'gb', mainLine: '+442079460000', numberPrefix: '+4420', weight: 0.2 },
  { name: 'Manchester', country: 'gb', mainLine: '+441614960000', numberPrefix: '+44161', weight: 0.05 },
  { name: 'Berlin', country: 'de', mainLine: '+493012345000', numberPrefix: '+4930', weight: 0.1 },
];

/** Okta licenseType values and their shares: talk, sales, Contact Center (no number), lite, and none (default). */
const LICENSES: readonly { value: string | undefined; weight: number }[] = [
  { value: 'dialpad_talk', weight: 0.62 },
  { value: 'Dialpad_Ai Voice', weight: 0.08 },
  { value: 'Dialpad_Ai Sales', weight: 0.12 },
  { value: 'dialpad_support', weight: 0.1 },
  { value: 'dialpad_lite', weight: 0.05 },
  { value: undefined, weight: 0.03 },
];

const FIRST = ['Alice', 'Bob', 'Carmen', 'Dev', 'Emma', 'Farah', 'George', 'Hana', 'Ivan', 'Jordan', 'Kate', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Ravi', 'Sofia', 'Tom'];
const LAST = ['Nguyen', 'Martin', 'Diaz', 'Patel', 'Wilson', 'Khan', 'Brown', 'Sato', 'Petrov', 'Lee', "O'Connor", 'Chen', 'Ross', 'Müller', 'Schmidt', 'Smith', 'Garcia', 'Rossi', 'Kowalski', 'Dubois'];
const TITLES = ['Account Executive', 'Engineer', 'Support Agent', 'Sales Director', 'Designer', 'Recruiter', 'Consultant', 'Product Manager', 'Sales Engineer', 'Office Manager'];

export interface OrgUser {
  oktaUserId: string;
  email: string;
  firstName: string;
  lastName: string;
  title: string | undefined;
  officeName: string;
  countryCode: string;
  licenseType: string | undefined;
  viaGroup: boolean;
}

export interface GeneratedOrg {
  users: OrgUser[];
  /** Dialpad office id by name. */
  officeIds: Record<string, string>;
  /** Okta group id by office name (the group's app assignment carries the office and the sales license). */
  groupIds: Record<string, string>;
  /** Makes the next user's parts (for churn and hook scenarios): same mix, fresh index. */
  nextIndex: number;
}

export interface GenerateOptions {
  users: number;
  seed?: number;
  /** Share of users assigned through their office's group rather than directly (default 0.25). */
  groupShare?: number;
}

/** Seeds both sandboxes: Dialpad offices (no users), Okta users with their app assignments. */
export function generateOrg(okta: OktaSandbox, dialpad: DialpadSandbox, options: GenerateOptions): GeneratedOrg {
  const random = mulberry32(options.seed ?? 1);
  const groupShare = options.groupShare ?? 0.25;
  const lines = Math.max(10, options.users * 2);
  const officeIds: Record<string, string> = {};
  const groupIds: Record<string, string> = {};
  for (const [i, office] of OFFICES.entries()) {
    officeIds[office.name] = dialpad.addOffice({
      name: office.name,
      country: office.country,
      isPrimary: i === 0,
      mainLine: office.mainLine,
      licenses: { talk_lines: lines, sell_lines: lines, contact_center_lines: lines },
    });
    const group = okta.createGroup(`Dialpad ${office.name}`);
    groupIds[office.name] = group;
    // Group members get the office and the sales license from the group's app profile.
    okta.assignGroup(group, { licenseType: 'Dialpad_Ai Sales', officeName: office.name });
  }
  const org: GeneratedOrg = { users: [], officeIds, groupIds, nextIndex: 0 };
  for (let i = 0; i < options.users; i += 1) hireUser(okta, org, random, { viaGroup: random() < groupShare });
  return org;
}

/** Creates one more Okta user of the mix and assigns it to the app (directly, or through its office's group). */
export function hireUser(okta: OktaSandbox, org: GeneratedOrg, random: () => number, options: { viaGroup?: boolean; licenseType?: string } = {}): OrgUser {
  const viaGroup = options.viaGroup ?? false;
  const index = org.nextIndex;
  org.nextIndex += 1;
  const office = pick(OFFICES, random);
  const firstName = FIRST[index % FIRST.length] as string;
  const lastName = LAST[Math.floor(index / FIRST.length) % LAST.length] as string;
  const email = `${firstName.toLowerCase()}.${lastName.toLowerCase().replace(/[^a-z]/g, '')}.${index}@${BENCH_DOMAIN}`;
  const title = random() < 0.9 ? (TITLES[Math.floor(random() * TITLES.length)] as string) : undefined;
  const countryCode = office.country.toUpperCase();
  const oktaUserId = okta.createUser({
    login: email,
    email,
    firstName,
    lastName,
    countryCode,
    ...(title === undefined ? {} : { title }),
  });
  let licenseType: string | undefined;
  if (viaGroup) {
    licenseType = 'Dialpad_Ai Sales';
    const group = org.groupIds[office.name];
    if (group === undefined) throw new Error(`no group for office ${office.name}`);
    okta.addToGroup(group, oktaUserId);
  } else {
    licenseType = options.licenseType ?? pick(LICENSES, random).value;
    okta.assignUser(oktaUserId, { officeName: office.name, ...(licenseType === undefined ? {} : { licenseType }) });
  }
  const user: OrgUser = { oktaUserId, email, firstName, lastName, title, officeName: office.name, countryCode, licenseType, viaGroup };
  org.users.push(user);
  return user;
}

const DIALPAD_LICENSE_OF: Readonly<Record<string, 'talk' | 'agents' | 'lite_support_agents' | 'lite_lines'>> = {
  dialpad_talk: 'talk',
  'Dialpad_Ai Voice': 'talk',
  'Dialpad_Ai Sales': 'agents',
  dialpad_support: 'lite_support_agents',
  dialpad_lite: 'lite_lines',
};

/**
 * Puts every generated user in Dialpad as dialsync would have created them (office, license, title, a number
 * unless Contact Center) and writes the number back to Okta: the state after an initial sync, without running
 * one (a 100,000-user initial sync takes hours of API budget). The next run adopts them all without writing.
 */
export function seedSyncedState(okta: OktaSandbox, dialpad: DialpadSandbox, org: GeneratedOrg): void {
  const counters = new Map<string, number>();
  for (const user of org.users) {
    const office = OFFICES.find((o) => o.name === user.officeName);
    const officeId = org.officeIds[user.officeName];
    if (office === undefined || officeId === undefined) throw new Error(`unknown office ${user.officeName}`);
    const license = user.licenseType === undefined ? 'talk' : (DIALPAD_LICENSE_OF[user.licenseType] ?? 'talk');
    let number: string | undefined;
    if (license !== 'lite_support_agents') {
      const n = (counters.get(office.name) ?? 0) + 1;
      counters.set(office.name, n);
      const digits = office.country === 'us' ? 7 : 15 - office.numberPrefix.length + 1 - 3;
      number = `${office.numberPrefix}${String(2_000_000 + n).padStart(digits, '0')}`;
    }
    dialpad.addUser({
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      officeId,
      license,
      ...(number === undefined ? {} : { phoneNumbers: [number] }),
      ...(user.title === undefined ? {} : { jobTitle: user.title }),
    });
    if (number !== undefined) okta.updateProfile(user.oktaUserId, { dialpadPhone: number });
  }
}

function pick<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  let r = random();
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1] as T;
}

