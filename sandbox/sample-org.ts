// A small, realistic org for the demo: one Okta org and one Dialpad company with the cases dialsync must handle.
import type { DialpadSandbox } from './dialpad/sandbox.js';
import type { OktaSandbox } from './okta/sandbox.js';

const DOMAIN = 'example.com';

/** The Okta group whose members the console lets in as admins, and the one whose members may only view. */
export const CONSOLE_ADMINS_GROUP = 'dialsync-admins';
export const CONSOLE_VIEWERS_GROUP = 'dialsync-viewers';

/**
 * Sample logins for the console, each signing in with the Okta sandbox's user password (`okta.userPassword`):
 * an admin (in dialsync-admins), a viewer (in dialsync-viewers) and a user in neither group.
 */
export const SAMPLE_CONSOLE_LOGINS = {
  admin: `alice.nguyen@${DOMAIN}`,
  viewer: `hana.sato@${DOMAIN}`,
  nonMember: `bob.martin@${DOMAIN}`,
} as const;

interface Person {
  first: string;
  last: string;
  title?: string;
  countryCode?: string;
  department?: string;
  /** Okta's base attribute userType: Employee unless said otherwise (for trying scope.exclude). */
  userType?: 'Employee' | 'Contractor';
}

/** The Okta group for trying scope.groups: a pilot of three assigned users (Alice, Carmen, Ivan). */
export const SAMPLE_PILOT_GROUP = 'Dialpad pilot';

/**
 * Three Dialpad offices in two countries (New York, Austin, London) with main lines and a few reserved numbers,
 * and twelve Okta users assigned to the Dialpad app directly or through the "Sales" group, covering:
 * license aliases, a Contact Center user, an unknown license, a near-miss office name, a user placed only by
 * country, a Dialpad user to adopt (same email), a Dialpad-only user nobody owns, and a suspended Okta user.
 * Alice and Jordan are in the Okta group dialsync-admins, Hana in dialsync-viewers (the console's sign-in groups).
 * For scoping: every user has a userType (George and Ivan are Contractor) and Alice, Carmen and Ivan are in the group
 * "Dialpad pilot".
 */
