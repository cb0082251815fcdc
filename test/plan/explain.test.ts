import { describe, expect, it } from 'vitest';
import type { DialpadUser } from '../../src/dialpad/types.js';
import { driftValueText, explainUnmanaged, explainUser, type Explanation } from '../../src/plan/explain.js';
import type { SafetyFacts } from '../../src/plan/safety/pipeline.js';
import type { Safety } from '../../src/plan/safety/safety.js';
import type { PlanInput } from '../../src/plan/types.js';
import { assignment, dialpadUser, link, NY, OFFICES, planInput, rules, SF } from './fixtures.js';
import { safetyFacts, safetySettings } from './safety/fixtures.js';

const EMAIL = 'u1@example.com';
/** Okta user u1, in sync with Dialpad user d1 (same names, office, license, number written back). */
const inSync = { profile: { dialpadPhone: '+12125550111' } };
const linked = { dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] };
/** Okta's licenseType of u1 changed to dialpad_sell (agents) and its title to CTO; dialsync last applied talk. */
const licenseAndTitle = { profile: { ...inSync.profile, title: 'CTO' }, appProfile: { licenseType: 'dialpad_sell' } };
const talkApplied = new Map([['d1', { license: { applied: 'talk', okta: 'talk', at: '2026-11-01T00:00:00Z' } }]]);

interface ExplainRow {
  situation: string;
  /** What a run limited to u1 (`reconcile --user u1@example.com`) reads; onlyOktaUserIds defaults to ['u1']. */
  input: Partial<PlanInput>;
  facts?: Partial<SafetyFacts>;
  safety?: Partial<Safety>;
  /** The verdict: the summary (exact, or a pattern), and what the next run holds back, by kind. */
  summary: string | RegExp;
  withheld?: string[];
  skipped?: string[];
}

function explain(row: ExplainRow): Explanation {
  const input = planInput({ onlyOktaUserIds: ['u1'], ...row.input });
  return explainUser(input, rules(), EMAIL, { settings: safetySettings(row.safety), facts: safetyFacts({ input, ...row.facts }) });
}

const quarantined = { userKey: 'okta:u1', consecutiveFailures: 3, action: 'create', message: 'Dialpad 400: bad office', oktaFingerprint: null, cause: 'dialpad.bad_request' };

