// The plan file as `reconcile --out` writes it: made from a dry run's input and plan, written whole with mode 0600,
// and accepted as written by the checks `dialsync apply` makes.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSafety } from '../../src/plan/safety/safety.js';
import { checkPlanFile, configChecksum } from '../../src/plan-file/plan-file.js';
import { planFileDestinationProblem, planFileOf, planFileReplaceProblem, writePlanFile, type PlannedRun } from '../../src/plan-file/write-plan-file.js';
import { assignment, dialpadUser, link, planInput, rules } from '../plan/fixtures.js';

const TENANT = { dialpadCompanyId: '42', dialpadCompanyName: 'Acme', oktaOrgUrl: 'https://acme.okta.com', oktaOrgId: '00o1', oktaAppId: '0oa1' };
const CONFIGURED = { oktaOrgUrl: 'https://acme.okta.com', oktaAppId: '0oa1' };
const CONFIG = configChecksum(rules(), defaultSafety(), CONFIGURED);
const MADE = new Date('2026-11-30T09:00:00Z');

function run(): PlannedRun {
  return {
    runId: 'run-1',
    tenant: TENANT,
    input: planInput({ assignments: [assignment('ann'), assignment('bob')], dialpadUsers: [dialpadUser('7', 'ann@example.com')], links: [link('ann', '7')] }),
    plan: {
      users: [
        { oktaUserId: 'ann', dialpadUserId: '7', email: 'ann@example.com', actions: [{ kind: 'update', changes: [{ field: 'job_title', from: null, to: 'CTO' }], reason: 'title' }] },
        { oktaUserId: 'bob', dialpadUserId: null, email: 'bob@example.com', actions: [{ kind: 'create', email: 'bob@example.com', firstName: 'Bob', lastName: 'Kim', officeId: '1', license: 'talk', autoAssign: true, jobTitle: null, reason: 'assigned' }] },
      ],
      skipped: [],
      unmanaged: [],
      warnings: [],
      withheld: [],
    },
    held: [],
  };
}