export function seedSampleOrg(okta: OktaSandbox, dialpad: DialpadSandbox): void {
  const newYork = dialpad.addOffice({
    name: 'New York',
    country: 'us',
    isPrimary: true,
    mainLine: '+12125550100',
    timezone: 'America/New_York',
    licenses: { talk_lines: 10, sell_lines: 4, contact_center_lines: 2 },
  });
  const austin = dialpad.addOffice({
    name: 'Austin',
    country: 'us',
    mainLine: '+15125550100',
    timezone: 'America/Chicago',
    licenses: { talk_lines: 5, sell_lines: 2, contact_center_lines: 2 },
  });
  const london = dialpad.addOffice({
    name: 'London',
    country: 'gb',
    mainLine: '+442079460000',
    timezone: 'Europe/London',
    licenses: { talk_lines: 5, sell_lines: 2, contact_center_lines: 1 },
  });
  dialpad.addNumbers(newYork, ['+12125550181', '+12125550182']);
  dialpad.addNumbers(austin, ['+15125550121']);
  dialpad.addNumbers(london, ['+442079460101']);

  // Already in Dialpad before dialsync: Jordan (also in Okta, to be adopted) and the front desk (nobody's).
  dialpad.addUser({
    email: `jordan.lee@${DOMAIN}`,
    firstName: 'Jordan',
    lastName: 'Lee',
    officeId: newYork,
    license: 'talk',
    phoneNumbers: ['+12125550150'],
    jobTitle: 'Support Lead',
  });
  dialpad.addUser({
    email: `front.desk@${DOMAIN}`,
    firstName: 'Front',
    lastName: 'Desk',
    officeId: newYork,
    license: 'talk',
    phoneNumbers: ['+12125550110'],
  });

  const hire = (person: Person): string => {
    const login = `${person.first.toLowerCase()}.${person.last.toLowerCase().replace(/[^a-z]/g, '')}@${DOMAIN}`;
    return okta.createUser({
      login,
      email: login,
      firstName: person.first,
      lastName: person.last,
      ...(person.title === undefined ? {} : { title: person.title }),
      ...(person.countryCode === undefined ? {} : { countryCode: person.countryCode }),
      ...(person.department === undefined ? {} : { department: person.department }),
      userType: person.userType ?? 'Employee',
    });
  };

  const alice = hire({ first: 'Alice', last: 'Nguyen', title: 'Account Executive', countryCode: 'US' });
  okta.assignUser(alice, { licenseType: 'dialpad_talk', officeName: 'New York' });

  const bob = hire({ first: 'Bob', last: 'Martin', title: 'Engineer', countryCode: 'US' });
  okta.assignUser(bob, { licenseType: 'Dialpad_Ai Voice', officeName: 'Austin' });

  const carmen = hire({ first: 'Carmen', last: 'Diaz', title: 'Sales Director EMEA', countryCode: 'GB' });
  okta.assignUser(carmen, { licenseType: 'dialpad_sell', officeName: 'London' });

  const farah = hire({ first: 'Farah', last: 'Khan', title: 'Support Agent', countryCode: 'US' });
  okta.assignUser(farah, { licenseType: 'dialpad_support', officeName: 'Austin' });

  const george = hire({ first: 'George', last: 'Brown', title: 'Consultant', countryCode: 'US', userType: 'Contractor' });
  okta.assignUser(george, { licenseType: 'dialpad_enterprise_plus', officeName: 'New York' });

  const hana = hire({ first: 'Hana', last: 'Sato', title: 'Designer', countryCode: 'US' });
  okta.assignUser(hana, { licenseType: 'dialpad_talk', officeName: 'new york ' });

  // No office attribute matches ('Engineering' is a department, not an office): placed by country, in London.
  const ivan = hire({ first: 'Ivan', last: 'Petrov', title: 'Engineer', countryCode: 'GB', department: 'Engineering', userType: 'Contractor' });
  okta.assignUser(ivan, { licenseType: 'dialpad_talk' });

  const jordan = hire({ first: 'Jordan', last: 'Lee', title: 'Support Lead', countryCode: 'US' });
  okta.assignUser(jordan, { licenseType: 'dialpad_talk', officeName: 'New York' });

  const kate = hire({ first: 'Kate', last: "O'Connor", title: 'Recruiter', countryCode: 'US' });
  okta.assignUser(kate, { licenseType: 'dialpad_talk', officeName: 'Austin' });
  okta.setStatus(kate, 'SUSPENDED');

  // The Sales group brings three people in with the group's app profile; Liam's own profile overrides it.
  const sales = okta.createGroup('Sales');
  const dev = hire({ first: 'Dev', last: 'Patel', title: 'Account Executive', countryCode: 'US' });
  const emma = hire({ first: 'Emma', last: 'Wilson', title: 'Sales Development Rep', countryCode: 'US' });
  const liam = hire({ first: 'Liam', last: 'Chen', title: 'Sales Engineer', countryCode: 'US' });
  for (const member of [dev, emma, liam]) okta.addToGroup(sales, member);
  okta.assignGroup(sales, { licenseType: 'Dialpad_Ai Sales', officeName: 'New York' });
  okta.setAppProfile(liam, { licenseType: 'dialpad_lite', officeName: 'Austin' });

  // In Okta but not assigned to the Dialpad app: out of scope.
  hire({ first: 'Maya', last: 'Ross', title: 'Office Manager', countryCode: 'US' });

  // Who may use dialsync's console (created last so the ids above stay as they were): two admins, one viewer; the
  // others sign in with the same password but carry neither group, so the console refuses them.
  const consoleAdmins = okta.createGroup(CONSOLE_ADMINS_GROUP);
  const consoleViewers = okta.createGroup(CONSOLE_VIEWERS_GROUP);
  for (const member of [alice, jordan]) okta.addToGroup(consoleAdmins, member);
  okta.addToGroup(consoleViewers, hana);

  // For trying scoping (README, Scoping): a pilot group; George and Ivan are contractors (userType).
  const pilot = okta.createGroup(SAMPLE_PILOT_GROUP);
  for (const member of [alice, carmen, ivan]) okta.addToGroup(pilot, member);
}
