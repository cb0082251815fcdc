// The plan file's own checks: a file is refused whole when it is not one, of another version, edited (checksum),
// made under another config or for another tenant, or too old; accepted otherwise.
import { describe, expect, it } from 'vitest';
import { defaultSafety } from '../../src/plan/safety/safety.js';
import type { TenantIdentity } from '../../src/plan/tenant-check.js';
import { checkPlanFile, configChecksum, PlanFileRefusedError, sealPlanFile, type PlanFile, type PlanFileBody, type PlanFileExpectations } from '../../src/plan-file/plan-file.js';
import { rules } from '../plan/fixtures.js';

const TENANT: TenantIdentity = { dialpadCompanyId: '42', dialpadCompanyName: 'Acme', oktaOrgUrl: 'https://acme.okta.com', oktaOrgId: null, oktaAppId: '0oa1' };
const CONFIGURED = { oktaOrgUrl: 'https://acme.okta.com', oktaAppId: '0oa1' };
const MADE = new Date('2026-11-30T09:00:00Z');
const CONFIG = configChecksum(rules(), defaultSafety(), CONFIGURED);
const UPSERT_ONLY_CONFIG = configChecksum(rules({ policy: 'upsert-only' }), defaultSafety(), CONFIGURED);
const PINNED_AT = '2026-11-01T08:00:00.000Z';

function file(): PlanFile {
  return sealPlanFile({
    format: 'dialsync-plan',
    version: 1,
    createdAt: MADE.toISOString(),
    runId: 'run-1',
    tenant: TENANT,
    configChecksum: CONFIG,
    policy: 'sync',
    pinnedAt: PINNED_AT,
    plan: [{ oktaUserId: '00u1', dialpadUserId: '7', email: 'ann@acme.com', actions: [{ kind: 'suspend', reason: 'unassigned' }] }],
    users: [{ key: 'okta:00u1', oktaUserId: '00u1', dialpadUserId: '7', email: 'ann@acme.com', fingerprint: { okta: { status: 'a' }, dialpad: { link: 'b' } } }],
    held: [{ gate: 'mass-change', counts: { suspend: 1 }, users: 1, reason: 'mass-change guard: 1 suspend', release: 'approve' }],
  });
}

function expectations(overrides: Partial<PlanFileExpectations> = {}): PlanFileExpectations {
  return { configChecksum: CONFIG, pinnedAt: PINNED_AT, tenant: CONFIGURED, pinned: TENANT, now: new Date(MADE.getTime() + 3_600_000), maxAgeHours: 24, ...overrides };
}

/** The file as JSON would read it back, changed by `edit` and sealed again (a deliberate edit: the checksum recomputed). */
function resealed(edit: (value: PlanFileBody) => void): Record<string, unknown> {
  const { checksum: _old, ...body } = JSON.parse(JSON.stringify(file())) as PlanFile;
  edit(body);
  return JSON.parse(JSON.stringify(sealPlanFile(body))) as Record<string, unknown>;
}