describe('planFileOf and writePlanFile', () => {
  it('makes a file with one fingerprinted entry per planned user, which the checks accept as written', async () => {
    const file = planFileOf(run(), rules(), { configChecksum: CONFIG, createdAt: MADE, pinnedAt: null });
    expect(file.users.map((u) => [u.key, u.email, Object.keys(u.fingerprint.dialpad)])).toEqual([
      ['okta:ann', 'ann@example.com', ['user.state', 'user.name', 'user.emails', 'user.job_title', 'user.office', 'user.license', 'user.numbers', 'user.locale', 'link']],
      ['okta:bob', 'bob@example.com', ['emailHolders', 'link']],
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-plan-'));
    const path = join(dir, 'plan.json');
    writeFileSync(path, 'an older plan');
    await writePlanFile(path, file);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['plan.json']);
    const read = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    expect(checkPlanFile(read, { configChecksum: CONFIG, pinnedAt: null, tenant: CONFIGURED, pinned: TENANT, now: MADE, maxAgeHours: 24 })).toEqual(file);
  });

  it('throws what the file system throws when the folder does not exist', async () => {
    const file = planFileOf(run(), rules(), { configChecksum: CONFIG, createdAt: MADE, pinnedAt: null });
    await expect(writePlanFile(join(tmpdir(), 'no-such-folder-for-dialsync', 'plan.json'), file)).rejects.toThrow(/ENOENT/);
  });

  it.each<[string, (dir: string) => string, RegExp | null]>([
    ['a new file in a folder that exists', (dir) => join(dir, 'plan.json'), null],
    ['an existing file (replaced)', (dir) => (writeFileSync(join(dir, 'old.json'), '{}'), join(dir, 'old.json')), null],
    ['a folder', (dir) => dir, /^--out .* is a folder: name a file in it, e\.g\. --out .*plan\.json$/],
    ['a file in a missing folder', (dir) => join(dir, 'missing', 'plan.json'), /^--out .*: the folder .*missing does not exist$/],
    ['a file under a file', (dir) => (writeFileSync(join(dir, 'file'), ''), join(dir, 'file', 'plan.json')), /^--out .*: .*file is not a folder$/],
    ['stdout (-)', () => '-', /^--out -: write the plan file to a path; --json prints the report on stdout$/],
    // Permissions say yes, the write says no: the probe file finds it. /proc where there is one (Linux).
    ...(existsSync('/proc') ? [['a folder whose files cannot be created (/proc)', () => '/proc/p.json', /^--out \/proc\/p\.json: cannot write in the folder \/proc \(ENOENT\)$/] as [string, (dir: string) => string, RegExp]] : []),
  ])('--out %s', async (_situation, pathIn, problem) => {
    const path = pathIn(mkdtempSync(join(tmpdir(), 'dialsync-out-')));
    const found = await planFileDestinationProblem(path);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
    // The probe file is removed: the folder holds what it held.
    if (problem === null) expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  // What --out may replace, once the config has said which database and config file are in use: the files are
  // made in a fresh folder `dir`, the database at dir/db.sqlite and the config at dir/cfg.yaml.
  it.each<[string, (dir: string) => string, RegExp | null]>([
    ['a new path', (dir) => join(dir, 'plan.json'), null],
    ['an existing plan file (the re-plan)', (dir) => (writeFileSync(join(dir, 'plan.json'), JSON.stringify({ format: 'dialsync-plan', version: 1 })), join(dir, 'plan.json')), null],
    ['an empty file (as mktemp makes)', (dir) => (writeFileSync(join(dir, 'empty.json'), ''), join(dir, 'empty.json')), null],
    ['the database in use', (dir) => join(dir, 'db.sqlite'), /^refusing to write the plan over the database in use: .*db\.sqlite; choose another path$/],
    ['the database in use, not created yet', (dir) => join(dir, 'new.sqlite'), /^refusing to write the plan over the database in use: .*new\.sqlite; choose another path$/],
    ['the database in use, spelled otherwise', (dir) => `${dir}/./x/../db.sqlite`, /^refusing to write the plan over the database in use: .*x\/\.\.\/db\.sqlite; choose another path$/],
    ['a symlink to the database in use', (dir) => (symlinkSync(join(dir, 'db.sqlite'), join(dir, 'link.json')), join(dir, 'link.json')), /^refusing to write the plan over the database in use: .*link\.json \(it is .*db\.sqlite\); choose another path$/],
    ['the config file in use', (dir) => join(dir, 'cfg.yaml'), /^refusing to write the plan over the config file in use: .*cfg\.yaml; choose another path$/],
    ['an unrelated existing file', (dir) => (writeFileSync(join(dir, 'notes.txt'), 'keep me'), join(dir, 'notes.txt')), /^refusing to write the plan over an existing file that is not a plan file: .*notes\.txt; choose another path or remove it$/],
    ['a JSON file that is not a plan file', (dir) => (writeFileSync(join(dir, 'other.json'), '{"format": "other"}'), join(dir, 'other.json')), /not a plan file: .*other\.json; choose another path or remove it$/],
    ['a device (/dev/null)', () => '/dev/null', /^refusing to write the plan over an existing file that is not a plan file: \/dev\/null;/],
  ])('--out %s', async (situation, pathIn, problem) => {
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-replace-'));
    writeFileSync(join(dir, 'db.sqlite'), 'SQLite format 3\0');
    writeFileSync(join(dir, 'cfg.yaml'), 'policy: sync\n');
    const database = situation.includes('not created yet') ? join(dir, 'new.sqlite') : join(dir, 'db.sqlite');
    const path = pathIn(dir);
    const found = await planFileReplaceProblem(path, { database, configFile: join(dir, 'cfg.yaml') });
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('compares no file with a PostgreSQL database or an in-memory one, and none with a config file not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialsync-replace-'));
    for (const database of ['postgres://dialsync@db:5432/dialsync', ':memory:']) {
      expect(await planFileReplaceProblem(join(dir, 'plan.json'), { database })).toBeNull();
    }
    writeFileSync(join(dir, 'cfg.yaml'), 'policy: sync\n');
    expect(await planFileReplaceProblem(join(dir, 'cfg.yaml'), { database: ':memory:' })).toMatch(/not a plan file/);
  });
});
