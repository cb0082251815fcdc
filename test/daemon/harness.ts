// A daemon started in-process against the sandboxes, with a temp database, a config file with short
// intervals and every log line (at trace level) captured, so tests can search them for secrets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config/load.js';
import { buildDaemon } from '../../src/daemon/build-daemon.js';
import type { Daemon } from '../../src/daemon/daemon.js';
import { createLogger } from '../../src/log/logger.js';
import { DialpadSandbox, type DialpadSandboxOptions } from '../../sandbox/dialpad/sandbox.js';
import { OktaSandbox, type OktaSandboxOptions } from '../../sandbox/okta/sandbox.js';
import type { Store } from '../../src/store/store.js';
import { openStore, type Gateways } from '../../src/wiring/build.js';
import { CaptureStream } from '../capture-stream.js';
import { perTest } from '../per-test.js';

export const HOOK_SECRET = 'hook-secret-9f8e7d6c5b4a39281706';

export interface Sandboxes {
  okta: OktaSandbox;
  dialpad: DialpadSandbox;
  dir: string;
  database: string;
  stop(): Promise<void>;
}

export async function startSandboxes(options: { dialpad?: DialpadSandboxOptions; okta?: OktaSandboxOptions } = {}): Promise<Sandboxes> {
  const okta = new OktaSandbox(options.okta);
  const dialpad = new DialpadSandbox(options.dialpad);
  await Promise.all([okta.start(), dialpad.start()]);
  const dir = mkdtempSync(join(tmpdir(), 'dialsync-daemon-'));
  return {
    okta,
    dialpad,
    dir,
    database: join(dir, 'dialsync.sqlite'),
    async stop() {
      await Promise.all([okta.stop(), dialpad.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sandboxEnv(sandboxes: Sandboxes, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    OKTA_ORG_URL: sandboxes.okta.url,
    OKTA_APP_ID: sandboxes.okta.appId,
    OKTA_API_TOKEN: sandboxes.okta.token,
    DIALPAD_BASE_URL: sandboxes.dialpad.url,
    DIALPAD_API_KEY: sandboxes.dialpad.apiKey,
    DIALSYNC_DATABASE: sandboxes.database,
    ...extra,
  };
}

/** Writes a config file: trace logging, no full run due during a test, the HTTP server on a free port. */
export function writeConfig(sandboxes: Sandboxes, daemon: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): string {
  const file = join(sandboxes.dir, `dialsync-${Math.random().toString(36).slice(2)}.yaml`);
  const config = {
    logLevel: 'trace',
    ...rest,
    daemon: { schedule: '0 0 1 1 *', timezone: 'UTC', pollIntervalSeconds: 0, host: '127.0.0.1', port: 0, ...daemon },
  };
  writeFileSync(file, stringify(config));
  return file;
}

export interface RunningDaemon {
  daemon: Daemon;
  store: Store;
  config: Config;
  logs: CaptureStream;
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startDaemon(
  sandboxes: Sandboxes,
  options: {
    daemon?: Record<string, unknown>;
    rest?: Record<string, unknown>;
    env?: Record<string, string>;
    wrapGateways?: (gateways: Gateways) => Gateways;
    runOnStart?: boolean;
    logs?: CaptureStream;
    beforeStart?: (store: Store) => void;
  } = {},
): Promise<RunningDaemon> {
  const config = loadConfig({ file: writeConfig(sandboxes, options.daemon, options.rest), env: sandboxEnv(sandboxes, options.env) });
  const logs = options.logs ?? new CaptureStream();
  const logger = createLogger(config.logLevel, logs, config.redactor);
  const store = await openStore(config);
  options.beforeStart?.(store);
  const daemon = buildDaemon({ config, store, logger, runOnStart: options.runOnStart ?? true, ...(options.wrapGateways ? { wrapGateways: options.wrapGateways } : {}) });
  const address = await daemon.start();
  return {
    daemon,
    store,
    config,
    logs,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async stop() {
      await daemon.stop('test over');
      await store.close();
    },
  };
}

/** Polls until check() returns a value other than undefined/false, or fails after timeoutMs. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small company: one US office with a pool of numbers. */
export function seedCompany(dialpad: DialpadSandbox): string {
  const office = dialpad.addOffice({ name: 'New York', country: 'us', isPrimary: true, mainLine: '+12125550100' });
  dialpad.addNumbers(office, ['+12125550181', '+12125550182', '+12125550183', '+12125550184', '+12125550185', '+12125550186']);
  return office;
}

export function hire(okta: OktaSandbox, login: string, firstName: string, lastName: string): string {
  const id = okta.createUser({ email: login, login, firstName, lastName });
  okta.assignUser(id);
  return id;
}

export function dialpadUsersWithEmail(dialpad: DialpadSandbox, email: string) {
  return dialpad.users().filter((user) => user.state !== 'deleted' && user.emails.some((e) => e.toLowerCase() === email.toLowerCase()));
}

/** Sandbox options where every Dialpad create takes a second, so a signal lands while one is in flight. */
export const SLOW_CREATES: { dialpad: DialpadSandboxOptions } = {
  dialpad: { faults: { rate: 1, kinds: ['slow'], slowMs: 1000, applies: (request) => request.method === 'POST' && request.path === '/api/v2/users' } },
};

/**
 * Registers the hooks that start both sandboxes before each test of the file or describe block it is called in
 * (with `options`, then seedCompany) and stop them after, and returns the accessor to the running ones. The
 * accessor throws outside a test of that block.
 */
export function useSandboxes(options: { dialpad?: DialpadSandboxOptions; okta?: OktaSandboxOptions } = {}): () => Sandboxes {
  const sandboxes = perTest('useSandboxes', () => startSandboxes(options), (started) => started.stop());
  beforeEach(() => {
    seedCompany(sandboxes().dialpad);
  });
  return sandboxes;
}
