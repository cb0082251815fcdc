import { describe, expect, it } from 'vitest';
import type { OktaAssignment } from '../../src/okta/types.js';
import { calculatePlan } from '../../src/plan/calculate.js';
import { unprovisionedUsers } from '../../src/plan/summary.js';
import type { ActionKind, PlanInput, RelinkCause, Rules, SkipCode } from '../../src/plan/types.js';
import {
  BERLIN,
  NY,
  SF,
  actionOf,
  assignment,
  dialpadUser,
  kinds,
  link,
  planInput,
  poolNumber,
  rules,
  userPlanFor,
} from './fixtures.js';

const EMAIL = 'u1@example.com';
/** Okta user u1, in sync with Dialpad user d1 (same names, office, license, number written back). */
const inSync = { profile: { dialpadPhone: '+12125550111' } };

interface LifecycleRow {
  name: string;
  input: Partial<PlanInput>;
  rules?: Rules;
  email?: string;
  kinds: ActionKind[];
  dialpadUserId?: string | null;
  skipped?: SkipCode;
}

describe('calculatePlan: lifecycle (docs/rules.md#lifecycle)', () => {
  it.each<LifecycleRow>([
    {
      name: 'assigned, no Dialpad user → create, then the pending write-back',
      input: { assignments: [assignment('u1')] },
      kinds: ['create', 'write_back'],
      dialpadUserId: null,
    },
    {
      name: 'assigned, a Dialpad user has the email → adopt',
      input: { assignments: [assignment('u1', inSync)], dialpadUsers: [dialpadUser('d1', 'U1@Example.com')] },
      kinds: ['adopt'],
      dialpadUserId: 'd1',
    },
    {
      name: 'assigned, a suspended Dialpad user has the email → adopt and reactivate',
      input: {
        assignments: [assignment('u1', inSync)],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })],
      },
      kinds: ['adopt', 'reactivate'],
      dialpadUserId: 'd1',
    },
    {
      name: 'linked and in sync → nothing to do',
      input: { assignments: [assignment('u1', inSync)], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      kinds: [],
    },
    {
      name: 're-assigned (linked, suspended in Dialpad) → reactivate the same user',
      input: {
        assignments: [assignment('u1', inSync)],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })],
        links: [link('u1', 'd1')],
      },
      kinds: ['reactivate'],
      dialpadUserId: 'd1',
    },
    {
      name: 'unassigned from the app → suspend',
      input: { dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] },
      kinds: ['suspend'],
      dialpadUserId: 'd1',
    },
    {
      name: 'unassigned, already suspended → nothing',
      input: { dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })], links: [link('u1', 'd1')] },
      kinds: [],
    },
    {
      name: 'deactivated in Okta, default → suspend',
      input: {
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
        fates: { u1: { kind: 'exists', status: 'DEPROVISIONED' } },
      },
      kinds: ['suspend'],
    },
    {
      name: 'deactivated in Okta, onDeactivated delete → delete',
      input: {
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
        fates: { u1: { kind: 'exists', status: 'DEPROVISIONED' } },
      },
      rules: rules({ onDeactivated: 'delete' }),
      kinds: ['delete'],
    },
    {
      name: 'deleted in Okta, default → suspend',
      input: { dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')], fates: { u1: { kind: 'deleted' } } },
      kinds: ['suspend'],
    },
    {
      name: 'deleted in Okta, onDeactivated delete, already suspended → delete',
      input: {
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })],
        links: [link('u1', 'd1')],
        fates: { u1: { kind: 'deleted' } },
      },
      rules: rules({ onDeactivated: 'delete' }),
      kinds: ['delete'],
    },
    {
      name: 'unassigned but still active in Okta, onDeactivated delete → only suspend',
      input: {
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
        fates: { u1: { kind: 'exists', status: 'ACTIVE' } },
      },
      rules: rules({ onDeactivated: 'delete' }),
      kinds: ['suspend'],
    },
    {
      name: 'Okta user suspended, default → suspend',
      input: {
        assignments: [assignment('u1', { status: 'SUSPENDED' })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      },
      kinds: ['suspend'],
    },
    {
      name: 'Okta user suspended, onOktaSuspended ignore → nothing',
      input: {
        assignments: [assignment('u1', { status: 'SUSPENDED' })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      },
      rules: rules({ onOktaSuspended: 'ignore' }),
      kinds: [],
    },
    {
      name: 'assigned but STAGED, linked → suspend',
      input: {
        assignments: [assignment('u1', { status: 'STAGED' })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      },
      kinds: ['suspend'],
    },
    {
      name: 'assigned but DEPROVISIONED, onDeactivated delete → delete',
      input: {
        assignments: [assignment('u1', { status: 'DEPROVISIONED' })],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })],
        links: [link('u1', 'd1')],
      },
      rules: rules({ onDeactivated: 'delete' }),
      kinds: ['delete'],
    },
    {
      name: 'assigned but PROVISIONED, not linked → skipped, never created',
      input: { assignments: [assignment('u1', { status: 'PROVISIONED' })] },
      kinds: [],
      skipped: 'not_in_scope',
    },
    {
      name: 'Okta suspended, not linked, a Dialpad user has the email → skipped, not adopted',
      input: { assignments: [assignment('u1', { status: 'SUSPENDED' })], dialpadUsers: [dialpadUser('d1', EMAIL)] },
      kinds: [],
      skipped: 'not_in_scope',
    },
    {
      name: 'linked Dialpad user deleted in Dialpad → treated as unlinked: create',
      input: {
        assignments: [assignment('u1', inSync)],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'deleted' })],
        links: [link('u1', 'd1')],
      },
      kinds: ['create', 'write_back'],
    },
    {
      name: 'linked Dialpad user vanished, another one has the email → adopt it',
      input: { assignments: [assignment('u1', inSync)], dialpadUsers: [dialpadUser('d2', EMAIL)], links: [link('u1', 'd1')] },
      kinds: ['adopt'],
      dialpadUserId: 'd2',
    },
    {
      name: 'two Dialpad users have the primary email → skipped as ambiguous',
      input: { assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d1', EMAIL), dialpadUser('d2', EMAIL.toUpperCase())] },
      kinds: [],
      skipped: 'ambiguous_dialpad_match',
    },
    {
      name: 'the Dialpad user with the email is linked to another Okta user → skipped',
      input: {
        assignments: [assignment('u1'), assignment('u9')],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u9', 'd1')],
      },
      kinds: [],
      skipped: 'email_linked_elsewhere',
    },
    {
      name: 'the email is only a secondary email of a Dialpad user → skipped, no doomed create',
      input: { assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d1', 'main@example.com', { emails: ['main@example.com', EMAIL] })] },
      kinds: [],
      skipped: 'ambiguous_dialpad_match',
    },
    {
      name: 'a deleted Dialpad user with the email is ignored → create',
      input: { assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'cancelled' })] },
      kinds: ['create', 'write_back'],
    },
  ])('$name', (row) => {
    const plan = calculatePlan(planInput(row.input), row.rules ?? rules());
    const user = userPlanFor(plan, row.email ?? EMAIL);
    expect(kinds(user)).toEqual(row.kinds);
    if (row.dialpadUserId !== undefined) expect(user?.dialpadUserId).toBe(row.dialpadUserId);
    expect(plan.skipped.map((s) => s.code)).toEqual(row.skipped ? [row.skipped] : []);
    for (const action of user?.actions ?? []) expect(action.reason.length).toBeGreaterThan(0);
  });

  it.each([
    [undefined, 'unassigned from the app'],
    [{ kind: 'exists', status: 'PROVISIONED' } as const, 'unassigned from the app'],
    [{ kind: 'exists', status: 'DEPROVISIONED' } as const, 'deactivated in Okta'],
    [{ kind: 'deleted' } as const, 'deleted in Okta'],
  ])('the suspend reason for fate %j says "%s"', (fate, reason) => {
    const plan = calculatePlan(
      planInput({ dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')], fates: fate ? { u1: fate } : {} }),
      rules(),
    );
    expect(actionOf(plan.users[0], 'suspend')?.reason).toContain(reason);
    expect(plan.users[0]?.oktaUserId).toBe(fate?.kind === 'deleted' ? null : 'u1');
  });

  it('the suspend of an out-of-scope user names its status', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1', { status: 'SUSPENDED' })], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(actionOf(plan.users[0], 'suspend')?.reason).toContain('SUSPENDED');
  });

  it('create carries what Dialpad needs, and the job title for the follow-up PATCH', () => {
    const a = assignment('u1', {
      profile: { login: 'Ada@Example.com', title: 'CTO', countryCode: 'DE' },
      appProfile: { officeName: null, licenseType: 'dialpad_sell' },
    });
    const plan = calculatePlan(planInput({ assignments: [a] }), rules());
    expect(actionOf(plan.users[0], 'create')).toMatchObject({
      email: 'Ada@Example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      officeId: BERLIN.id,
      license: 'agents',
      autoAssign: true,
      jobTitle: 'CTO',
    });
  });

  it('a broken link is mentioned in the reason of the create', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'deleted' })], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(actionOf(plan.users[0], 'create')?.reason).toContain('d1');
  });

  it('an Okta email change updates the same Dialpad user, never creates a second one', () => {
    const a = assignment('u1', { profile: { login: 'ada.king@example.com', dialpadPhone: '+12125550111' } });
    const d1 = dialpadUser('d1', 'u1@example.com', { emails: ['u1@example.com', 'alias@example.com', 'Ada.King@example.com'] });
    const plan = calculatePlan(planInput({ assignments: [a], dialpadUsers: [d1], links: [link('u1', 'd1')] }), rules());
    expect(plan.users).toHaveLength(1);
    expect(kinds(plan.users[0])).toEqual(['update']);
    expect(plan.users[0]?.dialpadUserId).toBe('d1');
    expect(actionOf(plan.users[0], 'update')?.changes).toEqual([
      {
        field: 'emails',
        from: ['u1@example.com', 'alias@example.com', 'Ada.King@example.com'],
        to: ['ada.king@example.com', 'alias@example.com'],
      },
    ]);
    expect(plan.unmanaged).toEqual([]);
  });

  it('an email change to an email another Dialpad user holds is not planned, but warned about', () => {
    const a = assignment('u1', { profile: { login: 'taken@example.com', dialpadPhone: '+12125550111' } });
    const plan = calculatePlan(
      planInput({
        assignments: [a],
        dialpadUsers: [dialpadUser('d1', EMAIL), dialpadUser('d2', 'other@example.com', { emails: ['other@example.com', 'taken@example.com'] })],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.warnings.map((w) => w.message).join()).toContain('d2');
  });

  it('several assigned users without a link and the same email are all skipped', () => {
    const same = { profile: { login: 'shared@example.com' } };
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1', same), assignment('u2', { profile: { login: 'SHARED@example.com' } })] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped.map((s) => [s.oktaUserId, s.code])).toEqual([
      ['u1', 'duplicate_email'],
      ['u2', 'duplicate_email'],
    ]);
  });

  it('a linked user keeps syncing when an unlinked one claims its email', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', { profile: { firstName: 'Augusta' } }), assignment('u2', { profile: { login: EMAIL } })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(kinds(plan.users[0])).toEqual(['update', 'write_back']);
    expect(plan.skipped.map((s) => [s.oktaUserId, s.code])).toEqual([['u2', 'duplicate_email']]);
  });

  it('Dialpad users with no link and no matching assignment are unmanaged and untouched', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', inSync)],
        dialpadUsers: [
          dialpadUser('d1', EMAIL),
          dialpadUser('d7', 'Zed@example.com', { state: 'suspended' }),
          dialpadUser('d8', 'gone@example.com', { state: 'deleted' }),
          dialpadUser('d9', 'bob@example.com'),
        ],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.unmanaged).toEqual([
      { dialpadUserId: 'd9', email: 'bob@example.com', state: 'active' },
      { dialpadUserId: 'd7', email: 'Zed@example.com', state: 'suspended' },
    ]);
  });

  it('a rejected assignment is skipped as invalid Okta data, and its linked user is not suspended', () => {
    const plan = calculatePlan(
      planInput({
        rejectedAssignments: [{ oktaUserId: 'u1', login: EMAIL, reason: 'profile.login is not a string' }],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped).toEqual([
      { oktaUserId: 'u1', email: EMAIL, code: 'invalid_okta_data', reason: 'profile.login is not a string' },
    ]);
    expect(plan.unmanaged).toEqual([]);
  });

  it('a rejected assignment without an id still protects the linked user with that login', () => {
    const plan = calculatePlan(
      planInput({
        rejectedAssignments: [{ oktaUserId: null, login: 'U1@example.com', reason: 'id missing' }],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.warnings.map((w) => w.message)).toEqual([expect.stringContaining('not suspended')]);
  });

  it('only plans for onlyOktaUserIds', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1'), assignment('u2'), assignment('u3', { appProfile: { licenseType: 'nope' } })],
        dialpadUsers: [dialpadUser('d4', 'u4@example.com')],
        links: [link('u4', 'd4')],
        onlyOktaUserIds: ['u2'],
      }),
      rules(),
    );
    expect(plan.users.map((u) => u.oktaUserId)).toEqual(['u2']);
    expect(plan.skipped).toEqual([]);
  });
});

