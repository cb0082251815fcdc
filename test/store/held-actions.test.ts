// The held actions and the decisions on them (migrations/20261130190000_console_history.js): approve and dismiss
// audit each change in the same transaction, approvals expire, and an applying run's settle replaces the held set.
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/log/redactor.js';
import type { HeldActionInput } from '../../src/store/held-actions.js';
import { STORE_BACKENDS, useStores } from './backends.js';

const T0 = new Date('2026-11-30T12:00:00.000Z');

function heldSuspend(n: number, overrides: Partial<HeldActionInput> = {}): HeldActionInput {
  return {
    userKey: `okta:00u${n}`,
    oktaUserId: `00u${n}`,
    dialpadUserId: `620000000000000000${n}`,
    email: `user${n}@example.com`,
    kind: 'suspend',
    gate: 'mass-change',
    reason: `held back by the mass-change guard: user${n} is no longer assigned`,
    ...overrides,
  };
}

describe.each(STORE_BACKENDS)('HeldActionStore on %s', (backend) => {
  const open = useStores(backend);
  let clock = T0;
  const now = (): Date => clock;

  async function withRuns(...ids: string[]) {
    clock = T0;
    const store = await open(now);
    for (const id of ids) await store.runs.start(id, 'full', true);
    return store;
  }

  it('keeps what a full run held, oldest first, undecided', async () => {
    const store = await withRuns('run-1', 'run-2');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1)], scope: 'all', done: [] });
    clock = new Date(T0.getTime() + 60_000);
    await store.held.settle({ runId: 'run-2', held: [heldSuspend(2), heldSuspend(1, { reason: 'held again' })], scope: 'all', done: [] });

    const held = await store.held.list();
    expect(held.map((h) => [h.email, h.runId, h.heldAt, h.reason, h.decision])).toEqual([
      ['user1@example.com', 'run-2', T0.toISOString(), 'held again', null],
      ['user2@example.com', 'run-2', clock.toISOString(), held[1]?.reason, null],
    ]);
    expect(held[0]).toMatchObject({ userKey: 'okta:00u1', oktaUserId: '00u1', kind: 'suspend', gate: 'mass-change', decidedBy: null, expiresAt: null });
  });

  it('approve records who and until when, audits each action in the same transaction, and counts until expiry', async () => {
    const store = await withRuns('run-1');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1), heldSuspend(2), heldSuspend(3)], scope: 'all', done: [] });
    const [first, second] = await store.held.list();
    const expires = new Date(T0.getTime() + 24 * 3_600_000);

    const approved = await store.held.approve([first!.id, second!.id, 999], 'cli:admin@host', expires);
    expect(approved.map((h) => [h.email, h.decision, h.decidedBy, h.expiresAt])).toEqual([
      ['user1@example.com', 'approved', 'cli:admin@host', expires.toISOString()],
      ['user2@example.com', 'approved', 'cli:admin@host', expires.toISOString()],
    ]);
    expect(await store.held.approvals(T0)).toEqual([
      { userKey: 'okta:00u1', kind: 'suspend', approvedBy: 'cli:admin@host' },
      { userKey: 'okta:00u2', kind: 'suspend', approvedBy: 'cli:admin@host' },
    ]);
    const audit = await store.audit.list({ limit: 10 });
    expect(audit.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['cli:admin@host', 'approve', 'user2@example.com'],
      ['cli:admin@host', 'approve', 'user1@example.com'],
    ]);
    expect(audit[0]?.detail).toMatchObject({ kind: 'suspend', gate: 'mass-change', runId: 'run-1', expiresAt: expires.toISOString() });

    // At the expiry the approvals stop counting.
    expect(await store.held.approvals(expires)).toEqual([]);
  });

  it('expire() puts expired approvals back to undecided and audits approval_expired as dialsync', async () => {
    const store = await withRuns('run-1');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1), heldSuspend(2)], scope: 'all', done: [] });
    const expires = new Date(T0.getTime() + 3_600_000);
    await store.held.approve('all', 'okta:admin@example.com', expires);

    expect(await store.held.expire(new Date(expires.getTime() - 1))).toEqual([]);
    clock = expires;
    const expired = await store.held.expire(expires);
    expect(expired.map((h) => [h.email, h.decision, h.decidedBy])).toEqual([
      ['user1@example.com', 'approved', 'okta:admin@example.com'],
      ['user2@example.com', 'approved', 'okta:admin@example.com'],
    ]);
    expect((await store.held.list()).map((h) => [h.decision, h.expiresAt])).toEqual([
      [null, null],
      [null, null],
    ]);
    const audit = await store.audit.list({ limit: 10 });
    expect(audit.slice(0, 2).map((e) => [e.actor, e.action, e.target, e.detail.approvedBy])).toEqual([
      ['dialsync', 'approval_expired', 'user2@example.com', 'okta:admin@example.com'],
      ['dialsync', 'approval_expired', 'user1@example.com', 'okta:admin@example.com'],
    ]);
  });

  it('dismiss keeps the action held, withdraws an approval, and a later run keeps the dismissal', async () => {
    const store = await withRuns('run-1', 'run-2');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1)], scope: 'all', done: [] });
    await store.held.approve('all', 'cli:a@h', new Date(T0.getTime() + 3_600_000));
    const dismissed = await store.held.dismiss('all', 'cli:b@h');
    expect(dismissed.map((h) => [h.decision, h.decidedBy, h.expiresAt])).toEqual([['dismissed', 'cli:b@h', null]]);
    expect(await store.held.approvals(T0)).toEqual([]);

    await store.held.settle({ runId: 'run-2', held: [heldSuspend(1)], scope: 'all', done: [] });
    expect((await store.held.list()).map((h) => [h.runId, h.decision])).toEqual([['run-2', 'dismissed']]);
    expect((await store.audit.list({ limit: 10 })).map((e) => e.action)).toEqual(['dismiss', 'approve']);
  });

  it('settle: a done approved action goes and is audited applied; a failed approved one keeps its approval; the rest not held goes', async () => {
    const store = await withRuns('run-1', 'run-2');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1), heldSuspend(2), heldSuspend(3), heldSuspend(4)], scope: 'all', done: [] });
    const [one, two] = await store.held.list();
    await store.held.approve([one!.id, two!.id], 'cli:admin@host', new Date(T0.getTime() + 3_600_000));

    // run-2: user1's approved suspend is done, user2's failed (not done), user3 is held again, user4 is not planned any more.
    const applied = await store.held.settle({ runId: 'run-2', held: [heldSuspend(3), heldSuspend(5)], scope: 'all', done: [{ userKey: 'okta:00u1', kind: 'suspend' }] });
    expect(applied.map((h) => h.email)).toEqual(['user1@example.com']);
    expect((await store.held.list()).map((h) => [h.email, h.decision])).toEqual([
      ['user2@example.com', 'approved'],
      ['user3@example.com', null],
      ['user5@example.com', null],
    ]);
    const [latest] = await store.audit.list({ limit: 1 });
    expect(latest).toMatchObject({ actor: 'dialsync', action: 'approval_applied', target: 'user1@example.com', detail: { runId: 'run-2', kind: 'suspend', approvedBy: 'cli:admin@host' } });
  });

  it('settle for a targeted run touches only its own users', async () => {
    const store = await withRuns('run-1', 'run-2');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1), heldSuspend(2)], scope: 'all', done: [] });
    await store.held.settle({ runId: 'run-2', held: [heldSuspend(3)], scope: ['okta:00u1', 'okta:00u3'], done: [] });
    expect((await store.held.list()).map((h) => h.email)).toEqual(['user2@example.com', 'user3@example.com']);
    await store.held.settle({ runId: 'run-2', held: [], scope: [], done: [] });
    expect(await store.held.list()).toHaveLength(2);
  });

  it('a held suspend and a held delete of one user are two rows', async () => {
    const store = await withRuns('run-1');
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1), heldSuspend(1, { kind: 'delete' }), heldSuspend(1)], scope: 'all', done: [] });
    expect((await store.held.list()).map((h) => h.kind).sort()).toEqual(['delete', 'suspend']);
  });

  it('holds and approves 1,200 actions (more than one statement)', async () => {
    const store = await withRuns('run-1');
    const many = Array.from({ length: 1_200 }, (_, i) => heldSuspend(i + 10));
    await store.held.settle({ runId: 'run-1', held: many, scope: 'all', done: [] });
    expect(await store.held.approve('all', 'cli:a@h', new Date(T0.getTime() + 1_000))).toHaveLength(1_200);
    await store.held.settle({ runId: 'run-1', held: [], scope: 'all', done: many.map((h) => ({ userKey: h.userKey, kind: h.kind })) });
    expect(await store.held.list()).toEqual([]);
    expect(await store.audit.list({ limit: 5_000 })).toHaveLength(2_400);
  });

  it('redacts secrets out of reasons and audit details', async () => {
    clock = T0;
    const store = await open(now, new Redactor(['s3cr3t-token-value']));
    await store.runs.start('run-1', 'full', true);
    await store.held.settle({ runId: 'run-1', held: [heldSuspend(1, { reason: 'failed with s3cr3t-token-value' })], scope: 'all', done: [] });
    await store.audit.record({ actor: 'cli:a@h', action: 'release', target: 'x@example.com', detail: { note: 'has s3cr3t-token-value' } });
    expect((await store.held.list())[0]?.reason).not.toContain('s3cr3t-token-value');
    expect(JSON.stringify(await store.audit.list({ limit: 1 }))).not.toContain('s3cr3t-token-value');
  });
});
