// A console on a real store (SQLite in memory) behind a test fastify app: a fake principal from the x-test-as
// header (the web part's sign-in is its own tests), the CSRF plugin as the console runs it (a session's secret on
// request.session), a fixed clock, fixed settings and explain.
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import type { SettingRow } from '../../src/config/settings-sources.js';
import type { ConsoleHealth } from '../../src/console/health.js';
import type { Principal } from '../../src/console/principal.js';
import { registerConsoleRoutes, type ConsoleDeps } from '../../src/console/routes.js';
import type { UserExplanation } from '../../src/reconcile/explain-user.js';
import { UserNotFoundError } from '../../src/reconcile/read-sides.js';
import type { RunActionInput } from '../../src/store/run-actions.js';
import { Store } from '../../src/store/store.js';

/** The principals a test request may act as (header x-test-as). */
export const PRINCIPALS: Record<string, Principal> = {
  admin: { kind: 'token', name: 'ci', role: 'admin', actor: 'token:ci' },
  viewer: { kind: 'token', name: 'dashboards', role: 'viewer', actor: 'token:dashboards' },
  session: { kind: 'session', name: '<script>alert(1)</script>@acme.com', role: 'admin', actor: 'okta:<script>alert(1)</script>@acme.com' },
};

/** The CSRF secret of the test session (the console derives one per session). */
const CSRF_SECRET = 'test-session-csrf-secret';

/** The fixed clock: 2026-11-30T12:00Z. */
export const NOW = new Date('2026-11-30T12:00:00.000Z');

/** The settings the test console shows. */
export const SETTINGS: SettingRow[] = [
  { key: 'safety.quarantineAfter', value: 3, source: 'default', secret: false, description: 'Failing runs in a row before a user is skipped.' },
  { key: 'okta.apiToken', value: 'set', source: 'environment', secret: true, description: 'The Okta API token.' },
  { key: 'console.adminGroups', value: ['dialsync-admins', '<b>x</b>'], source: 'file', secret: false, description: 'Groups that may act.' },
];

/** What the fake explain answers for ann@acme.com (anyone else: UserNotFoundError). */
export const ANN: UserExplanation = {
  email: 'ann@acme.com',
  oktaUserId: '00u-ann',
  okta: {
    status: 'ACTIVE',
    inScope: true,
    scope: 'USER',
    appUserStatus: 'PROVISIONED',
    attributes: [{ field: 'office', tried: ['office'], attribute: 'office', profile: 'user', value: 'Berlin' }],
    writeBack: { attribute: 'dialpadPhone', target: 'user', value: null },
  },
  link: { oktaUserId: '00u-ann', dialpadUserId: '501', origin: 'created' },
  scope: null,
  relink: null,
  dialpad: null,
  office: { officeId: '9', officeName: 'Berlin', rule: 'name', attribute: 'office', value: 'Berlin', country: 'DE', explanation: 'office "Berlin" names the Berlin office', warnings: [] },
  license: { license: 'talk', source: 'default', attribute: 'dialpadLicense', value: null, explanation: 'no license attribute: the default' },
  number: { kind: 'auto', number: null, areaCode: null, explanation: 'Dialpad assigns a number' },
  drift: [
    { field: 'job_title', policy: 'adopt', okta: 'Engineer', dialpad: 'Staff Engineer', applied: 'Staff Engineer', decision: 'adopted' },
    { field: 'office', policy: 'revert', okta: '9', dialpad: '9', applied: '9', decision: 'in_step', officeNames: { okta: 'Berlin', dialpad: 'Berlin', applied: 'Berlin' } },
  ],
  next: { actions: [{ kind: 'suspend', reason: 'unassigned from the app' } as UserExplanation['next']['actions'][number]], skipped: [], withheld: [{ kind: 'suspend', reason: 'mass-change guard' }], warnings: [], summary: '1 suspend held back' },
};

/** A run action for `email`, done create unless overridden. */
export function action(email: string, overrides: Partial<RunActionInput> = {}): RunActionInput {
  return { userKey: `00u-${email}`, oktaUserId: `00u-${email}`, dialpadUserId: null, email, kind: 'create', reason: 'newly assigned', outcome: 'done', error: null, gate: null, approvedBy: null, ...overrides };
}

