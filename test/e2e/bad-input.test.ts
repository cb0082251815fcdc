// The bad-input catalogue (docs/rules.md#bad-data), end to end through the CLI against the sandbox. Each data case
// is one bad Okta user (or one bad Dialpad response) next to two good users: the bad one gets a clear
// outcome (skipped with a code and a reason an admin can act on, or handled as documented), the skip is
// kept with the run in the store, and the good users end exactly as in a run without the bad one.
// Each config case exits 2 naming the key, and neither sandbox receives a request.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALPAD_NAME_MAX_LENGTH } from '../../src/plan/rules/desired-user.js';
import { Store } from '../../src/store/store.js';
import { hire, seedOffices, World, type ReconcileJson } from './world.js';

const GOOD = ['ann@acme.com', 'bob@acme.com'] as const;

function hireGoodUsers(world: World): void {
  hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', title: 'Engineer' }, { officeName: 'San Francisco', licenseType: 'Dialpad_Ai Voice' });
  hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe', countryCode: 'GB' }, { licenseType: 'dialpad_sell' });
}

/** What the good users look like in Dialpad and Okta: the same with or without a bad user next to them. */
function goodUsersState(world: World) {
  return GOOD.map((email) => {
    const user = world.dialpadUserByEmail(email);
    const okta = world.okta.listUsers().find((u) => u.profile.login === email);
    if (!user) return { email, missing: true };
    return {
      email,
      emails: user.emails,
      names: [user.firstName, user.lastName, user.jobTitle],
      office: world.dialpad.office(user.officeId)?.name,
      license: user.license,
      state: user.state,
      // The exact number depends on what else was handed out; its country does not.
      numberCountry: user.phoneNumbers[0]?.slice(0, 3),
      writtenBack: okta?.profile.dialpadPhone === user.phoneNumbers[0],
    };
  });
}

function goodPlan(report: ReconcileJson): string[] {
  return report.plan.users
    .filter((u) => (GOOD as readonly string[]).includes(u.email))
    .flatMap((u) => u.actions.map((a) => `${u.email} ${a.kind}`))
    .sort();
}

function goodEntries(report: ReconcileJson): unknown[] {
  const isGood = (email: string | null): boolean => (GOOD as readonly string[]).includes(email ?? '');
  return [
    ...report.plan.skipped.filter((s) => isGood(s.email)),
    ...report.plan.warnings.filter((w) => isGood(w.email)),
    ...(report.result?.actions ?? []).filter((a) => isGood(a.email) && a.outcome !== 'done'),
  ];
}

async function userErrors(world: World) {
  const store = await Store.open(world.database);
  try {
    return await store.userErrors.all();
  } finally {
    await store.close();
  }
}

async function lastRunSkips(world: World) {
  const store = await Store.open(world.database);
  try {
    const [run] = await store.runs.recent(1);
    return run?.skipped ?? null;
  } finally {
    await store.close();
  }
}

/** The Dialpad id of a user, by primary email (throws when there is none, so a case cannot pass vacuously). */
function dialpadId(world: World, email: string): string {
  const user = world.dialpadUserByEmail(email);
  if (!user) throw new Error(`no Dialpad user ${email}`);
  return user.id;
}

interface Baseline {
  state: ReturnType<typeof goodUsersState>;
  plan: string[];
}

interface DataCase {
  name: string;
  /** Makes the bad user (or response). Runs after the good users are hired. */
  setup: (world: World) => void;
  /** When given: one clean apply first (so the bad user is linked), then this breaks something. */
  thenBreak?: (world: World) => void;
  /** The expected skip of the bad user, or null when the bad user is handled without a skip. */
  skip: { code: string; reason: RegExp; email?: string | null; count?: number } | null;
  /** The exit code when it is not 0 (or 1 with `fails`): 7 when an assigned user is left unprovisioned. */
  exit?: number;
  /** When the bad data only shows at apply: the action that fails (exit 1), recorded in the store's user_errors. */
  fails?: { email: string; action: string; error: RegExp };
  /** Further checks of the bad user's outcome. */
  check?: (world: World, report: ReconcileJson, before: Map<string, string>) => void;
}