describe('calculatePlan: updates (docs/rules.md#mapping, #license)', () => {
  it.each<[string, Record<string, string | null>, Record<string, string | null>, { field: string; from: unknown; to: unknown }]>([
    ['first_name', { firstName: 'Augusta' }, {}, { field: 'first_name', from: 'Ada', to: 'Augusta' }],
    ['last_name', { lastName: 'King' }, {}, { field: 'last_name', from: 'Lovelace', to: 'King' }],
    ['job_title', { title: 'Countess' }, {}, { field: 'job_title', from: null, to: 'Countess' }],
    ['emails', { login: 'ada@example.com' }, {}, { field: 'emails', from: [EMAIL], to: ['ada@example.com'] }],
  ])('%s', (_field, profile, appProfile, change) => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111', ...profile }, appProfile });
    const plan = calculatePlan(planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] }), rules());
    expect(kinds(plan.users[0])).toEqual(['update']);
    expect(actionOf(plan.users[0], 'update')?.changes).toEqual([change]);
  });

  it.each<[string, Record<string, string | null>, Partial<Parameters<typeof dialpadUser>[2]>]>([
    ['an email that differs only in case', { login: 'U1@EXAMPLE.COM' }, {}],
    ['no title in Okta (a title is never cleared)', { title: null }, { jobTitle: 'Countess' }],
    ['only one name in Okta (the other is kept)', { firstName: null }, { firstName: 'Augusta' }],
  ])('no update for %s', (_label, profile, overrides) => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111', ...profile } });
    const plan = calculatePlan(
      planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL, overrides)], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
  });

  it('license drift is reported by default, applied when drift.license is revert', () => {
    const input = planInput({
      assignments: [assignment('u1', { ...inSync, appProfile: { licenseType: 'dialpad_sell' } })],
      dialpadUsers: [dialpadUser('d1', EMAIL)],
      links: [link('u1', 'd1')],
    });
    const reported = calculatePlan(input, rules());
    expect(reported.users).toEqual([]);
    expect(reported.warnings.map((w) => w.message)).toEqual(['license drift: Dialpad has talk, Okta says agents (drift.license: report)']);
    expect(reported.drift).toEqual([expect.objectContaining({ field: 'license', okta: 'agents', dialpad: 'talk', policy: 'report', decision: 'reported' })]);

    const applied = calculatePlan(input, rules({ drift: { ...rules().drift, license: 'revert' } }));
    expect(actionOf(applied.users[0], 'update')?.changes).toEqual([{ field: 'license', from: 'talk', to: 'agents' }]);
    expect(applied.warnings).toEqual([]);
  });

  it('country and language drift are warnings only', () => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111', countryCode: 'US', preferredLanguage: 'fr-FR' } });
    const plan = calculatePlan(
      planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL, { country: 'ca', language: 'en' })], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('country drift'),
      expect.stringContaining('language drift'),
    ]);
  });

  it('a language with and without region is no drift', () => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111', preferredLanguage: 'en_US' } });
    const plan = calculatePlan(
      planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL, { language: 'en' })], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(plan.warnings).toEqual([]);
  });
});