/** The file as JSON would read it back, changed by `edit`. */
function raw(edit: (value: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const value = JSON.parse(JSON.stringify(file())) as Record<string, unknown>;
  edit(value);
  return value;
}

function refusalOf(value: unknown, expect: PlanFileExpectations): string | null {
  try {
    checkPlanFile(value, expect);
    return null;
  } catch (error) {
    if (error instanceof PlanFileRefusedError) return error.refusal;
    throw error;
  }
}

describe('checkPlanFile', () => {
  it.each([
    ['an untouched file, an hour old', null, raw(), expectations()],
    ['an untouched file made with no pin yet, no pin now (the Okta org and app compared)', null, resealed((v) => (v.pinnedAt = null)), expectations({ pinned: null, pinnedAt: null })],
    ['not JSON of a plan file', 'not_a_plan_file', { hello: 1 }, expectations()],
    ['another format', 'not_a_plan_file', raw((v) => (v.format = 'terraform-plan')), expectations()],
    ['a later version', 'unknown_version', raw((v) => (v.version = 2)), expectations()],
    ['an action edited', 'edited', raw((v) => ((v.plan as { actions: { kind: string }[] }[])[0]!.actions[0]!.kind = 'delete')), expectations()],
    ['a user added to the fingerprints', 'edited', raw((v) => (v.users as unknown[]).push({ key: 'okta:00u2' })), expectations()],
    ['a key added', 'edited', raw((v) => (v.note = 'reviewed')), expectations()],
    ['the checksum removed', 'edited', raw((v) => delete v.checksum), expectations()],
    ['the createdAt made younger', 'edited', raw((v) => (v.createdAt = new Date().toISOString())), expectations()],
    ['another config', 'other_config', raw(), expectations({ configChecksum: configChecksum(rules({ policy: 'upsert-only' }), defaultSafety(), CONFIGURED) })],
    ['plan entries without a users entry (checksum recomputed)', 'edited', resealed((v) => v.users.pop()), expectations()],
    ['a users entry of another user (checksum recomputed)', 'edited', resealed((v) => (v.users[0]!.key = 'okta:00u9')), expectations()],
    // `reconcile --policy sync --out` under `policy: upsert-only`: the config checksum is the config's, the policy wider.
    ['a wider policy (reconcile --policy)', null, resealed((v) => (v.configChecksum = UPSERT_ONLY_CONFIG)), expectations({ configChecksum: UPSERT_ONLY_CONFIG })],
    ['a narrower policy (reconcile --policy)', null, resealed((v) => (v.policy = 'upsert-only')), expectations()],
    ['another tenant and another config: the tenant is said', 'other_tenant', raw(), expectations({ pinned: { ...TENANT, dialpadCompanyId: '43' }, configChecksum: configChecksum(rules({ policy: 'upsert-only' }), defaultSafety(), CONFIGURED) })],
    ['made against a pinned database, applied to one with no pin', 'other_installation', raw(), expectations({ pinnedAt: null, pinned: null })],
    ['made against another database of the same tenant', 'other_installation', raw(), expectations({ pinnedAt: '2026-11-20T08:00:00.000Z' })],
    ['made with no pin, the database pinned since (by its own apply)', null, resealed((v) => (v.pinnedAt = null)), expectations({ pinnedAt: '2026-11-30T09:30:00.000Z' })],
    ['made with no pin, the database pinned before it was made', 'other_installation', resealed((v) => (v.pinnedAt = null)), expectations()],
    ['another Dialpad company pinned', 'other_tenant', raw(), expectations({ pinned: { ...TENANT, dialpadCompanyId: '43' } })],
    ['another Okta app configured, no pin', 'other_tenant', raw(), expectations({ pinned: null, tenant: { ...CONFIGURED, oktaAppId: '0oa2' } })],
    ['another Okta org configured, no pin', 'other_tenant', raw(), expectations({ pinned: null, tenant: { ...CONFIGURED, oktaOrgUrl: 'https://other.okta.com' } })],
    // The pin matches the file (by org id), the config names another org or app: refused before the run lock.
    ['the file\'s Okta org edited, pinned org known by id', 'other_tenant', resealed((v) => (v.tenant = { ...TENANT, oktaOrgUrl: 'https://evil.okta.com', oktaOrgId: '00o1' })), expectations({ pinned: { ...TENANT, oktaOrgId: '00o1' } })],
    ['the config names another Okta app, pinned', 'other_tenant', raw(), expectations({ tenant: { ...CONFIGURED, oktaAppId: '0oa2' }, configChecksum: configChecksum(rules(), defaultSafety(), { ...CONFIGURED, oktaAppId: '0oa2' }) })],
    ['only the tenant section of the config checksum differs', 'other_tenant', raw(), expectations({ configChecksum: { ...CONFIG, tenant: 'f'.repeat(64) } })],
    ['the same Okta org at another letter case', null, resealed((v) => (v.tenant = { ...TENANT, oktaOrgUrl: 'https://ACME.okta.com/' })), expectations()],
    ['made 4 minutes in the future (clock skew): accepted', null, raw(), expectations({ now: new Date(MADE.getTime() - 4 * 60_000) })],
    ['made 6 minutes in the future', 'from_the_future', raw(), expectations({ now: new Date(MADE.getTime() - 6 * 60_000) })],
    ['a createdAt forged a year ahead (checksum recomputed)', 'from_the_future', resealed((v) => (v.createdAt = '2027-11-30T09:00:00.000Z')), expectations()],
    ['24 hours old: still accepted', null, raw(), expectations({ now: new Date(MADE.getTime() + 24 * 3_600_000) })],
    ['older than planFile.maxAgeHours', 'too_old', raw(), expectations({ now: new Date(MADE.getTime() + 25 * 3_600_000) })],
    ['older than a shorter maxAgeHours', 'too_old', raw(), expectations({ maxAgeHours: 0.5 })],
  ])('%s → %s', (_situation, refusal, value, against) => {
    expect(refusalOf(value, against)).toBe(refusal);
  });

  it('returns the file as written when it is accepted', () => {
    expect(checkPlanFile(raw(), expectations())).toEqual(file());
  });

  it('says which check refused it, in words that say what to do', () => {
    expect(() => checkPlanFile(raw((v) => (v.runId = 'run-2')), expectations())).toThrow(/checksum does not match its content: the file was edited/);
    expect(() => checkPlanFile(raw(), expectations({ pinned: { ...TENANT, dialpadCompanyId: '43' } }))).toThrow(/dialpad company 42 \(Acme\) in the file, 43 \(Acme\) now/);
    expect(() => checkPlanFile(raw(), expectations({ now: new Date(MADE.getTime() + 30 * 3_600_000) }))).toThrow(/30\.0 hours ago, more than planFile\.maxAgeHours \(24\)/);
    expect(() => checkPlanFile(raw(), expectations({ configChecksum: configChecksum(rules(), { ...defaultSafety(), quarantineAfter: 9 }, CONFIGURED) }))).toThrow(
      /another config \(safety settings differ from the config now\)/,
    );
    expect(() => checkPlanFile(raw(), expectations({ configChecksum: configChecksum(rules({ policy: 'upsert-only' }), defaultSafety(), CONFIGURED) }))).toThrow(/another config \(rules \(.*\) differ/);
    expect(() => checkPlanFile(resealed((v) => v.users.pop()), expectations())).toThrow(/actions for ann@acme\.com have no entry in "users"/);
    expect(() => checkPlanFile(raw(), expectations({ pinnedAt: null, pinned: null }))).toThrow(/another database, .*this one has no pin/);
    expect(() => checkPlanFile(raw(), expectations({ tenant: { ...CONFIGURED, oktaAppId: '0oa2' } }))).toThrow(/another Okta org or app than the config's \(okta app 0oa1 in the file, 0oa2 in the config now\)/);
    expect(() => checkPlanFile(raw(), expectations({ configChecksum: { ...CONFIG, tenant: 'f'.repeat(64) } }))).toThrow(/Okta org or app differ from the config now/);
    expect(() => checkPlanFile(raw(), expectations({ now: new Date(MADE.getTime() - 2 * 3_600_000) }))).toThrow(/2\.0 hours from now \(more than the 5 minutes/);
  });
});

describe('configChecksum', () => {
  it('is the same for the same settings in any key order; the section of a rule, a safety setting or the app differs when it does', () => {
    const base = configChecksum(rules(), defaultSafety(), CONFIGURED);
    const reordered = Object.fromEntries(Object.entries(rules()).reverse()) as ReturnType<typeof rules>;
    expect(configChecksum(reordered, defaultSafety(), { oktaAppId: '0oa1', oktaOrgUrl: 'https://acme.okta.com' })).toEqual(base);
    expect(configChecksum(rules({ drift: { ...rules().drift, job_title: 'adopt' } }), defaultSafety(), CONFIGURED)).toEqual({ ...base, rules: expect.not.stringMatching(base.rules) });
    expect(configChecksum(rules(), defaultSafety(), { ...CONFIGURED, oktaAppId: '0oa2' })).toEqual({ ...base, tenant: expect.not.stringMatching(base.tenant) });
  });

  // Every safety setting but approvalHours changes a plan or what the gates hold: a file made under another value is another config's.
  it.each<[string, Partial<ReturnType<typeof defaultSafety>>, boolean]>([
    ['allowMassChanges', { allowMassChanges: true }, true],
    ['massSuspend', { massSuspend: { count: 1, percent: 1 } }, true],
    ['massDelete', { massDelete: { count: 1, percent: 1 } }, true],
    ['sourceHealthMinFraction', { sourceHealthMinFraction: 0.1 }, true],
    ['quarantineAfter', { quarantineAfter: 9 }, true],
    ['checkAvailableLicenses', { checkAvailableLicenses: !defaultSafety().checkAvailableLicenses }, true],
    ['allowBuyingSeats', { allowBuyingSeats: !defaultSafety().allowBuyingSeats }, true],
    ['licenseCaps', { licenseCaps: { talk: 3 } }, true],
    ['approvalHours (how long an approval lasts: no plan depends on it)', { approvalHours: 1 }, false],
  ])('safety.%s changes the safety checksum: %s', (_key, change, changes) => {
    const base = configChecksum(rules(), defaultSafety(), CONFIGURED);
    const changed = configChecksum(rules(), { ...defaultSafety(), ...change }, CONFIGURED);
    expect(changed.safety !== base.safety).toBe(changes);
    expect(changed.rules).toBe(base.rules);
  });
});
