// A failure every user of a run shares (the write-back attribute missing from Okta's profile schema, a revoked key,
// an outage, the rate limit used up) is systemic: it counts toward nobody's quarantine, is reported once with what
// to do, and the run exits 6. Against the stateful sandboxes, across several runs.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { useWorldPerTest, type Offices } from './use-world.js';
import { hire, World, type ReconcileJson } from './world.js';

interface SystemicJson extends ReconcileJson {
  systemic: { code: string; users: number; summary: string; hint: string; rule: string }[];
  quarantineStall: number;
}

interface StatusJson {
  failingUsers: { email: string; consecutiveFailures: number; cause: string | null }[];
  quarantined: { email: string }[];
}

const start = useWorldPerTest();

async function reconcile(w: World, ...args: string[]): Promise<{ code: number; report: SystemicJson; stderr: string }> {
  const run = await w.reconcile('--apply', ...args);
  return { ...run, report: run.report as SystemicJson };
}

async function status(w: World): Promise<StatusJson> {
  return JSON.parse((await w.cli('status', '--json')).stdout) as StatusJson;
}

const NEW_HIRES = Array.from({ length: 11 }, (_, i) => `hire${String(i + 1).padStart(2, '0')}@acme.com`);

/**
 * The 14-user org: 11 to be created, 1 to be adopted (a Dialpad user with a number), and 2 that are skipped for
 * their data every run (an unknown licenseType, no name). Returns the Okta ids by login.
 */
function fourteenUserOrg(w: World, offices: Offices): Map<string, string> {
  const ids = new Map<string, string>();
  NEW_HIRES.forEach((login, i) => {
    ids.set(login, hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: i % 2 === 0 ? 'New York' : 'San Francisco' }));
  });
  w.dialpad.addUser({ email: 'ada@acme.com', firstName: 'Ada', lastName: 'Old', officeId: offices.newYork, phoneNumbers: ['+12125550170'] });
  ids.set('ada@acme.com', hire(w.okta, { login: 'ada@acme.com', firstName: 'Ada', lastName: 'Old' }, { officeName: 'New York' }));
  ids.set('lic@acme.com', hire(w.okta, { login: 'lic@acme.com', firstName: 'Li', lastName: 'Cense' }, { licenseType: 'dialpad_premium' }));
  const nameless = w.okta.createUser({ login: 'noname@acme.com', email: 'noname@acme.com' });
  w.okta.assignUser(nameless);
  ids.set('noname@acme.com', nameless);
  return ids;
}

function dialpadPhoneOf(w: World, oktaUserId: string): unknown {
  return w.okta.getUser(oktaUserId)?.profile.dialpadPhone;
}