describe('calculatePlan: office moves (docs/rules.md#office)', () => {
  it('a domestic move keeps the number', () => {
    const a = assignment('u1', { ...inSync, appProfile: { officeName: 'San Francisco' } });
    const plan = calculatePlan(planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] }), rules());
    expect(kinds(plan.users[0])).toEqual(['move_office']);
    expect(actionOf(plan.users[0], 'move_office')).toMatchObject({ fromOfficeId: NY.id, toOfficeId: SF.id, international: false });
  });

  it('an international move says Dialpad re-assigns numbers, and the write-back waits for the new one', () => {
    const a = assignment('u1', { ...inSync, appProfile: { officeName: 'Berlin' } });
    const plan = calculatePlan(
      planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL, { phoneNumbers: [] })], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(kinds(plan.users[0])).toEqual(['move_office', 'write_back']);
    const move = actionOf(plan.users[0], 'move_office');
    expect(move).toMatchObject({ toOfficeId: BERLIN.id, international: true });
    expect(move?.reason).toMatch(/unassigns .*numbers/);
    expect(actionOf(plan.users[0], 'write_back')).toMatchObject({ from: '+12125550111', to: null, pending: true });
  });
});

describe('calculatePlan: numbers (docs/rules.md#number)', () => {
  it('creates auto-assign a number, except for Contact Center licenses', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1'), assignment('u2', { appProfile: { licenseType: 'dialpad_support' } })] }),
      rules(),
    );
    expect(actionOf(userPlanFor(plan, 'u1@example.com'), 'create')?.autoAssign).toBe(true);
    expect(actionOf(userPlanFor(plan, 'u2@example.com'), 'create')?.autoAssign).toBe(false);
    expect(kinds(userPlanFor(plan, 'u2@example.com'))).toEqual(['create']);
  });

  it('existing users without a number get one: pool first, each number once, then the area code', () => {
    const noNumber = { phoneNumbers: [] as string[] };
    const input = planInput({
      assignments: [assignment('u3'), assignment('u1'), assignment('u2')],
      dialpadUsers: [
        dialpadUser('d1', 'u1@example.com', noNumber),
        dialpadUser('d2', 'u2@example.com', noNumber),
        dialpadUser('d3', 'u3@example.com', noNumber),
      ],
      links: [link('u1', 'd1'), link('u2', 'd2'), link('u3', 'd3')],
      availableNumbers: [poolNumber('+12125550177', NY.id), poolNumber('+12125550155', NY.id), poolNumber('+14155550100', SF.id)],
    });
    const plan = calculatePlan(input, rules());
    const assigned = plan.users.map((u) => {
      const a = actionOf(u, 'assign_number');
      return [u.email, a?.number, a?.areaCode];
    });
    expect(assigned).toEqual([
      ['u1@example.com', '+12125550155', null],
      ['u2@example.com', '+12125550177', null],
      ['u3@example.com', null, '212'],
    ]);
    for (const u of plan.users) expect(kinds(u)).toEqual(['assign_number', 'write_back']);
    expect(actionOf(plan.users[0], 'write_back')).toMatchObject({ pending: true });

    const shuffled = calculatePlan({ ...input, assignments: [...input.assignments].reverse(), availableNumbers: [...input.availableNumbers].reverse() }, rules());
    expect(shuffled).toEqual(plan);
  });

  it('a Contact Center user without a number gets none; an existing number is never taken away', () => {
    const cc = { appProfile: { licenseType: 'dialpad_support' } };
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', cc), assignment('u2', { ...cc, profile: { dialpadPhone: '+12125550122' } })],
        dialpadUsers: [
          dialpadUser('d1', 'u1@example.com', { phoneNumbers: [], license: 'lite_support_agents' }),
          dialpadUser('d2', 'u2@example.com', { phoneNumbers: ['+12125550122'], license: 'lite_support_agents' }),
        ],
        links: [link('u1', 'd1'), link('u2', 'd2')],
        availableNumbers: [poolNumber('+12125550155', NY.id)],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
  });
});