describe('explainUser: the verdict for one user is the run\'s, every safety pass included', () => {
  it.each<ExplainRow>([
    { situation: 'assigned, no Dialpad user → create', input: { assignments: [assignment('u1')] }, summary: 'the next run would create, then write back' },
    { situation: 'linked and in sync → nothing to do', input: { assignments: [assignment('u1', inSync)], ...linked }, summary: 'in step: the next run would change nothing' },
    {
      situation: 'linked, its title changed in Okta → update',
      input: { assignments: [assignment('u1', { profile: { ...inSync.profile, title: 'CTO' } })], ...linked },
      summary: 'the next run would update',
    },
    {
      situation: 'linked, suspended in Okta → suspend',
      input: { assignments: [assignment('u1', { ...inSync, status: 'SUSPENDED' })], ...linked },
      summary: /^the next run would suspend/,
    },
    { situation: 'not assigned, no Dialpad user → nothing to do', input: {}, summary: 'not assigned to the app and no Dialpad user: nothing to do' },
    {
      situation: 'an unknown license → skipped',
      input: { assignments: [assignment('u1', { appProfile: { licenseType: 'dialpad_platinum' } })] },
      summary: /^the next run would skip the user: /,
      skipped: ['unknown_license'],
    },
    {
      situation: 'failing in 3 runs in a row with the same Okta data → quarantined',
      input: { assignments: [assignment('u1')] },
      facts: { failures: [quarantined] },
      summary: /^the next run would skip the user: quarantined after failing in 3 runs in a row \(last: create: Dialpad 400: bad office \[dialpad.bad_request\]\)/,
      skipped: ['quarantined'],
    },
    {
      situation: 'a create past licenseCaps.talk → held by the cap',
      input: { assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d9', 'other@example.com')] },
      safety: { licenseCaps: { talk: 1 } },
      summary: /^the next run would hold back create, write back \(held back by licenseCaps\.talk: 1 talk users already active or planned, the cap is 1 .*\) and change nothing else$/,
      withheld: ['create', 'write_back'],
    },
    {
      situation: 'a create in an office with no free line → held by the seat check',
      input: { assignments: [assignment('u1')] },
      facts: { freeLines: { available: { [NY.id]: { talkLines: 0, sellLines: null, contactCenterLines: null } }, unreadable: {} } },
      summary: /^the next run would hold back create, write back \(held back: would buy a seat \(office "New York" has no talk_lines left for talk;/,
      withheld: ['create', 'write_back'],
    },
    {
      situation: 'the same office when seats may be bought → create',
      input: { assignments: [assignment('u1')] },
      facts: { freeLines: { available: { [NY.id]: { talkLines: 0, sellLines: null, contactCenterLines: null } }, unreadable: {} } },
      safety: { allowBuyingSeats: true },
      summary: 'the next run would create, then write back',
    },
    {
      situation: 'Okta\'s licenseType and title changed, licenseCaps.agents reached → the title update goes, the license change is held',
      input: { assignments: [assignment('u1', licenseAndTitle)], ...linked, appliedValues: talkApplied },
      safety: { licenseCaps: { agents: 0 } },
      summary: /^the next run would update, and hold back update \(license change from talk to agents held back by licenseCaps\.agents: 0 agents users already active or planned, the cap is 0 /,
      withheld: ['update'],
    },
    {
      situation: 'the same change in an office with no sell line left → held by the seat check',
      input: { assignments: [assignment('u1', licenseAndTitle)], ...linked, appliedValues: talkApplied },
      facts: { freeLines: { available: { [NY.id]: { talkLines: 5, sellLines: 0, contactCenterLines: null } }, unreadable: {} } },
      summary: /^the next run would update, and hold back update \(license change from talk to agents held back: would buy a seat \(office "New York" has no sell_lines left for agents;/,
      withheld: ['update'],
    },
    {
      situation: 'the same change when seats may be bought → update',
      input: { assignments: [assignment('u1', licenseAndTitle)], ...linked, appliedValues: talkApplied },
      facts: { freeLines: { available: { [NY.id]: { talkLines: 5, sellLines: 0, contactCenterLines: null } }, unreadable: {} } },
      safety: { allowBuyingSeats: true },
      summary: 'the next run would update',
    },
    {
      situation: 'a suspend over a strict mass-change threshold → held by the guard',
      input: { assignments: [assignment('u1', { ...inSync, status: 'SUSPENDED' })], ...linked },
      safety: { massSuspend: { count: 0, percent: 0 } },
      summary: /^the next run would hold back suspend.* \(held back by the mass-change guard: 1 suspends planned \(more than 0 and more than 0% of 1 managed users\); to let them through, /,
      withheld: ['suspend'],
    },
    {
      situation: 'the same suspend when safety.allowMassChanges is set → suspend',
      input: { assignments: [assignment('u1', { ...inSync, status: 'SUSPENDED' })], ...linked },
      safety: { massSuspend: { count: 0, percent: 0 }, allowMassChanges: true },
      summary: /^the next run would suspend/,
    },
  ])('$situation', (row) => {
    const e = explain(row);
    if (typeof row.summary === 'string') expect(e.next.summary).toBe(row.summary);
    else expect(e.next.summary).toMatch(row.summary);
    expect(e.next.withheld.map((w) => w.kind)).toEqual(row.withheld ?? []);
    expect(e.next.skipped.map((s) => s.code)).toEqual(row.skipped ?? []);
  });
});

describe('explainUser: scoping, the group or clause that put the user in or out', () => {
  const PILOT = '00gpilot000000000001';
  const scoped = rules({
    scope: {
      groups: ['Dialpad pilot'],
      include: [],
      exclude: [{ name: 'contractors', clauses: [{ attribute: 'userType', operator: 'equals', value: 'Contractor', ignoreCase: false }] }],
      onOutOfScope: 'suspend',
    },
  });
  const explainScoped = (members: string[], userType: string): Explanation => {
    const input = planInput({
      onlyOktaUserIds: ['u1'],
      assignments: [assignment('u1', { profile: { ...inSync.profile, userType } })],
      ...linked,
      scopeGroups: { groups: [{ id: PILOT, name: 'Dialpad pilot' }], members: new Map([[PILOT, new Set(members)]]) },
    });
    return explainUser(input, scoped, EMAIL, { settings: safetySettings(), facts: safetyFacts({ input }) });
  };

  it.each<[string, string[], string, Explanation['scope'], string | RegExp]>([
    ['a member, not a contractor → in', ['u1'], 'Employee', { inScope: true, reason: 'member of scope.groups "Dialpad pilot"; matches no scope.exclude filter' }, 'in step: the next run would change nothing'],
    ['a member and a contractor → out, suspended', ['u1'], 'Contractor', { inScope: false, reason: 'excluded by scope.exclude "contractors": userType equals "Contractor"' }, 'the next run would suspend'],
    ['not a member → out, suspended', [], 'Employee', { inScope: false, reason: 'not a member of scope.groups "Dialpad pilot"' }, 'the next run would suspend'],
  ])('%s', (_name, members, userType, scope, summary) => {
    const e = explainScoped(members, userType);
    expect(e.scope).toEqual(scope);
    expect(e.next.summary).toBe(summary);
    // A user scoping leaves out is not brought in line: no drift decision is shown for it.
    if (scope?.inScope === false) expect(e.drift).toBeNull();
    else expect(e.drift).not.toBeNull();
  });

  it('is null without scoping', () => {
    expect(explain({ situation: 'no scoping', input: { assignments: [assignment('u1')] }, summary: '' }).scope).toBeNull();
  });
});

describe('explainUser: drift, per field', () => {
  const AT = '2026-11-30T10:00:00.000Z';

  it('says in_step for a field whose sides agree, and names each office of the office field', () => {
    const e = explain({
      situation: 'office edited in Dialpad',
      input: {
        assignments: [assignment('u1', inSync)],
        dialpadUsers: [dialpadUser('d1', EMAIL, { officeId: SF.id })],
        links: [link('u1', 'd1')],
        appliedValues: new Map([['d1', { office: { applied: NY.id, okta: NY.id, at: AT } }]]),
      },
      summary: '',
    });
    expect(e.drift?.find((d) => d.field === 'first_name')).toMatchObject({ okta: 'Ada', dialpad: 'Ada', decision: 'in_step' });
    const office = e.drift?.find((d) => d.field === 'office');
    expect(office).toEqual({
      field: 'office',
      policy: 'revert',
      okta: NY.id,
      dialpad: SF.id,
      applied: NY.id,
      decision: 'reverted',
      officeNames: { okta: 'New York', dialpad: 'San Francisco', applied: 'New York' },
    });
    expect(office && [driftValueText(office, 'dialpad'), driftValueText(office, 'okta')]).toEqual([`"San Francisco" (${SF.id})`, `"New York" (${NY.id})`]);
    const firstName = e.drift?.find((d) => d.field === 'first_name');
    expect(firstName && driftValueText(firstName, 'okta')).toBe('"Ada"');
  });

  it('explains a plain Okta change as okta_changed', () => {
    const e = explain({
      situation: 'title changed in Okta',
      input: {
        assignments: [assignment('u1', { profile: { ...inSync.profile, title: 'CTO' } })],
        dialpadUsers: [dialpadUser('d1', EMAIL, { jobTitle: 'Engineer' })],
        links: [link('u1', 'd1')],
        appliedValues: new Map([['d1', { job_title: { applied: 'Engineer', okta: 'Engineer', at: AT } }]]),
      },
      summary: '',
    });
    expect(e.drift?.find((d) => d.field === 'job_title')).toMatchObject({ okta: 'CTO', dialpad: 'Engineer', applied: 'Engineer', decision: 'okta_changed' });
  });
});

describe('explainUnmanaged: an email only Dialpad knows', () => {
  it.each<[string, DialpadUser[], string | null]>([
    ['one live user holds it as its primary email: unmanaged', [dialpadUser('7001', 'desk@example.com')], '7001'],
    ['matched by email identity, not by spelling', [dialpadUser('7001', 'Desk@Example.com')], '7001'],
    ['a suspended user still holds it', [dialpadUser('7001', 'desk@example.com', { state: 'suspended' })], '7001'],
    ['only a deleted user held it: nobody', [dialpadUser('7001', 'desk@example.com', { state: 'deleted' })], null],
    ['held only as a secondary email: nobody', [dialpadUser('7001', 'main@example.com', { emails: ['main@example.com', 'desk@example.com'] })], null],
    ['two live users hold it: cannot tell them apart', [dialpadUser('7001', 'desk@example.com'), dialpadUser('7002', 'desk@example.com')], null],
  ])('%s', (_situation, users, expected) => {
    const e = explainUnmanaged('desk@example.com', users, OFFICES);
    expect(e?.dialpad?.id ?? null).toBe(expected);
    if (e) {
      expect(e).toMatchObject({ okta: null, link: null, dialpad: { matchedBy: 'unmanaged', officeName: 'New York' }, next: { actions: [], skipped: [], withheld: [] } });
      expect(e.next.summary).toMatch(/^unmanaged: /);
    }
  });
});
