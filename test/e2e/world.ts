// An Okta org and a Dialpad company in the in-repo sandbox, and dialsync's CLI run in-process against them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DialpadSandbox, type DialpadSandboxOptions } from '../../sandbox/dialpad/sandbox.js';
import { OktaSandbox, type OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/wiring/build.js';
import { runCliInProcess, type CliRun } from './in-process-cli.js';

export class World {
  readonly okta: OktaSandbox;
  readonly dialpad: DialpadSandbox;
  /** A SQLite file of its own; a test may point it at a PostgreSQL database (a DSN) before running anything. */
  database = join(mkdtempSync(join(tmpdir(), 'dialsync-e2e-')), 'dialsync.sqlite');
  extraEnv: Record<string, string> = {};
  private configFiles = 0;

  /** Sandbox options: an Okta profile schema without dialpadPhone, injected faults, ... */
  constructor(options: { okta?: OktaSandboxOptions; dialpad?: DialpadSandboxOptions } = {}) {
    this.okta = new OktaSandbox(options.okta);
    this.dialpad = new DialpadSandbox(options.dialpad);
  }

  async start(): Promise<this> {
    await Promise.all([this.okta.start(), this.dialpad.start()]);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.okta.stop(), this.dialpad.stop()]);
  }

  env(): NodeJS.ProcessEnv {
    return {
      OKTA_ORG_URL: this.okta.url,
      OKTA_APP_ID: this.okta.appId,
      OKTA_API_TOKEN: this.okta.token,
      DIALPAD_BASE_URL: this.dialpad.url,
      DIALPAD_API_KEY: this.dialpad.apiKey,
      DIALSYNC_DATABASE: this.database,
      DIALSYNC_LOG_LEVEL: 'warn',
      ...this.extraEnv,
    };
  }

  async cli(...args: string[]): Promise<CliRun> {
    return runCliInProcess(args, this.env());
  }

  /** reconcile --json, parsed. */
  async reconcile(...args: string[]): Promise<{ code: number; report: ReconcileJson; stderr: string }> {
    const run = await this.cli('reconcile', '--json', ...args);
    let report: ReconcileJson;
    try {
      report = JSON.parse(run.stdout) as ReconcileJson;
    } catch {
      throw new Error(`reconcile printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
    return { code: run.code, report, stderr: run.stderr };
  }

  /** Writes `yaml` to a new config file beside the database and returns its path, for `--config`. */
  configFile(yaml: string): string {
    const file = join(dirname(this.database), `dialsync-${(this.configFiles += 1)}.yaml`);
    writeFileSync(file, yaml);
    return file;
  }

  /** Runs `use` on the run's database, opened and closed around it (to read links, or stage what a crashed run left). */
  async withStore<T>(use: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ database: this.database });
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }

  /** The sandboxes and database, as test/daemon/harness.ts's startDaemon takes them (stopping them is left to stop()). */
  asSandboxes(): { okta: OktaSandbox; dialpad: DialpadSandbox; dir: string; database: string; stop: () => Promise<void> } {
    return { okta: this.okta, dialpad: this.dialpad, dir: dirname(this.database), database: this.database, stop: async () => {} };
  }

  /** Requests that change something, on either side. */
  writeRequests(): { service: string; method: string; path: string }[] {
    return [
      ...this.okta.requests.filter((r) => r.method !== 'GET').map((r) => ({ service: 'okta', method: r.method, path: r.path })),
      ...this.dialpad.requests.filter((r) => r.method !== 'GET').map((r) => ({ service: 'dialpad', method: r.method, path: r.path })),
    ];
  }

  clearRequests(): void {
    this.okta.clearRequests();
    this.dialpad.clearRequests();
  }

  dialpadUserByEmail(email: string) {
    const found = this.dialpad.users().filter((user) => user.state !== 'deleted' && user.emails[0]?.toLowerCase() === email.toLowerCase());
    if (found.length > 1) throw new Error(`${found.length} Dialpad users have ${email}`);
    return found[0];
  }
}

export interface ReconcileJson {
  runId: string;
  apply: boolean;
  /** How the run ended (src/reconcile/run-outcome.ts). */
  outcome: string;
  plan: {
    users: { oktaUserId: string | null; dialpadUserId: string | null; email: string; actions: { kind: string; reason: string; [key: string]: unknown }[] }[];
    skipped: { email: string | null; code: string; reason: string }[];
    unmanaged: { dialpadUserId: string; email: string | null }[];
    warnings: { email: string | null; message: string }[];
  };
  result: null | { actions: { email: string; kind: string; outcome: string; error: string | null }[]; failedUsers: unknown[] };
}

/** A small company: two US offices and one in the UK, each with a main line; New York has a number pool. */
export function seedOffices(dialpad: DialpadSandbox) {
  const newYork = dialpad.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100' });
  const sanFrancisco = dialpad.addOffice({ name: 'San Francisco', country: 'us', mainLine: '+14155550100' });
  const london = dialpad.addOffice({ name: 'London', country: 'gb', mainLine: '+442071230000' });
  dialpad.addNumbers(newYork, ['+12125550181', '+12125550182']);
  return { newYork, sanFrancisco, london };
}

/** The (user, app user) pair an Okta admin makes by creating someone and assigning them to the app. */
export function hire(
  okta: OktaSandbox,
  person: { login: string; email?: string; firstName: string; lastName: string; title?: string; countryCode?: string },
  appProfile: Record<string, string> = {},
): string {
  const id = okta.createUser({ email: person.login, ...person });
  okta.assignUser(id, appProfile);
  return id;
}