describe('the write-back attribute missing from the Okta profile schema', () => {
  it('three runs exit 6 and quarantine nobody; once the attribute exists every dialpadPhone is written, then nothing', async () => {
    const { world: w, offices } = await start({ okta: { customUserAttributes: [] } });
    const ids = fourteenUserOrg(w, offices);
    const planned = [...NEW_HIRES, 'ada@acme.com'].sort();

    for (let run = 1; run <= 3; run += 1) {
      const { code, report } = await reconcile(w);
      expect(code, `run ${run}`).toBe(6);
      expect(report.outcome).toBe('systemic');
      expect(report.systemic).toEqual([
        expect.objectContaining({
          code: 'okta.E0000001',
          users: 12,
          rule: 'shared',
          summary: expect.stringContaining("Property name 'dialpadPhone' is not defined in profile schema"),
          hint: expect.stringContaining('add the attribute dialpadPhone to the Okta user profile (Directory → Profile Editor)'),
        }),
      ]);
      expect(report.plan.skipped.map((s) => s.code).sort()).toEqual(['missing_name', 'unknown_license']);
      // Every planned user is tried every run, the write-back included.
      expect(report.plan.users.map((u) => u.email).sort()).toEqual(planned);
      expect(report.result?.actions.filter((a) => a.kind === 'write_back' && a.outcome === 'failed')).toHaveLength(12);
      expect((await status(w)).failingUsers).toEqual([]);
    }
    expect(w.dialpad.users().filter((u) => u.state === 'active')).toHaveLength(12);
    expect((await status(w)).quarantined).toEqual([]);

    w.okta.defineUserAttribute('dialpadPhone');
    const fixed = await reconcile(w);
    expect(fixed.code).toBe(0);
    expect(fixed.report.systemic).toEqual([]);
    for (const login of planned) {
      const number = w.dialpadUserByEmail(login)?.phoneNumbers[0];
      expect(number, login).toMatch(/^\+1/);
      expect(dialpadPhoneOf(w, ids.get(login) ?? ''), login).toBe(number);
    }

    w.clearRequests();
    const quiet = await reconcile(w);
    expect(quiet.code).toBe(0);
    expect(w.writeRequests()).toEqual([]);
  });

  it('is reported once in the text output, with what to do', async () => {
    const { world: w, offices } = await start({ okta: { customUserAttributes: [] } });
    fourteenUserOrg(w, offices);
    const run = await w.cli('reconcile', '--apply');
    expect(run.code).toBe(6);
    expect(run.stdout.split("Property name 'dialpadPhone' is not defined").length - 1).toBe(1);
    expect(run.stdout).toContain('Systemic failure: Okta refused write_back for 12 users [okta.E0000001]');
    expect(run.stdout).toContain('To fix: add the attribute dialpadPhone to the Okta user profile (Directory → Profile Editor)');
    expect(run.stdout.split('systemic failure [okta.E0000001]: see below').length - 1).toBe(12);
  });

  it("a user's own failure in the same runs still counts for that user alone", async () => {
    const { world: w, offices } = await start({ okta: { customUserAttributes: [] } });
    const ids = fourteenUserOrg(w, offices);
    w.dialpad.addOffice({ name: 'Austin', country: 'us', mainLine: '+15125550100', licenses: { talk_lines: 0 } });
    expect((await reconcile(w)).code).toBe(6);
    // hire01 moves to an office with no line left: Dialpad refuses the move, run after run.
    w.okta.setAppProfile(ids.get('hire01@acme.com') ?? '', { officeName: 'Austin' });
    for (let run = 1; run <= 3; run += 1) {
      const { code, report } = await reconcile(w);
      expect(code).toBe(6);
      // Her write-back does not need the move, so it is tried (and refused) too: 12 users share the cause.
      expect(report.systemic.map((s) => [s.code, s.users])).toEqual([['okta.E0000001', 12]]);
    }
    const after = await status(w);
    expect(after.failingUsers).toEqual([expect.objectContaining({ email: 'hire01@acme.com', consecutiveFailures: 3, cause: 'dialpad.bad_request' })]);

    const fourth = await reconcile(w);
    expect(fourth.report.plan.skipped.filter((s) => s.code === 'quarantined')).toEqual([
      expect.objectContaining({ email: 'hire01@acme.com', reason: expect.stringContaining('[dialpad.bad_request]') }),
    ]);
    expect(fourth.report.plan.users).toHaveLength(11);

    const released = await w.cli('release', '--cause', 'dialpad.bad_request');
    expect(released.code).toBe(0);
    expect(released.stdout).toContain('Released 1 user ');
    expect((await reconcile(w)).report.plan.users.map((u) => u.email)).toContain('hire01@acme.com');
    expect((await w.cli('release', '--cause', 'dialpad.no_such_cause')).code).toBe(2);
  });

  it('users quarantined earlier for the cause that turns out systemic are tried again, and synced once it clears', async () => {
    const { world: w, offices } = await start({ okta: { customUserAttributes: [] } });
    const ids = fourteenUserOrg(w, offices);
    expect((await reconcile(w)).code).toBe(6);
    // As targeted runs could have left them: two users counted 3 runs with the cause's code.
    const store = await Store.open(w.database);
    try {
      for (const login of ['hire01@acme.com', 'hire02@acme.com']) {
        for (const runId of ['r1', 'r2', 'r3']) {
          await store.userErrors.record({ userKey: `okta:${ids.get(login)}`, oktaUserId: ids.get(login) ?? null, email: login, runId, action: 'write_back', message: 'Okta: HTTP 400', cause: 'okta.E0000001' });
        }
      }
    } finally {
      await store.close();
    }
    const second = await reconcile(w);
    expect(second.code).toBe(6);
    expect(second.report.plan.skipped.filter((s) => s.code === 'quarantined')).toEqual([]);
    expect(second.report.systemic[0]).toMatchObject({ code: 'okta.E0000001', users: 12 });

    w.okta.defineUserAttribute('dialpadPhone');
    expect((await reconcile(w)).code).toBe(0);
    expect(dialpadPhoneOf(w, ids.get('hire01@acme.com') ?? '')).toBe(w.dialpadUserByEmail('hire01@acme.com')?.phoneNumbers[0]);
    expect((await status(w)).failingUsers).toEqual([]);
  });
});

