import { afterEach, describe, expect, it } from 'vitest';
import type { ApplyContext } from '../../src/apply/apply-context.js';
import { applyPlan, type ActionResult } from '../../src/apply/apply-plan.js';
import { DialpadError } from '../../src/dialpad/errors.js';
import { OktaError } from '../../src/okta/errors.js';
import type { DialpadGateway } from '../../src/dialpad/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OktaGateway } from '../../src/okta/types.js';
import type { Action, Plan, UserPlan } from '../../src/plan/types.js';
import { Store } from '../../src/store/store.js';
import { rules } from '../plan/fixtures.js';
import { FakeDialpad, FakeOkta, refused, useRunStore } from './fake-gateways.js';

/** Gateways that fail any call: adopting touches no API. */
const noApi = new Proxy({}, { get: () => () => Promise.reject(new Error('no API call expected')) });

function planOf(users: UserPlan[]): Plan {
  return { users, skipped: [], unmanaged: [], warnings: [], withheld: [] };
}

function adoptOnly(i: number): UserPlan {
  const dialpadUserId = String(6400000000000000000n + BigInt(i));
  return { oktaUserId: `00uA${i}`, dialpadUserId, email: `a${i}@example.com`, actions: [{ kind: 'adopt', dialpadUserId, reason: 'same primary email' }] };
}

describe('applyPlan', () => {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  async function context(): Promise<ApplyContext & { store: Store }> {
    const store = await Store.open(':memory:');
    opened.push(store);
    return {
      dialpad: noApi as DialpadGateway,
      okta: noApi as OktaGateway,
      store,
      rules: rules(),
      runId: 'run-1',
      concurrency: 4,
      logger: silentLogger(),
    };
  }

  it('links adopt-only users together, without an API call, and reports each one done', async () => {
    const ctx = await context();
    const progress: number[] = [];
    const users = Array.from({ length: 1_250 }, (_, i) => adoptOnly(i));
    const result = await applyPlan(planOf(users), { ...ctx, onProgress: (done) => progress.push(done) });

    expect(result.failedUsers).toEqual([]);
    expect(result.actions).toHaveLength(1_250);
    expect(result.actions.every((action) => action.kind === 'adopt' && action.outcome === 'done')).toBe(true);
    expect(result.actions[7]).toMatchObject({ email: 'a7@example.com', dialpadUserId: '6400000000000000007', detail: 'linked to Dialpad user 6400000000000000007' });
    const links = await ctx.store.links.all();
    expect(links).toHaveLength(1_250);
    expect(links.every((link) => link.origin === 'adopted')).toBe(true);
    expect(progress.at(-1)).toBe(1_250);
  });

  it('reports every adopt-only user failed when their links cannot be saved, and saves none', async () => {
    const ctx = await context();
    // Two Okta users claiming one Dialpad user: the store refuses the batch.
    const clash = { ...adoptOnly(2), oktaUserId: '00uOther', email: 'other@example.com', actions: adoptOnly(1).actions, dialpadUserId: adoptOnly(1).dialpadUserId };
    const result = await applyPlan(planOf([adoptOnly(1), clash]), ctx);

    expect(result.actions.map((action) => action.outcome)).toEqual(['failed', 'failed']);
    expect(result.failedUsers.map((user) => user.email)).toEqual(['a1@example.com', 'other@example.com']);
    expect(await ctx.store.links.all()).toEqual([]);
    // The failures are recorded per user, for quarantine.
    expect((await ctx.store.userErrors.recordedKeys()).size).toBe(2);
  });

  it('adopts nobody once shutdown has begun', async () => {
    const ctx = await context();
    const controller = new AbortController();
    controller.abort();
    const result = await applyPlan(planOf([adoptOnly(1)]), { ...ctx, signal: controller.signal });
    expect(result.actions).toMatchObject([{ kind: 'adopt', outcome: 'not_run', detail: 'shutting down' }]);
    expect(await ctx.store.links.all()).toEqual([]);
  });
});