let baseline: { fresh: Baseline; synced: Baseline };

beforeAll(async () => {
  const world = await new World().start();
  try {
    seedOffices(world.dialpad);
    hireGoodUsers(world);
    const first = await world.reconcile('--apply');
    expect(first.code).toBe(0);
    const fresh = { state: goodUsersState(world), plan: goodPlan(first.report) };
    const second = await world.reconcile('--apply');
    baseline = { fresh, synced: { state: goodUsersState(world), plan: goodPlan(second.report) } };
    // The baseline itself must be a real sync, or every comparison below would be empty.
    expect(fresh.plan).toEqual(expect.arrayContaining(['ann@acme.com create', 'bob@acme.com create', 'ann@acme.com write_back']));
    expect(fresh.state.every((s) => !('missing' in s) && s.writtenBack)).toBe(true);
  } finally {
    await world.stop();
  }
});

const long = 'A'.repeat(DIALPAD_NAME_MAX_LENGTH + 45);

const dataCases: DataCase[] = [
  {
    name: 'missing email and login',
    setup: (w) => {
      const id = w.okta.createUser({ login: 'gone@acme.com', email: 'gone@acme.com', firstName: 'No', lastName: 'Login' });
      w.okta.assignUser(id);
      w.okta.corruptAppUser(id, { credentials: { userName: null }, _embedded: { user: { profile: { login: undefined, email: undefined } } } });
    },
    skip: { code: 'invalid_okta_data', reason: /profile\.login: the profile has no login/, email: null },
    check: (w) => expect(w.dialpadUserByEmail('gone@acme.com')).toBeUndefined(),
  },
  {
    name: 'numeric login (Okta types login as a string)',
    setup: (w) => {
      const id = w.okta.createUser({ login: 'num@acme.com', email: 'num@acme.com', firstName: 'Num', lastName: 'Login' });
      w.okta.assignUser(id);
      w.okta.corruptAppUser(id, { credentials: { userName: null }, _embedded: { user: { profile: { login: 12345 } } } });
    },
    skip: { code: 'invalid_okta_data', reason: /profile\.login: login is a number \(12345\), expected a string/, email: null },
    check: (w) => expect(w.dialpadUserByEmail('num@acme.com')).toBeUndefined(),
  },
  {
    name: 'boolean firstName (Okta types firstName as a string)',
    setup: (w) => {
      const id = w.okta.createUser({ login: 'bool@acme.com', email: 'bool@acme.com', firstName: 'Bool', lastName: 'Name' });
      w.okta.assignUser(id);
      w.okta.corruptAppUser(id, { _embedded: { user: { profile: { firstName: true } } } });
    },
    skip: { code: 'invalid_okta_data', reason: /the Okta user profile is malformed: firstName is a boolean \(true\), expected a string/, email: 'bool@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('bool@acme.com')).toBeUndefined(),
  },
  {
    name: 'login not an email, email fine (mapping falls through to email)',
    setup: (w) => {
      w.okta.assignUser(w.okta.createUser({ login: 'jdoe', email: 'jane.doe@acme.com', firstName: 'Jane', lastName: 'Doe' }));
    },
    skip: null,
    check: (w) => expect(w.dialpadUserByEmail('jane.doe@acme.com')).toMatchObject({ firstName: 'Jane', state: 'active' }),
  },
  {
    name: 'invalid email in login and email',
    setup: (w) => {
      w.okta.assignUser(w.okta.createUser({ login: 'zed', email: 'zed(at)acme', firstName: 'Zed', lastName: 'Bad' }));
    },
    skip: { code: 'invalid_email', reason: /login "zed" is not an email address \(tried login, email\)/, email: 'zed' },
  },
  {
    name: 'empty first and last name (blank and control characters only)',
    setup: (w) => {
      hire(w.okta, { login: 'noname@acme.com', firstName: ' ', lastName: '\t\n' });
    },
    skip: { code: 'missing_name', reason: /neither firstName nor lastName has a value/, email: 'noname@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('noname@acme.com')).toBeUndefined(),
  },
  {
    name: 'only one name',
    setup: (w) => {
      hire(w.okta, { login: 'cher@acme.com', firstName: 'Cher', lastName: '' });
    },
    skip: null,
    check: (w) => {
      expect(w.dialpadUserByEmail('cher@acme.com')).toMatchObject({ firstName: 'Cher', state: 'active' });
      expect(w.dialpadUserByEmail('cher@acme.com')?.lastName ?? '').toBe('');
    },
  },
  {
    name: `a first name over ${DIALPAD_NAME_MAX_LENGTH} characters`,
    setup: (w) => {
      hire(w.okta, { login: 'long@acme.com', firstName: long, lastName: 'Name' });
    },
    skip: { code: 'invalid_name', reason: new RegExp(`firstName is ${DIALPAD_NAME_MAX_LENGTH + 45} characters long .*limited to ${DIALPAD_NAME_MAX_LENGTH}`), email: 'long@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('long@acme.com')).toBeUndefined(),
  },
  {
    name: `a last name over ${DIALPAD_NAME_MAX_LENGTH} characters (counted in characters, not bytes)`,
    setup: (w) => {
      hire(w.okta, { login: 'longer@acme.com', firstName: 'Kim', lastName: '李'.repeat(DIALPAD_NAME_MAX_LENGTH + 1) });
    },
    skip: { code: 'invalid_name', reason: /lastName is 256 characters long/, email: 'longer@acme.com' },
  },
  {
    name: 'names with a newline, a tab and NUL',
    setup: (w) => {
      hire(w.okta, { login: 'ctrl@acme.com', firstName: 'Mary\nJane', lastName: "O'Neil\t\u0000Smith", title: 'Line\r\nBreak' });
    },
    skip: null,
    check: (w) => expect(w.dialpadUserByEmail('ctrl@acme.com')).toMatchObject({ firstName: 'Mary Jane', lastName: "O'Neil Smith", jobTitle: 'Line Break' }),
  },
  ...[
    ['Chinese', '李', '小龙'],
    ['Greek', 'Ελένη', 'Παπαδοπούλου'],
    ['Arabic', 'عربي', 'الحسن'],
    ['emoji', 'Sam 🙂', 'Rocket 🚀'],
  ].map(([script, first, last]): DataCase => ({
    name: `a ${script ?? ''} name`,
    setup: (w) => {
      hire(w.okta, { login: 'intl@acme.com', firstName: first ?? '', lastName: last ?? '' });
    },
    skip: null,
    check: (w) => expect(w.dialpadUserByEmail('intl@acme.com')).toMatchObject({ firstName: first, lastName: last }),
  })),
  {
    name: 'an unknown license',
    setup: (w) => {
      hire(w.okta, { login: 'plat@acme.com', firstName: 'Pat', lastName: 'Inum' }, { licenseType: 'dialpad_platinum' });
    },
    skip: { code: 'unknown_license', reason: /licenseType "dialpad_platinum" is not a known Dialpad license/, email: 'plat@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('plat@acme.com')).toBeUndefined(),
  },
  {
    name: 'a license in odd case with spaces',
    setup: (w) => {
      hire(w.okta, { login: 'odd@acme.com', firstName: 'Odd', lastName: 'Case' }, { licenseType: '  DIALPAD_Sell  ' });
    },
    skip: null,
    check: (w) => expect(w.dialpadUserByEmail('odd@acme.com')).toMatchObject({ license: 'agents' }),
  },
  {
    name: 'an unknown office name',
    setup: (w) => {
      hire(w.okta, { login: 'atl@acme.com', firstName: 'At', lastName: 'Lantis' }, { officeName: 'Atlantis' });
    },
    skip: null,
    check: (w, report) => {
      expect(w.dialpad.office(w.dialpadUserByEmail('atl@acme.com')?.officeId ?? '')?.name).toBe('New York');
      expect(report.plan.warnings).toContainEqual(expect.objectContaining({ email: 'atl@acme.com', message: expect.stringMatching(/officeName "Atlantis".*primary office "New York"/) }));
    },
  },
  {
    name: 'an unknown country',
    setup: (w) => {
      hire(w.okta, { login: 'zz@acme.com', firstName: 'Zed', lastName: 'Zulu', countryCode: 'ZZ' });
    },
    skip: null,
    check: (w, report) => {
      expect(w.dialpad.office(w.dialpadUserByEmail('zz@acme.com')?.officeId ?? '')?.name).toBe('New York');
      expect(report.plan.warnings).toContainEqual(expect.objectContaining({ email: 'zz@acme.com', message: expect.stringMatching(/country "ZZ".*primary office "New York"/) }));
    },
  },
  {
    name: 'two Okta users with the same email',
    setup: (w) => {
      w.okta.assignUser(w.okta.createUser({ login: 'dup.one', email: 'dup@acme.com', firstName: 'Dup', lastName: 'One' }));
      w.okta.assignUser(w.okta.createUser({ login: 'dup.two', email: 'dup@acme.com', firstName: 'Dup', lastName: 'Two' }));
    },
    skip: { code: 'duplicate_email', reason: /2 assigned Okta users have the email dup@acme\.com/, email: 'dup@acme.com', count: 2 },
    exit: 7,
    check: (w) => expect(w.dialpadUserByEmail('dup@acme.com')).toBeUndefined(),
  },
  {
    name: 'an Okta user with no profile',
    setup: (w) => {
      const id = hire(w.okta, { login: 'noprof@acme.com', firstName: 'No', lastName: 'Profile' });
      w.okta.corruptAppUser(id, { _embedded: { user: { profile: undefined } } });
    },
    skip: { code: 'invalid_okta_data', reason: /embedded Okta user is malformed: profile: missing/, email: 'noprof@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('noprof@acme.com')).toBeUndefined(),
  },
  {
    name: 'an app user with a null profile (SSO-only app)',
    setup: (w) => {
      const id = hire(w.okta, { login: 'sso@acme.com', firstName: 'Sso', lastName: 'Only' });
      w.okta.corruptAppUser(id, { profile: null });
    },
    skip: null,
    check: (w) => expect(w.dialpadUserByEmail('sso@acme.com')).toMatchObject({ license: 'talk', state: 'active' }),
  },
  {
    name: 'null custom attributes (licenseType: null, officeName: null)',
    setup: (w) => {
      const id = hire(w.okta, { login: 'nulls@acme.com', firstName: 'Nul', lastName: 'Ls' }, { licenseType: 'dialpad_sell', officeName: 'London' });
      w.okta.corruptAppUser(id, { profile: { licenseType: null, officeName: null } });
    },
    skip: null,
    check: (w) => {
      const user = w.dialpadUserByEmail('nulls@acme.com');
      expect(user?.license).toBe('talk');
      expect(w.dialpad.office(user?.officeId ?? '')?.name).toBe('New York');
    },
  },
  {
    name: 'an Okta user with an unknown status',
    setup: (w) => {
      const id = hire(w.okta, { login: 'zombie@acme.com', firstName: 'Zom', lastName: 'Bie' });
      w.okta.corruptAppUser(id, { _embedded: { user: { status: 'ZOMBIE' } } });
    },
    skip: { code: 'invalid_okta_data', reason: /status: unknown Okta user status "ZOMBIE"/, email: 'zombie@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('zombie@acme.com')).toBeUndefined(),
  },
  {
    name: 'a linked Okta user whose status turns unknown (not taken for unassigned: not suspended)',
    setup: (w) => {
      hire(w.okta, { login: 'zombie@acme.com', firstName: 'Zom', lastName: 'Bie' });
    },
    thenBreak: (w) => {
      const id = w.okta.listUsers().find((u) => u.profile.login === 'zombie@acme.com')?.id ?? '';
      w.okta.corruptAppUser(id, { _embedded: { user: { status: 'ZOMBIE' } } });
    },
    skip: { code: 'invalid_okta_data', reason: /unknown Okta user status "ZOMBIE"/, email: 'zombie@acme.com' },
    check: (w, report) => {
      expect(w.dialpadUserByEmail('zombie@acme.com')?.state).toBe('active');
      expect(report.plan.users.filter((u) => u.email === 'zombie@acme.com')).toEqual([]);
    },
  },
  {
    name: 'Dialpad sends extra fields and nulls for optional fields',
    setup: (w) => {
      hire(w.okta, { login: 'extra@acme.com', firstName: 'Ex', lastName: 'Tra' }, { licenseType: 'dialpad_support' });
    },
    thenBreak: (w) => {
      w.dialpad.corruptUser(dialpadId(w, 'extra@acme.com'), {
        foo: 'bar',
        nested_extra: { deep: [1, 2] },
        phone_numbers: null,
        job_title: null,
        country: null,
        language: null,
        display_name: null,
      });
    },
    // Read as usual (nulls are unset, extra fields ignored): nothing to do, nothing reported.
    skip: null,
    check: (w, report) => {
      expect(report.plan.users.filter((u) => u.email === 'extra@acme.com')).toEqual([]);
      expect(report.plan.warnings.filter((x) => x.email === 'extra@acme.com')).toEqual([]);
    },
  },
  {
    name: 'Dialpad sends a linked user with emails: null',
    setup: (w) => {
      hire(w.okta, { login: 'noemail@acme.com', firstName: 'No', lastName: 'Email' });
    },
    thenBreak: (w) => {
      w.dialpad.corruptUser(dialpadId(w, 'noemail@acme.com'), { emails: null });
      // A change in Okta that would otherwise be applied.
      const id = w.okta.listUsers().find((u) => u.profile.login === 'noemail@acme.com')?.id ?? '';
      w.okta.updateProfile(id, { title: 'Changed' });
    },
    skip: { code: 'invalid_dialpad_data', reason: /Dialpad returned user \d+ without any email: it is not touched/, email: 'noemail@acme.com' },
    check: (w, _report, before) => {
      expect(w.dialpadUserByEmail('noemail@acme.com')?.jobTitle ?? null).toBeNull();
      expect(w.dialpad.requests.filter((r) => r.method !== 'GET' && r.path.includes(before.get('noemail@acme.com') ?? '?'))).toEqual([]);
    },
  },
  {
    name: "Dialpad sends a linked user in an unknown state ('archived')",
    setup: (w) => {
      hire(w.okta, { login: 'arch@acme.com', firstName: 'Ar', lastName: 'Chived' });
    },
    thenBreak: (w) => {
      w.dialpad.corruptUser(dialpadId(w, 'arch@acme.com'), { state: 'archived' });
      const id = w.okta.listUsers().find((u) => u.profile.login === 'arch@acme.com')?.id ?? '';
      w.okta.updateProfile(id, { lastName: 'Renamed' });
    },
    skip: { code: 'invalid_dialpad_data', reason: /Dialpad user \d+ is in state "archived", which dialsync does not know/, email: 'arch@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('arch@acme.com')?.lastName).toBe('Chived'),
  },
  {
    name: "an unassigned Okta user whose Dialpad user is in an unknown state (not suspended)",
    setup: (w) => {
      hire(w.okta, { login: 'arch@acme.com', firstName: 'Ar', lastName: 'Chived' });
    },
    thenBreak: (w) => {
      w.dialpad.corruptUser(dialpadId(w, 'arch@acme.com'), { state: 'archived' });
      w.okta.unassignUser(w.okta.listUsers().find((u) => u.profile.login === 'arch@acme.com')?.id ?? '');
    },
    skip: { code: 'invalid_dialpad_data', reason: /no longer assigned in Okta, but Dialpad user \d+ is in state "archived"/, email: 'arch@acme.com' },
    check: (w) => expect(w.dialpadUserByEmail('arch@acme.com')?.state).toBe('active'),
  },
  {
    name: 'Dialpad sends a linked user without its id',
    setup: (w) => {
      hire(w.okta, { login: 'noid@acme.com', firstName: 'No', lastName: 'Id' });
    },
    thenBreak: (w) => {
      w.dialpad.corruptUser(dialpadId(w, 'noid@acme.com'), { id: undefined });
    },
    skip: { code: 'invalid_dialpad_data', reason: /Dialpad user \(without an id\) \(noid@acme\.com\) could not be read \(id: .*\)/, email: 'noid@acme.com' },
    check: (w, report) => {
      // Never acted on: no second user, no write; and reported.
      expect(w.dialpad.users().filter((u) => u.emails.includes('noid@acme.com'))).toHaveLength(1);
      expect(w.dialpad.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(report.plan.warnings).toContainEqual(expect.objectContaining({ email: 'noid@acme.com', message: expect.stringMatching(/could not be read .*not acted on/) }));
    },
  },
  {
    name: 'a Dialpad user without id that has the email of a new Okta user (no duplicate created)',
    setup: (w) => {
      const office = w.dialpad.offices().find((o) => o.name === 'New York')?.id ?? '';
      const id = w.dialpad.addUser({ email: 'preexisting@acme.com', firstName: 'Pre', lastName: 'Existing', officeId: office });
      w.dialpad.corruptUser(id, { id: undefined });
      hire(w.okta, { login: 'preexisting@acme.com', firstName: 'Pre', lastName: 'Existing' });
    },
    skip: { code: 'invalid_dialpad_data', reason: /could not be read .* has the email preexisting@acme\.com: not created or adopted/, email: 'preexisting@acme.com' },
    check: (w) => {
      expect(w.dialpad.users().filter((u) => u.emails.includes('preexisting@acme.com'))).toHaveLength(1);
      expect(w.dialpad.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/users').map((r) => (r.body as { email?: string }).email).sort()).toEqual([...GOOD]);
    },
  },
  {
    name: 'a Dialpad user listed with emails: null whose real email is a new Okta user (create refused, recorded, not retried blindly)',
    setup: (w) => {
      const office = w.dialpad.offices().find((o) => o.name === 'New York')?.id ?? '';
      const id = w.dialpad.addUser({ email: 'hidden@acme.com', firstName: 'Hid', lastName: 'Den', officeId: office });
      w.dialpad.corruptUser(id, { emails: null });
      hire(w.okta, { login: 'hidden@acme.com', firstName: 'Hid', lastName: 'Den' });
    },
    // The listing hides the email, so the plan creates; Dialpad refuses (409), and the look-up by email
    // cannot show that the holder is this user: nothing adopted, the failure kept in user_errors.
    skip: null,
    fails: { email: 'hidden@acme.com', action: 'create', error: /409|already|exists|conflict/i },
    check: (w) => expect(w.dialpad.users().filter((u) => u.emails.includes('hidden@acme.com'))).toHaveLength(1),
  },
  {
    name: 'an upper-case Okta email matching a lower-case Dialpad email (adopted, not duplicated)',
    setup: (w) => {
      const office = w.dialpad.offices().find((o) => o.name === 'New York')?.id ?? '';
      w.dialpad.addUser({ email: 'casey.up@acme.com', firstName: 'Casey', lastName: 'Up', officeId: office });
      hire(w.okta, { login: 'Casey.UP@Acme.com', firstName: 'Casey', lastName: 'Up' });
    },
    skip: null,
    check: (w, report) => {
      expect(w.dialpad.users().filter((u) => u.emails.some((e) => e.toLowerCase() === 'casey.up@acme.com'))).toHaveLength(1);
      expect(report.plan.users.find((u) => u.email === 'Casey.UP@Acme.com')?.actions.map((a) => a.kind)).toContain('adopt');
      // The case of the address is not "fixed" into a needless email update.
      expect(report.plan.users.find((u) => u.email === 'Casey.UP@Acme.com')?.actions.map((a) => a.kind)).not.toContain('update');
    },
  },
];

describe('bad input: data (one bad user next to two good ones)', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  async function startWorld(): Promise<World> {
    world = await new World().start();
    return world;
  }

  it('the catalogue has at least 25 cases with the config cases below', () => {
    expect(dataCases.length + configCases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(dataCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const world = await startWorld();
    seedOffices(world.dialpad);
    hireGoodUsers(world);
    c.setup(world);
    const before = new Map<string, string>();
    if (c.thenBreak) {
      const first = await world.reconcile('--apply');
      expect(first.code).toBe(0);
      for (const user of world.dialpad.users()) if (user.emails[0]) before.set(user.emails[0], user.id);
      c.thenBreak(world);
      world.clearRequests();
    }

    const { code, report } = await world.reconcile('--apply');
    expect(code).toBe(c.fails ? 1 : (c.exit ?? 0));

    // The bad one's outcome.
    if (c.skip) {
      const mine = report.plan.skipped.filter((s) => s.code === c.skip?.code && c.skip.reason.test(s.reason));
      expect(mine, JSON.stringify(report.plan.skipped)).toHaveLength(c.skip.count ?? 1);
      if (c.skip.email !== undefined) for (const s of mine) expect(s.email).toBe(c.skip.email);
      // Kept with the run in the store.
      const stored = await lastRunSkips(world);
      expect(stored).toEqual(expect.arrayContaining(mine.map((s) => expect.objectContaining({ code: s.code, reason: s.reason }))));
    } else {
      expect(report.plan.skipped, JSON.stringify(report.plan.skipped)).toEqual([]);
      expect(await lastRunSkips(world)).toEqual([]);
    }
    if (c.fails) {
      const { email, action, error } = c.fails;
      expect(report.result?.failedUsers).toHaveLength(1);
      expect(report.result?.actions).toContainEqual(expect.objectContaining({ email, kind: action, outcome: 'failed', error: expect.stringMatching(error) }));
      expect(await userErrors(world)).toEqual([expect.objectContaining({ email, action, message: expect.stringMatching(error), consecutiveFailures: 1 })]);
    } else {
      expect(report.result?.failedUsers).toEqual([]);
      expect(await userErrors(world)).toEqual([]);
    }
    c.check?.(world, report, before);

    // No other user affected.
    const expected = c.thenBreak ? baseline.synced : baseline.fresh;
    expect(goodPlan(report)).toEqual(expected.plan);
    expect(goodEntries(report)).toEqual([]);
    expect(goodUsersState(world)).toEqual(expected.state);
  });
});

describe('bad input in a targeted run (one user read by id, as --user, the System Log and hooks read them)', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
  });

  it('skips a user whose app user Okta answers malformed, with the reason, instead of failing the run', async () => {
    world = await new World().start();
    seedOffices(world.dialpad);
    hireGoodUsers(world);
    const id = world.okta.createUser({ login: 'bool@acme.com', email: 'bool@acme.com', firstName: 'Bool', lastName: 'Name' });
    world.okta.assignUser(id);
    expect((await world.reconcile('--apply')).code).toBe(0);
    // Linked and synced; then Okta starts answering its app user with a boolean firstName.
    const linked = world.dialpadUserByEmail('bool@acme.com');
    expect(linked?.state).toBe('active');
    world.okta.corruptAppUser(id, { _embedded: { user: { profile: { firstName: true } } } });

    const { code, report, stderr } = await world.reconcile('--apply', '--user', 'bool@acme.com');
    expect(code, stderr).toBe(0);
    expect(report.plan.skipped).toEqual([
      expect.objectContaining({ code: 'invalid_okta_data', oktaUserId: id, reason: expect.stringMatching(/firstName is a boolean \(true\), expected a string/) }),
    ]);
    // Skipped, never taken for unassigned: the Dialpad user is left as it was.
    expect(report.plan.users).toEqual([]);
    expect(world.dialpadUserByEmail('bool@acme.com')?.state).toBe('active');
  });
});

// ---- config: exit 2 naming the key, and nothing contacted ----

interface ConfigCase {
  name: string;
  yaml?: string;
  env?: Record<string, string>;
  key: string;
}

const configCases: ConfigCase[] = [
  { name: 'an unknown key', yaml: 'dialpad:\n  requestsPerSec: 10\n', key: 'dialpad.requestsPerSec' },
  { name: 'an Okta URL that is not a URL', env: { OKTA_ORG_URL: 'acme.okta' }, key: 'OKTA_ORG_URL' },
  { name: 'a Dialpad URL in the file that is not http(s)', yaml: 'dialpad:\n  baseUrl: ftp://dialpad.com\n', key: 'dialpad.baseUrl' },
  { name: 'a bad cron expression', yaml: 'daemon:\n  schedule: "at noon"\n', key: 'daemon.schedule' },
  { name: 'a bad time zone', yaml: 'daemon:\n  timezone: Europe/Atlantis\n', key: 'daemon.timezone' },
  { name: 'a negative mass-suspend threshold', yaml: 'safety:\n  massSuspend:\n    count: -3\n', key: 'safety.massSuspend.count' },
  { name: 'a negative license cap', yaml: 'licenseCaps:\n  talk: -1\n', key: 'licenseCaps.talk' },
  { name: 'an unreadable private key file', env: { OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaSERVICE', OKTA_PRIVATE_KEY_FILE: '/nonexistent/okta.pem' }, key: 'OKTA_PRIVATE_KEY_FILE' },
  { name: 'a YAML list at the top level', yaml: '- okta\n- dialpad\n', key: '--config' },
  { name: 'a secret in the config file', yaml: 'dialpad:\n  apiKey: do-not-put-me-here\n', key: 'dialpad.apiKey' },
];

describe('bad input: config (exit 2, the key named, nothing contacted)', () => {
  let world: World;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dialsync-bad-config-'));
  });
  afterEach(async () => {
    await world.stop();
  });

  it.each(configCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    world = await new World().start();
    seedOffices(world.dialpad);
    hireGoodUsers(world);
    if (c.env) world.extraEnv = c.env;
    const args = ['reconcile', '--apply'];
    if (c.yaml !== undefined) {
      const path = join(dir, `${c.key.replace(/\W/g, '_')}.yaml`);
      writeFileSync(path, c.yaml);
      args.push('--config', path);
    }
    const run = await world.cli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`configuration error: ${c.key}:`);
    expect(run.stderr).not.toContain('do-not-put-me-here');
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('an empty config file runs with the defaults', async () => {
    world = await new World().start();
    seedOffices(world.dialpad);
    hireGoodUsers(world);
    const path = join(dir, 'empty.yaml');
    writeFileSync(path, '');
    const run = await world.cli('reconcile', '--apply', '--json', '--config', path);
    expect(run.code).toBe(0);
    expect(goodUsersState(world)).toEqual(baseline.fresh.state);
  });
});