describe('calculatePlan: write-back (docs/rules.md#write-back)', () => {
  it.each<[string, string | null, string[], { from: string | null; to: string | null } | null]>([
    ['same number → nothing', '+12125550111', ['+12125550111', '+12125550199'], null],
    ['empty in Okta → the primary number', null, ['+12125550111', '+12125550199'], { from: null, to: '+12125550111' }],
    ['another number in Okta → the primary number', '+19999999999', ['+12125550111'], { from: '+19999999999', to: '+12125550111' }],
  ])('%s', (_label, current, numbers, expected) => {
    const a = assignment('u1', { profile: { dialpadPhone: current } });
    const plan = calculatePlan(
      planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL, { phoneNumbers: numbers })], links: [link('u1', 'd1')] }),
      rules(),
    );
    const writeBack = actionOf(plan.users[0], 'write_back');
    expect(writeBack ? { from: writeBack.from, to: writeBack.to } : null).toEqual(expected);
    expect(writeBack?.pending ?? false).toBe(false);
  });

  it('a user without a number (and wanting none) has a stale value cleared', () => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111' }, appProfile: { licenseType: 'dialpad_support' } });
    const plan = calculatePlan(
      planInput({
        assignments: [a],
        dialpadUsers: [dialpadUser('d1', EMAIL, { phoneNumbers: [], license: 'lite_support_agents' })],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(actionOf(plan.users[0], 'write_back')).toMatchObject({ from: '+12125550111', to: null, pending: false });
  });

  it('writes to the app-user profile value when configured, and not at all when disabled', () => {
    const a = assignment('u1', { profile: { dialpadPhone: '+12125550111' }, appProfile: { dialpadPhone: null } });
    const input = planInput({ assignments: [a], dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')] });
    expect(kinds(calculatePlan(input, rules({ writeBack: { target: 'appUser' } })).users[0])).toEqual(['write_back']);
    expect(calculatePlan(input, rules({ writeBack: { target: 'user' } })).users).toEqual([]);
    expect(calculatePlan({ ...input, assignments: [assignment('u1')] }, rules({ writeBack: { enabled: false } })).users).toEqual([]);
  });

  it('after a create the write-back is pending', () => {
    const plan = calculatePlan(planInput({ assignments: [assignment('u1', { profile: { dialpadPhone: '+1999' } })] }), rules());
    expect(actionOf(plan.users[0], 'write_back')).toMatchObject({ from: '+1999', to: null, pending: true });
  });

  it.each<[string, Partial<PlanInput>, ActionKind[]]>([
    [
      'Okta-suspended user with a value',
      {
        assignments: [assignment('u1', { status: 'SUSPENDED', profile: { dialpadPhone: '+12125550111' } })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      },
      ['suspend', 'write_back'],
    ],
    [
      'Okta-suspended user already suspended in Dialpad, value still set',
      {
        assignments: [assignment('u1', { status: 'SUSPENDED', profile: { dialpadPhone: '+12125550111' } })],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended' })],
        links: [link('u1', 'd1')],
      },
      ['write_back'],
    ],
    [
      'Okta-suspended user without a value',
      {
        assignments: [assignment('u1', { status: 'SUSPENDED' })],
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
      },
      ['suspend'],
    ],
    [
      'unassigned user still in Okta',
      { dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')], fates: { u1: { kind: 'exists', status: 'ACTIVE' } } },
      ['suspend', 'write_back'],
    ],
    [
      'deleted Okta user (nothing to write to)',
      { dialpadUsers: [dialpadUser('d1', EMAIL)], links: [link('u1', 'd1')], fates: { u1: { kind: 'deleted' } } },
      ['suspend'],
    ],
    [
      'deactivated Okta user (Okta refuses the write)',
      {
        dialpadUsers: [dialpadUser('d1', EMAIL)],
        links: [link('u1', 'd1')],
        fates: { u1: { kind: 'exists', status: 'DEPROVISIONED' } },
      },
      ['suspend'],
    ],
  ])('writeBack.onSuspended clear: %s', (_label, input, expected) => {
    const cleared = calculatePlan(planInput(input), rules({ writeBack: { onSuspended: 'clear' } }));
    expect(kinds(cleared.users[0])).toEqual(expected);
    if (expected.includes('write_back')) expect(actionOf(cleared.users[0], 'write_back')?.to).toBeNull();
    const kept = calculatePlan(planInput(input), rules());
    expect(kinds(kept.users[0])).toEqual(expected.filter((k) => k !== 'write_back'));
  });
});

describe('calculatePlan: shape', () => {
  it('orders one user\'s actions: adopt, reactivate, update, move_office, assign_number, write_back', () => {
    const a = assignment('u1', { profile: { firstName: 'Augusta' }, appProfile: { officeName: 'San Francisco' } });
    const plan = calculatePlan(
      planInput({
        assignments: [a],
        dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'suspended', phoneNumbers: [] })],
        availableNumbers: [poolNumber('+14155550123', SF.id)],
      }),
      rules(),
    );
    expect(kinds(plan.users[0])).toEqual(['adopt', 'reactivate', 'update', 'move_office', 'assign_number', 'write_back']);
    expect(actionOf(plan.users[0], 'assign_number')?.number).toBe('+14155550123');
  });

  it('sorts users by email and gives the same plan for the same input in any order', () => {
    const input = planInput({
      assignments: [assignment('c'), assignment('A'), assignment('b')],
      dialpadUsers: [dialpadUser('d9', 'z@example.com'), dialpadUser('d8', 'y@example.com')],
      links: [link('gone1', 'd9'), link('gone2', 'd8')],
    });
    const plan = calculatePlan(input, rules());
    expect(plan.users.map((u) => u.email)).toEqual(['A@example.com', 'b@example.com', 'c@example.com', 'y@example.com', 'z@example.com']);
    const reversed = calculatePlan(
      { ...input, assignments: [...input.assignments].reverse(), dialpadUsers: [...input.dialpadUsers].reverse(), links: [...input.links].reverse() },
      rules(),
    );
    expect(reversed).toEqual(plan);
  });

  it('an Okta user listed twice is planned once, as first listed', () => {
    const first = assignment('u2', { profile: { firstName: 'First' } });
    const second = assignment('u2', { profile: { firstName: 'Second' } });
    const plan = calculatePlan(planInput({ assignments: [assignment('u3'), first, assignment('u1'), second] }), rules());
    expect(plan.users.map((u) => u.oktaUserId)).toEqual(['u1', 'u2', 'u3']);
    expect(actionOf(userPlanFor(plan, 'u2@example.com'), 'create')?.firstName).toBe('First');
  });

  it('among many linked users, exactly the unassigned ones are suspended', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const assigned = ids.filter((_, i) => i % 3 !== 1);
    const plan = calculatePlan(
      planInput({
        assignments: assigned.map((id) => assignment(id, { profile: { dialpadPhone: '+12125550111' } })).reverse(),
        dialpadUsers: ids.map((id) => dialpadUser(`d-${id}`, `${id}@example.com`)),
        links: ids.map((id) => link(id, `d-${id}`)),
      }),
      rules(),
    );
    const suspended = plan.users.filter((u) => actionOf(u, 'suspend') !== undefined).map((u) => u.oktaUserId);
    expect(suspended).toEqual(ids.filter((_, i) => i % 3 === 1));
  });

  it('applies the configured policy', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d2', 'u2@example.com')], links: [link('u2', 'd2')] }),
      rules({ policy: 'upsert-only' }),
    );
    expect(plan.users.map((u) => kinds(u))).toEqual([['create', 'write_back']]);
    expect(plan.withheld).toEqual([{ email: 'u2@example.com', oktaUserId: 'u2', dialpadUserId: 'd2', kind: 'suspend', reason: expect.stringContaining('upsert-only') }]);
  });
});