describe('applyPlan: each user\'s actions as a dependency graph', () => {
  const openStore = useRunStore();

  async function world() {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const okta = new FakeOkta();
    const context: ApplyContext = { dialpad: dialpad.gateway(), okta: okta.gateway(), store, rules: rules(), runId: 'run-1', concurrency: 2, logger: silentLogger() };
    return { store, dialpad, okta, context };
  }

  const TITLE = 'Head of Telephony';
  const create: Action = { kind: 'create', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', officeId: '5001', license: 'talk', autoAssign: true, jobTitle: TITLE, reason: 'new' };
  const pendingWriteBack: Action = { kind: 'write_back', from: null, to: null, pending: true, reason: 'number' };
  const newUser: UserPlan = { oktaUserId: '00uAnn', dialpadUserId: null, email: 'ann@example.com', actions: [create, pendingWriteBack] };

  const outcomes = (results: readonly ActionResult[]) => results.map((r) => `${r.kind} ${r.outcome}${r.detail && r.outcome === 'not_run' ? ` (${r.detail})` : ''}`);

  it('reports a create done when Dialpad refuses its title, the title PATCH failed on its own, and writes the number back', async () => {
    const { store, dialpad, okta, context } = await world();
    dialpad.intercept = (method, _id, input) => (method === 'updateUser' && (input as { jobTitle?: string }).jobTitle ? refused('job_title too long') : undefined);

    const result = await applyPlan(planOf([newUser]), context);

    expect(outcomes(result.actions)).toEqual(['create done', 'set_job_title failed', 'write_back done']);
    expect(result.actions[1]?.error).toContain('job_title too long');
    const [created] = [...dialpad.users.values()];
    expect(okta.written.get('00uAnn')).toBe(created?.phoneNumbers[0]);
    expect(await store.links.byOktaUserId('00uAnn')).toMatchObject({ dialpadUserId: created?.id, origin: 'created' });
    expect(result.failedUsers).toEqual([expect.objectContaining({ email: 'ann@example.com', error: expect.stringContaining('job_title too long') })]);
    // The title PATCH is journaled under its own kind, so a create entry is always the POST.
    const journal = await store.journal.forRun('run-1');
    expect(journal.map(({ action, status }) => ({ action, status }))).toEqual([
      { action: 'create', status: 'done' },
      { action: 'set_job_title', status: 'failed' },
      { action: 'write_back', status: 'done' },
    ]);
  });

  it('sends no title PATCH when the adopted user (a 409 on create) already has the title', async () => {
    const { dialpad, context } = await world();
    dialpad.addUser({ emails: ['ann@example.com'], jobTitle: TITLE, phoneNumbers: ['+12125550100'] });
    dialpad.intercept = (method) => (method === 'createUser' ? new DialpadError({ code: 'conflict', status: 409, method: 'POST', path: '/api/v2/users' }) : undefined);

    const result = await applyPlan(planOf([newUser]), context);

    expect(outcomes(result.actions)).toEqual(['create done', 'set_job_title unchanged', 'write_back done']);
    expect(dialpad.calls).not.toContain('updateUser');
  });

  it('leaves the write-back not run when the create fails, saying why', async () => {
    const { dialpad, okta, context } = await world();
    dialpad.intercept = (method) => (method === 'createUser' ? refused('office full', 'POST', '/api/v2/users') : undefined);

    const result = await applyPlan(planOf([newUser]), context);

    expect(outcomes(result.actions)).toEqual(['create failed', 'set_job_title not_run (needs create, which failed)', 'write_back not_run (needs create, which failed)']);
    expect(result.actions.map((action) => action.notRunReason)).toEqual([undefined, 'earlier_failure', 'earlier_failure']);
    expect(okta.written.size).toBe(0);
  });

  it('writes back the number the user still has when an international move fails', async () => {
    const { dialpad, okta, context } = await world();
    const user = dialpad.addUser({ phoneNumbers: ['+12125550181'] });
    dialpad.intercept = (method) => (method === 'moveOffice' ? refused('office closed') : undefined);
    const plan: UserPlan = {
      oktaUserId: '00uAnn',
      dialpadUserId: user.id,
      email: 'ann@example.com',
      actions: [{ kind: 'move_office', fromOfficeId: '5001', toOfficeId: '6001', international: true, reason: 'moved' }, pendingWriteBack],
    };

    const result = await applyPlan(planOf([plan]), context);

    expect(outcomes(result.actions)).toEqual(['move_office failed', 'write_back done']);
    expect(okta.written.get('00uAnn')).toBe('+12125550181');
  });

  it('does not write back when the number assignment it waits for fails', async () => {
    const { dialpad, okta, context } = await world();
    const user = dialpad.addUser();
    dialpad.intercept = (method) => (method === 'assignNumber' ? refused('no numbers left', 'POST') : undefined);
    const plan: UserPlan = {
      oktaUserId: '00uAnn',
      dialpadUserId: user.id,
      email: 'ann@example.com',
      actions: [{ kind: 'assign_number', number: null, areaCode: '212', reason: 'no number' }, pendingWriteBack],
    };

    const result = await applyPlan(planOf([plan]), context);

    expect(outcomes(result.actions)).toEqual(['assign_number failed', 'write_back not_run (needs assign_number, which failed)']);
    expect(okta.written.size).toBe(0);
  });

  it('still suspends after a failed update, which the suspend does not depend on', async () => {
    const { dialpad, context } = await world();
    const user = dialpad.addUser();
    dialpad.intercept = (method, _id, input) => (method === 'updateUser' && (input as { state?: string }).state === undefined ? refused('bad name') : undefined);
    const plan: UserPlan = {
      oktaUserId: '00uAnn',
      dialpadUserId: user.id,
      email: 'ann@example.com',
      actions: [
        { kind: 'update', changes: [{ field: 'first_name', from: 'Ada', to: 'Ann' }], reason: 'renamed' },
        { kind: 'suspend', reason: 'suspended in Okta' },
      ],
    };

    const result = await applyPlan(planOf([plan]), context);

    expect(outcomes(result.actions)).toEqual(['update failed', 'suspend done']);
    expect(result.actions[0]?.error).toMatch(/^first_name refused \(Dialpad rejected PATCH .*bad name\)$/);
    expect(dialpad.users.get(user.id)?.state).toBe('suspended');
  });

  it('starts nothing new once shutdown has begun: the create in flight finishes, its follow-ups are left for the next run', async () => {
    const { store, dialpad, okta, context } = await world();
    const controller = new AbortController();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    dialpad.intercept = (method) => {
      if (method !== 'createUser') return undefined;
      controller.abort();
      return held.then(() => undefined);
    };
    const applying = applyPlan(planOf([newUser]), { ...context, signal: controller.signal });
    release();
    const result = await applying;

    expect(outcomes(result.actions)).toEqual(['create done', 'set_job_title not_run (shutting down)', 'write_back not_run (shutting down)']);
    expect(result.actions.map((action) => action.notRunReason)).toEqual([undefined, 'shutdown', 'shutdown']);
    expect(result.failedUsers).toEqual([]);
    expect(dialpad.calls).toEqual(['createUser']);
    expect(okta.written.size).toBe(0);
    expect(await store.journal.unfinished()).toEqual([]);
  });

  it('reports a write the client stopped before sending (shutdown) as not run, not failed', async () => {
    const { store, dialpad, context } = await world();
    const controller = new AbortController();
    dialpad.intercept = (method) => {
      if (method !== 'createUser') return undefined;
      controller.abort();
      return new DialpadError({ code: 'aborted', status: null, method: 'POST', path: '/api/v2/users' });
    };

    const result = await applyPlan(planOf([newUser]), { ...context, signal: controller.signal });

    expect(outcomes(result.actions)).toEqual(['create not_run (shutting down)', 'set_job_title not_run (needs create, which did not run)', 'write_back not_run (needs create, which did not run)']);
    expect(result.actions.map((action) => action.notRunReason)).toEqual(['shutdown', 'earlier_not_run', 'earlier_not_run']);
    expect(result.failedUsers).toEqual([]);
    expect(await store.userErrors.recordedKeys()).toEqual(new Set());
    expect(await store.journal.unfinished()).toEqual([]);
  });
});

describe('applyPlan: the Okta write-backs from a queue of their own', () => {
  const openStore = useRunStore();

  async function world(concurrency: { users: number; writeBacks: number }) {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const okta = new FakeOkta();
    const context: ApplyContext = {
      dialpad: dialpad.gateway(),
      okta: okta.gateway(),
      store,
      rules: rules(),
      runId: 'run-1',
      concurrency: concurrency.users,
      writeBackConcurrency: concurrency.writeBacks,
      logger: silentLogger(),
    };
    return { store, dialpad, okta, context };
  }

  /** A new hire: a create (no title) and the write-back of the number it gets. */
  const hire = (name: string): UserPlan => ({
    oktaUserId: `00u${name}`,
    dialpadUserId: null,
    email: `${name}@example.com`,
    actions: [
      { kind: 'create', email: `${name}@example.com`, firstName: name, lastName: 'Lee', officeId: '5001', license: 'talk', autoAssign: true, jobTitle: null, reason: 'new' },
      { kind: 'write_back', from: null, to: null, pending: true, reason: 'number' },
    ],
  });

  /** A promise and the function that settles it. */
  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((settle) => (resolve = settle));
    return { promise, resolve };
  }

  const outcomes = (results: readonly ActionResult[]) => results.map((r) => `${r.email.split('@')[0]} ${r.kind} ${r.outcome}`);

  it("runs a user's write-back and the next user's Dialpad side at once: one user slot, freed before the write-back", async () => {
    const { dialpad, okta, context } = await world({ users: 1, writeBacks: 1 });
    const inFlight = new Set<string>();
    const overlaps: string[][] = [];
    // Bob's create and Ann's write-back each wait until the other has started: both must be in flight at once
    // (with the write-back inside the user slot, Bob's create could never start and neither would finish).
    const bobCreating = deferred();
    const annWriting = deferred();
    const track = async (name: string, started: () => void, other: Promise<void>): Promise<void> => {
      inFlight.add(name);
      started();
      await other;
      overlaps.push([...inFlight].sort());
      inFlight.delete(name);
    };
    dialpad.intercept = (method, _id, input) =>
      method === 'createUser' && (input as { email: string }).email === 'bob@example.com' ? track('bob create', bobCreating.resolve, annWriting.promise) : undefined;
    okta.intercept = (oktaUserId) => (oktaUserId === '00uann' ? track('ann write-back', annWriting.resolve, bobCreating.promise) : undefined);

    const result = await applyPlan(planOf([hire('ann'), hire('bob')]), context);

    expect(overlaps[0]).toEqual(['ann write-back', 'bob create']);
    // Results stay in plan order, user by user, whatever order the queues finished in.
    expect(outcomes(result.actions)).toEqual(['ann create done', 'ann write_back done', 'bob create done', 'bob write_back done']);
    expect([...okta.written.keys()].sort()).toEqual(['00uann', '00ubob']);
  });

  it('counts a user done (onProgress) only once its write-back has ended, and ends the run only when the queue has drained', async () => {
    const { okta, context } = await world({ users: 2, writeBacks: 1 });
    const progress: number[] = [];
    const held = deferred();
    const annSent = deferred();
    okta.intercept = (oktaUserId) => {
      if (oktaUserId !== '00uann') return undefined;
      annSent.resolve();
      return held.promise;
    };
    let finished = false;
    const applying = applyPlan(planOf([hire('ann'), hire('bob')]), { ...context, onProgress: (done) => progress.push(done) }).then((result) => {
      finished = true;
      return result;
    });
    // Ann's write-back holds the only Okta place; Bob's, whenever his Dialpad side ends, waits behind it.
    await annSent.promise;
    expect(progress).toEqual([]);
    expect(finished).toBe(false);
    held.resolve();
    const result = await applying;
    expect(progress).toEqual([1, 2]);
    expect(result.actions.every((action) => action.outcome === 'done')).toBe(true);
  });

  it('reports a failed write-back as its user failed, counted toward the quarantine like any failure', async () => {
    const { store, okta, context } = await world({ users: 2, writeBacks: 2 });
    okta.intercept = (oktaUserId) =>
      oktaUserId === '00ubob' ? new OktaError({ code: 'bad_request', status: 400, oktaErrorCode: 'E0000001', errorCauses: ['dialpadPhone: too long'], message: 'writing dialpadPhone: refused' }) : undefined;

    const result = await applyPlan(planOf([hire('ann'), hire('bob')]), context);

    expect(outcomes(result.actions)).toEqual(['ann create done', 'ann write_back done', 'bob create done', 'bob write_back failed']);
    expect(result.failedUsers).toEqual([{ email: 'bob@example.com', oktaUserId: '00ubob', error: expect.stringContaining('refused') }]);
    expect(result.systemic).toEqual([]);
    expect(await store.userErrors.recordedKeys()).toEqual(new Set(['okta:00ubob']));
    expect(await store.journal.forRun('run-1')).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'write_back', oktaUserId: '00ubob', status: 'failed' })]));
  });

  it('feeds write-back failures every user shares to the systemic verdict: reported once, counted for nobody', async () => {
    const { store, okta, context } = await world({ users: 2, writeBacks: 2 });
    okta.intercept = () =>
      new OktaError({ code: 'bad_request', status: 400, oktaErrorCode: 'E0000001', errorCauses: ["Property name 'dialpadPhone' is not defined in profile schema"], message: 'writing dialpadPhone: refused' });
    const users = ['ann', 'bob', 'cy', 'dee'].map(hire);

    const result = await applyPlan(planOf(users), context);

    expect(result.failedUsers.map((user) => user.email)).toEqual(['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com']);
    expect(result.systemic).toEqual([expect.objectContaining({ code: 'okta.E0000001', users: 4 })]);
    expect(await store.userErrors.recordedKeys()).toEqual(new Set());
    expect((await store.systemicFailures.active()).map((failure) => failure.code)).toEqual(['okta.E0000001']);
  });

  it('starts no queued write-back once shutdown has begun: the one in flight finishes and is journaled, the rest are left for the next run', async () => {
    const { store, dialpad, okta, context } = await world({ users: 1, writeBacks: 1 });
    const controller = new AbortController();
    const annWrite = deferred();
    dialpad.intercept = (method, _id, input) => {
      // One user slot: Cy's create starting means Bob's Dialpad side is done and his write-back waits in the queue.
      if (method === 'createUser' && (input as { email: string }).email === 'cy@example.com') {
        controller.abort();
        annWrite.resolve();
      }
      return undefined;
    };
    okta.intercept = (oktaUserId) => (oktaUserId === '00uann' ? annWrite.promise : undefined);

    const result = await applyPlan(planOf(['ann', 'bob', 'cy'].map(hire)), { ...context, signal: controller.signal });

    expect(outcomes(result.actions)).toEqual(['ann create done', 'ann write_back done', 'bob create done', 'bob write_back not_run', 'cy create done', 'cy write_back not_run']);
    expect(result.actions.filter((action) => action.outcome === 'not_run').map((action) => action.notRunReason)).toEqual(['shutdown', 'shutdown']);
    expect([...okta.written.keys()]).toEqual(['00uann']);
    expect(result.failedUsers).toEqual([]);
    expect(await store.journal.unfinished()).toEqual([]);
    const journal = await store.journal.forRun('run-1');
    expect(journal.filter((entry) => entry.action === 'write_back').map(({ oktaUserId, status }) => ({ oktaUserId, status }))).toEqual([{ oktaUserId: '00uann', status: 'done' }]);
  });
});

