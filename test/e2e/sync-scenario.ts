// A 22-user org whose next `reconcile --apply` needs every kind of write: creates with and without a job title,
// adoptions (one with an update), an update, a domestic and an international office move, a suspend, a
// reactivation, a number assignment and write-backs. Built directly (sandbox admin calls and store links), so
// the same starting state can be rebuilt quickly as often as a test needs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DialpadSandbox, type DialpadSandboxOptions } from '../../sandbox/dialpad/sandbox.js';
import { OktaSandbox, type OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';
import { beforeEach, expect } from 'vitest';
import { Store } from '../../src/store/store.js';
import { perTest } from '../per-test.js';
import { runCliInProcess, type CliRun } from './in-process-cli.js';

export interface ScenarioWorld {
  okta: OktaSandbox;
  dialpad: DialpadSandbox;
  database: string;
  /** A config file for `--config`: the tests use Dialpad's full documented budget to keep the runs short. */
  configFile: string;
  /** Numbers some user held before the run: their values are stable across runs. */
  numbersBefore: ReadonlySet<string>;
  env(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const OFFICES = { ny: 'New York', sf: 'San Francisco', ldn: 'London' } as const;
type OfficeKey = keyof typeof OFFICES;

interface Person {
  key: string;
  office: OfficeKey;
  title?: string;
}

const LINKED: Person[] = Array.from({ length: 12 }, (_, i) => ({
  key: `u${i + 1}`,
  office: (['ny', 'sf', 'ldn'] as const)[i % 3] as OfficeKey,
  ...(i % 2 === 0 ? { title: 'Engineer' } : {}),
}));
const HIRES: Person[] = [
  { key: 'n1', office: 'ny', title: 'Account Executive' },
  { key: 'n2', office: 'sf', title: 'Designer' },
  { key: 'n3', office: 'ldn', title: 'Recruiter' },
  { key: 'n4', office: 'ny', title: 'Analyst' },
  { key: 'n5', office: 'ny' },
  { key: 'n6', office: 'sf' },
  { key: 'n7', office: 'ldn' },
  { key: 'n8', office: 'sf' },
];

const email = (key: string): string => `${key}@acme.com`;
const lastName = (key: string): string => `Person${key.toUpperCase()}`;

export async function buildScenario(options: { okta?: OktaSandboxOptions; dialpad?: DialpadSandboxOptions } = {}): Promise<ScenarioWorld> {
  const okta = new OktaSandbox(options.okta);
  const dialpad = new DialpadSandbox(options.dialpad);
  await Promise.all([okta.start(), dialpad.start()]);
  const folder = mkdtempSync(join(tmpdir(), 'dialsync-scenario-'));
  const database = join(folder, 'dialsync.sqlite');
  const configFile = join(folder, 'dialsync.yaml');
  // A short run lock: a run SIGKILLed while holding it leaves a lease that expires in 3 s, not 15.
  writeFileSync(configFile, 'dialpad:\n  requestsPerSecond: 20\nlock:\n  ttlSeconds: 3\n  renewIntervalSeconds: 1\n');

  const officeIds: Record<OfficeKey, string> = {
    ny: dialpad.addOffice({ name: OFFICES.ny, country: 'us', isPrimary: true, mainLine: '+12125550100' }),
    sf: dialpad.addOffice({ name: OFFICES.sf, country: 'us', mainLine: '+14155550100' }),
    ldn: dialpad.addOffice({ name: OFFICES.ldn, country: 'gb', mainLine: '+442071230000' }),
  };
  dialpad.addNumbers(officeIds.ny, ['+12125550181', '+12125550182']);
  const prefix: Record<OfficeKey, string> = { ny: '+1212555', sf: '+1415555', ldn: '+44207123' };
  const numberOf = (person: Person, index: number): string => `${prefix[person.office]}${3000 + index}`;

  const hire = (person: Person, officeName: string, title = person.title, extra: Record<string, string> = {}): string => {
    const id = okta.createUser({ login: email(person.key), email: email(person.key), firstName: 'Pat', lastName: lastName(person.key), ...(title ? { title } : {}), ...extra });
    okta.assignUser(id, { officeName });
    return id;
  };

  const store = await Store.open(database);
  const numbersBefore = new Set<string>();
  try {
    for (const [index, person] of LINKED.entries()) {
      const number = numberOf(person, index);
      // u4 was suspended by an earlier run (unassigned then), and is assigned again now: reactivate.
      // u5's number was taken away in Dialpad: assign one and write it back.
      const withNumber = person.key !== 'u5';
      const oktaId = hire(person, OFFICES[person.office], person.title, withNumber ? { dialpadPhone: number } : {});
      const dialpadId = dialpad.addUser({
        email: email(person.key),
        firstName: 'Pat',
        lastName: lastName(person.key),
        officeId: officeIds[person.office],
        license: 'talk',
        phoneNumbers: withNumber ? [number] : [],
        ...(person.title ? { jobTitle: person.title } : {}),
        ...(person.key === 'u4' ? { state: 'suspended' as const } : {}),
      });
      if (withNumber) numbersBefore.add(number);
      await store.links.save({ oktaUserId: oktaId, dialpadUserId: dialpadId, origin: 'created' }, email(person.key));

      if (person.key === 'u1') okta.updateProfile(oktaId, { title: 'Staff Engineer' });
      // u2 moves San Francisco → New York (domestic), u6 London → New York (international: a new number).
      if (person.key === 'u2') okta.setAppProfile(oktaId, { officeName: OFFICES.ny });
      if (person.key === 'u3') okta.unassignUser(oktaId);
      if (person.key === 'u6') okta.setAppProfile(oktaId, { officeName: OFFICES.ny });
    }
  } finally {
    await store.close();
  }

  for (const person of HIRES) hire(person, OFFICES[person.office]);

  // Already in Dialpad, unknown to dialsync: adopted by email; a2's Dialpad last name is out of date.
  for (const [index, key] of ['a1', 'a2'].entries()) {
    const number = `+1212555${4000 + index}`;
    dialpad.addUser({ email: email(key), firstName: 'Pat', lastName: key === 'a2' ? 'Oldname' : lastName(key), officeId: officeIds.ny, license: 'talk', phoneNumbers: [number] });
    numbersBefore.add(number);
    hire({ key, office: 'ny' }, OFFICES.ny);
  }

  return {
    okta,
    dialpad,
    database,
    configFile,
    numbersBefore,
    env: () => ({
      OKTA_ORG_URL: okta.url,
      OKTA_APP_ID: okta.appId,
      OKTA_API_TOKEN: okta.token,
      DIALPAD_BASE_URL: dialpad.url,
      DIALPAD_API_KEY: dialpad.apiKey,
      DIALSYNC_DATABASE: database,
      DIALSYNC_LOG_LEVEL: 'warn',
    }),
    stop: async () => {
      await Promise.all([okta.stop(), dialpad.stop()]);
      rmSync(dirname(database), { recursive: true, force: true });
    },
  };
}

/** Every in-scope Okta login, for the invariants. */
export const IN_SCOPE = [...LINKED.filter((p) => p.key !== 'u3'), ...HIRES, { key: 'a1' }, { key: 'a2' }].map((p) => email(p.key)).sort();

export interface EndState {
  dialpad: { email: string; office: string; license: string; state: string; jobTitle: string | null; numbers: string[] }[];
  oktaPhones: Record<string, string | null>;
}

/**
 * What a run leaves behind, comparable across runs: numbers that existed before are shown as they are; numbers
 * handed out during the run depend on the order in which concurrent requests reached the pool, so they show as "new".
 */
export function endState(world: ScenarioWorld): EndState {
  const officeNames = new Map(world.dialpad.offices().map((office) => [office.id, office.name]));
  const show = (number: string): string => (world.numbersBefore.has(number) ? number : 'new');
  const dialpad = world.dialpad
    .users()
    .filter((user) => user.state !== 'deleted')
    .map((user) => ({
      email: user.emails[0] ?? '',
      office: officeNames.get(user.officeId) ?? user.officeId,
      license: user.license,
      state: user.state,
      jobTitle: user.jobTitle,
      numbers: user.phoneNumbers.map(show),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
  const oktaPhones: Record<string, string | null> = {};
  for (const user of world.okta.listUsers()) {
    const phone = user.profile.dialpadPhone;
    oktaPhones[String(user.profile.login)] = typeof phone === 'string' && phone !== '' ? show(phone) : null;
  }
  return { dialpad, oktaPhones };
}

/** Problems with the invariants that must hold after any completed run: no duplicate user, no lost write-back. */
export function invariantViolations(world: ScenarioWorld): string[] {
  const problems: string[] = [];
  const live = world.dialpad.users().filter((user) => user.state !== 'deleted' && user.state !== 'cancelled');
  const byEmail = new Map<string, typeof live>();
  for (const user of live) {
    const key = (user.emails[0] ?? '').toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), user]);
  }
  for (const [address, users] of byEmail) if (users.length > 1) problems.push(`${users.length} Dialpad users have ${address}`);
  const oktaByLogin = new Map(world.okta.listUsers().map((user) => [String(user.profile.login), user]));
  for (const login of IN_SCOPE) {
    const dialpadUser = byEmail.get(login)?.[0];
    if (!dialpadUser) {
      problems.push(`${login} has no Dialpad user`);
      continue;
    }
    const phone = oktaByLogin.get(login)?.profile.dialpadPhone ?? null;
    const primary = dialpadUser.phoneNumbers[0] ?? null;
    if (phone !== primary) problems.push(`${login}: Okta dialpadPhone ${String(phone)} but Dialpad primary number ${String(primary)}`);
  }
  return problems;
}

/**
 * Registers the hooks that, before each test of the file or describe block it is called in, build the scenario
 * (with the sandbox `options`), write `configYaml` to its config file and apply it once (that first run must exit
 * 0: the org is then synced), and stop it after each test. Returns the accessor to the running scenario; it throws
 * outside a test of that block.
 */
export function useSyncedScenario(options: { okta?: OktaSandboxOptions; dialpad?: DialpadSandboxOptions }, configYaml: string): () => ScenarioWorld {
  const scenario = perTest('useSyncedScenario', () => buildScenario(options), (world) => world.stop());
  beforeEach(async () => {
    const world = scenario();
    writeFileSync(world.configFile, configYaml);
    const first = await runInProcess(world, ['reconcile', '--apply']);
    expect(first.code, first.stderr).toBe(0);
  });
  return scenario;
}

/** `reconcile --apply --json EXTRA` on the scenario, in this process, its report parsed as `Report`; throws with the output when it printed no JSON. */
export async function applyInProcess<Report>(world: ScenarioWorld, ...extra: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await runInProcess(world, ['reconcile', '--apply', '--json', ...extra]);
  try {
    return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
  } catch {
    throw new Error(`no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** The CLI run in this process (faster than a child: no second load of the Okta SDK). */
export async function runInProcess(world: ScenarioWorld, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCliInProcess([...args, '--config', world.configFile], { ...world.env(), ...env });
}