/** A console on a fresh store: the app to inject into, the store to seed and check, and the clock. */
export interface ConsoleWorld {
  app: FastifyInstance;
  store: Store;
  /** Sets the store's clock (runs, failures and decisions are stamped with it). */
  at(iso: string): void;
  /** A valid CSRF token of the test session, as its pages carry it in their forms' `_csrf` field. */
  csrfToken(): Promise<string>;
  /** Records a finished run started at `startedAt` lasting `seconds`, with its actions. */
  run(id: string, args: { kind?: 'full' | 'incremental' | 'reconcile'; startedAt: string; seconds: number; outcome?: 'succeeded' | 'partial' | 'failed'; actions?: RunActionInput[]; counts?: Record<string, number>; error?: string }): Promise<void>;
}

/** What a test may hand the console besides the world's fixed deps. */
export type WorldOptions = Partial<Pick<ConsoleDeps, 'searchUsers' | 'explain' | 'nextFullRun'>>;

/** For a describe block: opens a world per test (console + store), closed after each. */
export function useConsoleWorld(): (options?: WorldOptions) => Promise<ConsoleWorld> {
  const open: { app: FastifyInstance; store: Store }[] = [];
  afterEach(async () => {
    for (const world of open.splice(0)) {
      await world.app.close();
      await world.store.close();
    }
  });
  return async (options = {}) => {
    let clock = NOW;
    const store = await Store.open(':memory:', () => clock);
    const app = Fastify();
    await app.register(formbody);
    await app.register(csrf, { sessionPlugin: '@fastify/session' });
    app.decorateRequest('principal', null);
    app.decorateRequest('session', null as unknown as { _csrf?: string });
    app.addHook('onRequest', async (request) => {
      const as = request.headers['x-test-as'];
      request.principal = typeof as === 'string' ? (PRINCIPALS[as] ?? null) : null;
      request.session = request.principal?.kind === 'session' ? { _csrf: CSRF_SECRET } : {};
    });
    const health: ConsoleHealth = {
      leader: 'daemon@pod-1:7',
      replicas: [{ name: 'daemon@pod-1:7', leader: true, ready: false, checkedAt: NOW.toISOString(), problems: [{ reason: 'dialpad_credentials', detail: 'Dialpad refused the API key (401)' }] }],
      lastFull: null,
      lastIncremental: null,
      ready: false,
      reasons: [{ reason: 'dialpad_credentials', detail: 'Dialpad refused the API key (401)' }],
      credentials: [
        { side: 'okta', state: 'ok', detail: null },
        { side: 'dialpad', state: 'refused', detail: 'Dialpad refused the API key (401)' },
      ],
    };
    const deps: ConsoleDeps = {
      store,
      settings: () => SETTINGS,
      explain: async (email) => {
        if (email === ANN.email) return ANN;
        throw new UserNotFoundError(email);
      },
      health: async () => health,
      approvalTtlHours: 24,
      now: () => NOW,
      ...options,
    };
    registerConsoleRoutes(app, deps);
    await app.ready();
    open.push({ app, store });
    return {
      app,
      store,
      csrfToken: async () => {
        const page = await app.inject({ method: 'GET', url: '/settings', headers: { 'x-test-as': 'session' } });
        const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
        if (token === undefined) throw new Error('no CSRF token on the page');
        return token;
      },
      at: (iso) => {
        clock = new Date(iso);
      },
      run: async (id, args) => {
        clock = new Date(args.startedAt);
        await store.runs.start(id, args.kind ?? 'full', true);
        if (args.actions) await store.runActions.record(id, args.actions);
        clock = new Date(Date.parse(args.startedAt) + args.seconds * 1000);
        await store.runs.finish(id, args.outcome ?? 'succeeded', { assignments: 10, plannedActions: args.actions?.length ?? 0, ...args.counts }, args.error);
        clock = NOW;
      },
    };
  };
}