// Bad input from Dialpad (docs/rules.md#bad-data): what the listing could not read, or read but cannot act on.
describe('calculatePlan: unreadable and untouchable Dialpad users', () => {
  const skipOf = (plan: ReturnType<typeof calculatePlan>) => plan.skipped.map((s) => [s.oktaUserId, s.code]);

  it.each([
    ['in an unknown state', { state: 'archived' }, /state "archived"/],
    ['without any email', { emails: [] }, /without any email/],
  ])('a linked Dialpad user %s is not touched', (_name, overrides, reason) => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', { profile: { title: 'New title' } })],
        dialpadUsers: [dialpadUser('d1', EMAIL, overrides)],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(skipOf(plan)).toEqual([['u1', 'invalid_dialpad_data']]);
    expect(plan.skipped[0]?.reason).toMatch(reason);
  });

  it('an unassigned user whose Dialpad user is in an unknown state is not suspended', () => {
    const plan = calculatePlan(planInput({ dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'archived' })], links: [link('u1', 'd1')] }), rules());
    expect(plan.users).toEqual([]);
    expect(skipOf(plan)).toEqual([['u1', 'invalid_dialpad_data']]);
  });

  it('an out-of-scope user whose Dialpad user is in an unknown state is not suspended', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1', { status: 'SUSPENDED' })], dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'archived' })], links: [link('u1', 'd1')] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(skipOf(plan)).toEqual([['u1', 'invalid_dialpad_data']]);
  });

  it('an adoption candidate in an unknown state is neither adopted nor duplicated', () => {
    const plan = calculatePlan(planInput({ assignments: [assignment('u1')], dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'archived' })] }), rules());
    expect(plan.users).toEqual([]);
    expect(skipOf(plan)).toEqual([['u1', 'invalid_dialpad_data']]);
  });

  it('a linked Dialpad user the listing rejected: no create, reported once as a warning', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1'), assignment('u2')],
        links: [link('u1', 'd1')],
        rejectedDialpadUsers: [{ id: 'd1', reason: 'state: state is missing', emails: [EMAIL] }],
      }),
      rules(),
    );
    expect(kinds(userPlanFor(plan, 'u2@example.com'))).toEqual(['create', 'write_back']);
    expect(userPlanFor(plan, EMAIL)).toBeUndefined();
    expect(skipOf(plan)).toEqual([['u1', 'invalid_dialpad_data']]);
    expect(plan.skipped[0]?.reason).toContain('the linked Dialpad user d1');
    expect(plan.warnings.filter((w) => w.message.includes('could not be read'))).toHaveLength(1);
  });

  it('a rejected Dialpad user without an id still blocks a create with its email', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1')], rejectedDialpadUsers: [{ id: null, reason: 'id: Invalid input', emails: ['U1@example.com'] }] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped[0]?.reason).toMatch(/Dialpad user \(without an id\) \(U1@example\.com\) could not be read .*not created or adopted/);
  });
});