describe('the write-back attribute missing from the app user profile (writeBack.target: appUser)', () => {
  it('exits 6 naming the Dialpad app user profile; once defined there, every number is written', async () => {
    const { world: w } = await start({ okta: { appUserAttributes: ['officeName', 'licenseType'] } });
    const ids = NEW_HIRES.slice(0, 4).map((login, i) => hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: 'New York' }));
    const config = w.configFile('writeBack:\n  target: appUser\n');
    const { code, report } = await reconcile(w, '--config', config);
    expect(code).toBe(6);
    expect(report.systemic).toEqual([
      expect.objectContaining({ code: 'okta.E0000001', users: 4, hint: expect.stringContaining('add the attribute dialpadPhone to the Dialpad app user profile') }),
    ]);
    expect((await status(w)).failingUsers).toEqual([]);

    w.okta.defineAppUserAttribute('dialpadPhone');
    expect((await reconcile(w, '--config', config)).code).toBe(0);
    for (const [i, id] of ids.entries()) expect(w.okta.getAppUser(id)?.profile.dialpadPhone).toBe(w.dialpadUserByEmail(NEW_HIRES[i] ?? '')?.phoneNumbers[0]);
  });
});

describe('other systemic causes', () => {
  it('Dialpad revokes the key mid-run: exit 6 naming DIALPAD_API_KEY, nobody counted; with the new key all are created once', async () => {
    let writes = 0;
    const { world: w } = await start({
      dialpad: {
        onWriteRequest: () => {
          writes += 1;
          if (writes === 3) w.dialpad.revokeApiKey();
        },
      },
    });
    NEW_HIRES.forEach((login, i) => hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: 'New York' }));
    const { code, report } = await reconcile(w, '--config', w.configFile('concurrency: 1\n'));
    expect(code).toBe(6);
    expect(report.systemic).toEqual([expect.objectContaining({ code: 'dialpad.unauthorized', rule: 'auth', hint: expect.stringContaining('DIALPAD_API_KEY') })]);
    // The first creates went through before the key was revoked; the rest were refused.
    expect(w.dialpad.users()).toHaveLength(3);
    expect((await status(w)).failingUsers).toEqual([]);

    w.extraEnv.DIALPAD_API_KEY = w.dialpad.apiKey;
    const healed = await reconcile(w);
    expect(healed.code).toBe(0);
    for (const login of NEW_HIRES) expect(w.dialpadUserByEmail(login), login).toBeDefined();
  });

  it('Dialpad answers 503 to every create: exit 6 three runs in a row, nobody quarantined; after the outage all are created', async () => {
    let outage = true;
    const { world: w } = await start({
      dialpad: { faults: { rate: 1, kinds: ['503'], applies: (request) => outage && request.method === 'POST' && request.path === '/api/v2/users' } },
    });
    NEW_HIRES.forEach((login, i) => hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: 'New York' }));
    const config = w.configFile('dialpad:\n  maxRetries: 0\n');
    for (let run = 1; run <= 3; run += 1) {
      const { code, report } = await reconcile(w, '--config', config);
      expect(code).toBe(6);
      expect(report.systemic).toEqual([expect.objectContaining({ code: 'dialpad.unavailable', users: 11, hint: expect.stringContaining('Dialpad is failing') })]);
    }
    expect((await status(w)).failingUsers).toEqual([]);
    outage = false;
    const after = await reconcile(w, '--config', config);
    expect(after.code).toBe(0);
    expect(w.dialpad.users()).toHaveLength(11);
  });

  it("Okta's rate limit used up for every write-back: exit 6, nobody counted", async () => {
    const { world: w } = await start({
      okta: { faults: { rate: 1, kinds: ['429'], applies: (request) => request.method === 'POST' && request.path.startsWith('/api/v1/users/') } },
    });
    NEW_HIRES.slice(0, 4).forEach((login, i) => hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: 'New York' }));
    const { code, report } = await reconcile(w, '--config', w.configFile('okta:\n  maxRetries: 2\n'));
    expect(code).toBe(6);
    expect(report.systemic).toEqual([expect.objectContaining({ code: 'okta.rate_limited', users: 4 })]);
    // Each write-back was refused, then retried twice after the reset, then given up.
    expect(w.okta.faults?.injected['429']).toBe(12);
    expect((await status(w)).failingUsers).toEqual([]);
    expect(w.dialpad.users()).toHaveLength(4);
  });
});