describe('applyPlan: the applied values it records (drift)', () => {
  const openStore = useRunStore();

  async function world() {
    const store = await openStore();
    const dialpad = new FakeDialpad();
    const context: ApplyContext = { dialpad: dialpad.gateway(), okta: new FakeOkta().gateway(), store, rules: rules(), runId: 'run-1', concurrency: 2, logger: silentLogger() };
    return { store, dialpad, context };
  }

  const valuesOf = async (store: Store, id: string) =>
    Object.fromEntries(Object.entries((await store.appliedValues.forUsers([id])).get(id) ?? {}).map(([field, value]) => [field, [value.applied, value.okta]]));

  it("records a create's names, office, license and title once each write went through", async () => {
    const { store, dialpad, context } = await world();
    const create: Action = { kind: 'create', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', officeId: '5001', license: 'talk', autoAssign: false, jobTitle: 'Engineer', reason: 'new' };
    await applyPlan(planOf([{ oktaUserId: '00uAnn', dialpadUserId: null, email: 'ann@example.com', actions: [create] }]), context);
    const [created] = [...dialpad.users.values()];
    expect(await valuesOf(store, created?.id ?? '')).toEqual({
      first_name: ['Ann', 'Ann'],
      last_name: ['Lee', 'Lee'],
      office: ['5001', '5001'],
      license: ['talk', 'talk'],
      job_title: ['Engineer', 'Engineer'],
    });
  });

  it("records an update's and a move's fields, only those Dialpad took, and the plan's baselines and adoptions", async () => {
    const { store, dialpad, context } = await world();
    const user = dialpad.addUser();
    dialpad.intercept = (method, _id, input) => (method === 'updateUser' && (input as { lastName?: string }).lastName !== undefined ? refused('bad name') : undefined);
    const plan: Plan = {
      ...planOf([
        {
          oktaUserId: '00uAnn',
          dialpadUserId: user.id,
          email: 'ann@example.com',
          actions: [
            { kind: 'update', changes: [{ field: 'job_title', from: 'Staff', to: 'Engineer' }, { field: 'last_name', from: 'Lovelace', to: 'L' }, { field: 'emails', from: ['a@x.com'], to: ['ann@example.com'] }], reason: 'drift' },
            { kind: 'move_office', fromOfficeId: '5001', toOfficeId: '5002', international: false, reason: 'moved' },
          ],
        },
      ]),
      appliedRecords: [
        { dialpadUserId: user.id, field: 'license', applied: 'talk', okta: 'talk' },
        { dialpadUserId: user.id, field: 'first_name', applied: 'Augusta', okta: 'Ada' },
      ],
    };
    const result = await applyPlan(plan, context);
    expect(result.actions.map((a) => `${a.kind} ${a.outcome}`)).toEqual(['update failed', 'move_office done']);
    expect(await valuesOf(store, user.id)).toEqual({
      job_title: ['Engineer', 'Engineer'],
      office: ['5002', '5002'],
      license: ['talk', 'talk'],
      first_name: ['Augusta', 'Ada'],
    });
  });

  it('forgets the applied values of a Dialpad user it deletes', async () => {
    const { store, dialpad, context } = await world();
    const user = dialpad.addUser();
    await store.appliedValues.record([{ dialpadUserId: user.id, field: 'office', applied: '5001', okta: '5001' }]);
    await applyPlan(planOf([{ oktaUserId: '00uAnn', dialpadUserId: user.id, email: 'ann@example.com', actions: [{ kind: 'delete', reason: 'deleted in Okta' }] }]), context);
    expect(await store.appliedValues.forUsers(null)).toEqual(new Map());
  });
});