describe('calculatePlan: re-hires (docs/rules.md#rehire)', () => {
  /** Tom's old Okta account u0 was linked to Dialpad user d1 (suspended since); u1 is his new account, same email. */
  const oldAccount = (status: OktaAssignment['status'] = 'ACTIVE') => assignment('u0', { status, profile: { login: EMAIL, email: EMAIL } });
  const suspendedD1 = dialpadUser('d1', EMAIL, { state: 'suspended' });
  const rehire = (overrides: Partial<PlanInput>): Partial<PlanInput> => ({
    assignments: [assignment('u1', inSync)],
    dialpadUsers: [suspendedD1],
    links: [link('u0', 'd1')],
    ...overrides,
  });

  interface RehireRow {
    name: string;
    input: Partial<PlanInput>;
    rules?: Rules;
    /** The new account's actions; a relink names its cause. */
    kinds: ActionKind[];
    cause?: RelinkCause;
    skipped?: SkipCode;
    /** Text the skip reason (and its remedy) must hold. */
    remedy?: RegExp;
  }

  it.each<RehireRow>([
    {
      name: 'old account deactivated → relink (deactivated), reactivate the same Dialpad user',
      input: rehire({ fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } } }),
      kinds: ['relink', 'reactivate'],
      cause: 'deactivated',
    },
    {
      name: 'old account deleted in Okta (404) → relink (deleted)',
      input: rehire({ fates: { u0: { kind: 'deleted' } } }),
      kinds: ['relink', 'reactivate'],
      cause: 'deleted',
    },
    {
      name: 'old account only unassigned, still active in Okta → relink (unassigned)',
      input: rehire({ fates: { u0: { kind: 'exists', status: 'ACTIVE' } } }),
      kinds: ['relink', 'reactivate'],
      cause: 'unassigned',
    },
    {
      name: 'old account assigned but suspended in Okta (onOktaSuspended: suspend) → relink (suspended)',
      input: rehire({ assignments: [assignment('u1', inSync), oldAccount('SUSPENDED')] }),
      kinds: ['relink', 'reactivate'],
      cause: 'suspended',
    },
    {
      name: 'old account assigned but suspended in Okta (onOktaSuspended: ignore) → it keeps the Dialpad user, the new one is unprovisioned',
      input: rehire({ assignments: [assignment('u1', inSync), oldAccount('SUSPENDED')] }),
      rules: rules({ onOktaSuspended: 'ignore' }),
      kinds: [],
      skipped: 'email_linked_elsewhere',
      remedy: /onOktaSuspended is ignore.*unassign Okta user u0 \(u1@example\.com\) from the app or deactivate it in Okta; the link then passes to Okta user u1/,
    },
    {
      name: 'old account still assigned and active (another email now) → today\'s conflict, with what to do',
      input: rehire({ assignments: [assignment('u1', inSync), assignment('u0', { profile: { login: 'tom.old@example.com' } })], dialpadUsers: [dialpadUser('d1', EMAIL)] }),
      kinds: [],
      skipped: 'email_linked_elsewhere',
      remedy: /linked to Okta user u0 \(tom\.old@example\.com\): Okta user u0 is still assigned and ACTIVE: unassign .* the link then passes to Okta user u1/,
    },
    {
      name: 'old account missing from the listing but not read to confirm it → it keeps the Dialpad user',
      input: rehire({}),
      kinds: [],
      skipped: 'email_linked_elsewhere',
      remedy: /not read to confirm it/,
    },
    {
      name: 'old account\'s assignment came unreadable → it may still be assigned: no relink',
      input: rehire({ rejectedAssignments: [{ oktaUserId: 'u0', login: EMAIL, reason: 'bad profile' }], fates: { u0: { kind: 'exists', status: 'ACTIVE' } } }),
      kinds: [],
      skipped: 'email_linked_elsewhere',
      remedy: /could not be read/,
    },
    {
      name: 'the Dialpad user was deleted in Dialpad meanwhile → create (nothing to take over)',
      input: rehire({ dialpadUsers: [dialpadUser('d1', EMAIL, { state: 'deleted' })], fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } } }),
      kinds: ['create', 'write_back'],
    },
    {
      name: 'two new Okta accounts hold the email → both skipped as duplicates, no relink',
      input: rehire({ assignments: [assignment('u1', inSync), assignment('u2', { profile: { login: EMAIL } })], fates: { u0: { kind: 'deleted' } } }),
      kinds: [],
      skipped: 'duplicate_email',
      remedy: /give each of these Okta users its own email/,
    },
    {
      name: 'targeted run: the old account read by id is assigned and active → it keeps the Dialpad user',
      input: rehire({ onlyOktaUserIds: ['u1'], ownerAssignments: [oldAccount()], dialpadUsers: [dialpadUser('d1', EMAIL)] }),
      kinds: [],
      skipped: 'email_linked_elsewhere',
      remedy: /still assigned and ACTIVE/,
    },
    {
      name: 'targeted run: the old account read by id is deactivated → relink',
      input: rehire({ onlyOktaUserIds: ['u1'], fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } } }),
      kinds: ['relink', 'reactivate'],
      cause: 'deactivated',
    },
  ])('$name', (row) => {
    const plan = calculatePlan(planInput(row.input), row.rules ?? rules());
    const user = plan.users.find((u) => u.oktaUserId === 'u1');
    expect(kinds(user)).toEqual(row.kinds);
    const relink = actionOf(user, 'relink');
    if (row.cause) {
      expect(relink).toMatchObject({ dialpadUserId: 'd1', previousOktaUserId: 'u0', cause: row.cause, origin: 'created' });
      expect(relink?.reason).toMatch(/re-hire: Dialpad user d1 .* was linked to Okta user u0.*the link passes to Okta user u1/);
      expect(user?.dialpadUserId).toBe('d1');
    }
    const mine = plan.skipped.filter((s) => s.oktaUserId === 'u1');
    expect(mine.map((s) => s.code)).toEqual(row.skipped ? [row.skipped] : []);
    if (row.remedy) {
      expect(mine[0]?.reason).toMatch(row.remedy);
      expect(mine[0]?.remedy).toBeDefined();
    }
    // The old account's Dialpad user is never suspended or deleted under the new one.
    if (row.cause) expect(plan.users.filter((u) => u.oktaUserId === 'u0')).toEqual([]);
  });

  it('the old account was deactivated in this very run: the relink replaces its suspend', () => {
    const plan = calculatePlan(
      planInput(rehire({ dialpadUsers: [dialpadUser('d1', EMAIL)], fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } } })),
      rules(),
    );
    expect(plan.users.map((u) => [u.oktaUserId, kinds(u)])).toEqual([['u1', ['relink']]]);
  });

  it('a targeted run naming both accounts (one System Log poll): the relink replaces the old account\'s suspend', () => {
    const plan = calculatePlan(
      planInput(rehire({ dialpadUsers: [dialpadUser('d1', EMAIL)], fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } }, onlyOktaUserIds: ['u0', 'u1'] })),
      rules(),
    );
    expect(plan.users.map((u) => [u.oktaUserId, kinds(u)])).toEqual([['u1', ['relink']]]);
  });

  it('with onDeactivated: delete, the relink replaces the delete', () => {
    const plan = calculatePlan(
      planInput(rehire({ dialpadUsers: [dialpadUser('d1', EMAIL)], fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } } })),
      rules({ onDeactivated: 'delete' }),
    );
    expect(plan.users.map((u) => [u.oktaUserId, kinds(u)])).toEqual([['u1', ['relink']]]);
  });

  it('the origin carries over (an adopted Dialpad user stays adopted, so managed)', () => {
    const plan = calculatePlan(planInput(rehire({ links: [link('u0', 'd1', 'adopted')], fates: { u0: { kind: 'deleted' } } })), rules());
    expect(actionOf(plan.users[0], 'relink')?.origin).toBe('adopted');
  });

  it('the new account\'s profile is applied as updates and its empty dialpadPhone gets the same number', () => {
    const plan = calculatePlan(
      planInput(
        rehire({
          assignments: [assignment('u1', { profile: { lastName: 'Tate', title: 'Engineer' } })],
          fates: { u0: { kind: 'exists', status: 'DEPROVISIONED' } },
        }),
      ),
      rules(),
    );
    const user = plan.users[0];
    expect(kinds(user)).toEqual(['relink', 'reactivate', 'update', 'write_back']);
    expect(actionOf(user, 'update')?.changes.map((c) => c.field)).toEqual(['last_name', 'job_title']);
    expect(actionOf(user, 'write_back')).toMatchObject({ from: null, to: '+12125550111', pending: false });
  });

  it('an old account still active and assigned with the same email: the newcomer is a duplicate with what to do', () => {
    const plan = calculatePlan(planInput(rehire({ assignments: [assignment('u1', inSync), oldAccount()], dialpadUsers: [dialpadUser('d1', EMAIL)] })), rules());
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        oktaUserId: 'u1',
        code: 'duplicate_email',
        remedy: 'unassign Okta user u0 from the app or deactivate it in Okta; the link then passes to Okta user u1',
      }),
    ]);
    expect(unprovisionedUsers(plan).map((s) => s.oktaUserId)).toEqual(['u1']);
  });

  it('bad data is skipped but not counted as unprovisioned (nothing holds its email)', () => {
    const plan = calculatePlan(planInput({ assignments: [assignment('u1', { profile: { firstName: null, lastName: null } })] }), rules());
    expect(plan.skipped.map((s) => s.code)).toEqual(['missing_name']);
    expect(unprovisionedUsers(plan)).toEqual([]);
  });
});