describe('the same data refusal for two users', () => {
  it('is each one\'s own: exit 1, both counted every run, both quarantined after quarantineAfter runs, never systemic', async () => {
    const { world: w } = await start();
    const alice = hire(w.okta, { login: 'alice@acme.com', firstName: 'Alice', lastName: 'Ash', title: 'Engineer' }, { officeName: 'New York' });
    const bob = hire(w.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Birch', title: 'Engineer' }, { officeName: 'New York' });
    hire(w.okta, { login: 'carol@acme.com', firstName: 'Carol', lastName: 'Cole', title: 'Engineer' }, { officeName: 'New York' });
    expect((await reconcile(w)).code).toBe(0);
    w.dialpad.refuse({ method: 'PATCH', path: /^\/api\/v2\/users\/\d+$/, field: 'job_title', when: (value) => typeof value === 'string' && value.startsWith('BAD') });
    w.okta.updateProfile(alice, { title: 'BAD title A' });
    w.okta.updateProfile(bob, { title: 'BAD title B' });

    for (let run = 1; run <= 3; run += 1) {
      const { code, report } = await reconcile(w);
      expect(code, `run ${run}`).toBe(1);
      expect(report.systemic).toEqual([]);
      expect((await status(w)).failingUsers.map((u) => [u.email, u.consecutiveFailures, u.cause]).sort()).toEqual([
        ['alice@acme.com', run, 'dialpad.bad_request'],
        ['bob@acme.com', run, 'dialpad.bad_request'],
      ]);
    }
    const fourth = await reconcile(w);
    expect(fourth.report.plan.skipped.filter((s) => s.code === 'quarantined').map((s) => s.email).sort()).toEqual(['alice@acme.com', 'bob@acme.com']);
    expect(fourth.report.systemic).toEqual([]);
    expect((await status(w)).quarantined.map((u) => u.email).sort()).toEqual(['alice@acme.com', 'bob@acme.com']);
  });

  it('a cause known systemic (three users refused) lapses once only two are: they are counted, not excused for ever', async () => {
    const { world: w } = await start();
    const logins = ['alice@acme.com', 'bob@acme.com', 'carol@acme.com'];
    const ids = logins.map((login) => hire(w.okta, { login, firstName: 'Some', lastName: 'One', title: 'Engineer' }, { officeName: 'New York' }));
    expect((await reconcile(w)).code).toBe(0);
    w.dialpad.refuse({ method: 'PATCH', path: /^\/api\/v2\/users\/\d+$/, field: 'job_title', when: (value) => typeof value === 'string' && value.startsWith('BAD') });
    for (const id of ids) w.okta.updateProfile(id, { title: 'BAD' });
    const shared = await reconcile(w);
    expect(shared.code).toBe(6);
    expect(shared.report.systemic).toEqual([expect.objectContaining({ code: 'dialpad.bad_request', users: 3, rule: 'shared', hint: expect.stringContaining('the same 400 "Invalid job_title"') })]);
    expect((await status(w)).failingUsers).toEqual([]);

    // carol's title is fixed in Okta; her update goes through, the other two stay refused.
    w.okta.updateProfile(ids[2] ?? '', { title: 'Engineer' });
    for (let run = 1; run <= 3; run += 1) {
      const { code, report } = await reconcile(w);
      expect(code, `run ${run}`).toBe(1);
      expect(report.systemic).toEqual([]);
    }
    expect((await status(w)).failingUsers.map((u) => [u.email, u.consecutiveFailures]).sort()).toEqual([
      ['alice@acme.com', 3],
      ['bob@acme.com', 3],
    ]);
    expect((await reconcile(w)).report.plan.skipped.filter((s) => s.code === 'quarantined')).toHaveLength(2);
  });
});

describe('release --all, and a run the quarantine empties', () => {
  it('every planned user quarantined (as an older version left them): exit 1 with a warning; release --all lets them through', async () => {
    const { world: w } = await start();
    const logins = NEW_HIRES.slice(0, 3);
    const ids = logins.map((login, i) => hire(w.okta, { login, firstName: 'Hire', lastName: `Number${i + 1}` }, { officeName: 'New York' }));
    const store = await Store.open(w.database);
    try {
      for (const [i, login] of logins.entries()) {
        for (const runId of ['r1', 'r2', 'r3']) {
          await store.userErrors.record({ userKey: `okta:${ids[i]}`, oktaUserId: ids[i] ?? null, email: login, runId, action: 'write_back', message: 'Okta: HTTP 400' });
        }
      }
    } finally {
      await store.close();
    }

    const stuck = await reconcile(w);
    expect(stuck.code).toBe(1);
    expect(stuck.report.quarantineStall).toBe(3);
    expect(stuck.stderr).toContain('Every user this run would act on is quarantined (3): nothing was tried');
    expect(w.dialpad.users()).toEqual([]);

    // Recorded before causes were kept: no cause matches them.
    expect((await w.cli('release', '--cause', 'okta.E0000001')).code).toBe(2);
    const released = await w.cli('release', '--all', '--json');
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toMatchObject({ count: 3 });
    expect((await w.cli('release', '--all')).stderr).toContain('nothing to release');

    const healed = await reconcile(w);
    expect(healed.code).toBe(0);
    expect(w.dialpad.users()).toHaveLength(3);
  });

  it('release takes exactly one of EMAIL, --all, --cause', async () => {
    const { world: w } = await start();
    expect((await w.cli('release')).code).toBe(2);
    expect((await w.cli('release', 'ann@acme.com', '--all')).code).toBe(2);
    const help = await w.cli('release', '--help');
    expect(help.stdout).toContain('--cause <code>');
    expect(help.stdout).toContain('--all');
  });
});