describe('calculatePlan: one mailbox, one identity (email spellings)', () => {
  interface SpellingRow {
    name: string;
    okta: string;
    dialpad: string;
  }
  it.each<SpellingRow>([
    { name: 'Unicode domain in Okta, IDNA ASCII in Dialpad', okta: 'lena@bücher.example', dialpad: 'lena@xn--bcher-kva.example' },
    { name: 'IDNA ASCII in Okta, Unicode domain in Dialpad', okta: 'lena@xn--bcher-kva.example', dialpad: 'lena@bücher.example' },
    { name: 'upper-case Unicode domain in Okta', okta: 'Lena@BÜCHER.EXAMPLE', dialpad: 'lena@xn--bcher-kva.example' },
    { name: 'decomposed (NFD) local part in Okta, composed (NFC) in Dialpad', okta: 'rene\u0301@example.com', dialpad: 'ren\u00e9@example.com' },
    { name: 'a trailing root dot in Okta\'s domain', okta: 'lena@example.com.', dialpad: 'lena@example.com' },
  ])('$name → the existing user is adopted, its email left as it is, nothing unmanaged', (row) => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', { profile: { login: row.okta, email: row.okta, dialpadPhone: '+12125550111' } })],
        dialpadUsers: [dialpadUser('d1', row.dialpad)],
      }),
      rules(),
    );
    expect(plan.users.map((u) => [u.dialpadUserId, kinds(u)])).toEqual([['d1', ['adopt']]]);
    expect(plan.unmanaged).toEqual([]);
    expect(plan.skipped).toEqual([]);
  });

  it('a linked user whose Dialpad email is the other spelling gets no email update', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', { profile: { login: 'lena@bücher.example', dialpadPhone: '+12125550111' } })],
        dialpadUsers: [dialpadUser('d1', 'lena@xn--bcher-kva.example')],
        links: [link('u1', 'd1')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
  });

  it('two Okta users with one mailbox in two spellings are duplicates', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1', { profile: { login: 'lena@bücher.example' } }), assignment('u2', { profile: { login: 'LENA@xn--bcher-kva.example' } })] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped.map((s) => [s.oktaUserId, s.code])).toEqual([
      ['u1', 'duplicate_email'],
      ['u2', 'duplicate_email'],
    ]);
  });

  it('two Dialpad users holding one mailbox in two spellings are ambiguous: neither adopted, nothing created', () => {
    const plan = calculatePlan(
      planInput({
        assignments: [assignment('u1', { profile: { login: 'lena@bücher.example' } })],
        dialpadUsers: [dialpadUser('d1', 'lena@bücher.example'), dialpadUser('d2', 'lena@xn--bcher-kva.example')],
      }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped).toEqual([expect.objectContaining({ code: 'ambiguous_dialpad_match', remedy: expect.stringContaining('primary email') })]);
  });

  it('an email whose domain fails IDNA conversion is skipped as invalid_email, saying why', () => {
    const plan = calculatePlan(
      planInput({ assignments: [assignment('u1', { profile: { login: 'lena@xn--zz.example', email: 'lena@xn--zz.example' } })] }),
      rules(),
    );
    expect(plan.users).toEqual([]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({ code: 'invalid_email', reason: expect.stringMatching(/login "lena@xn--zz\.example" is not a usable email address: the domain "xn--zz\.example".*not a valid internationalized domain name/) }),
    ]);
  });

  it('the created user gets the email as Okta spells it, without the trailing root dot', () => {
    const plan = calculatePlan(planInput({ assignments: [assignment('u1', { profile: { login: 'Lena@Bücher.example.' } })] }), rules());
    expect(actionOf(plan.users[0], 'create')?.email).toBe('Lena@Bücher.example');
  });
});
