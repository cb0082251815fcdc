// Secrets against hostile input and hostile answers: credentials that cannot be well-formed are refused at load
// (exit 2, naming the variable, nothing contacted), an API that echoes the credentials back in its error body
// does not get them printed or stored, a refused key is asked once, and /readyz shows reason codes only.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { sandboxEnv, seedCompany, startDaemon, startSandboxes, type RunningDaemon, type Sandboxes } from '../../daemon/harness.js';
import { dumpDatabase } from '../database-dump.js';
import { hire, seedOffices, World, type CliRun } from '../world.js';
import { rawDatabase } from '../../store/raw-database.js';

const dir = mkdtempSync(join(tmpdir(), 'dialsync-hostile-secrets-'));
let files = 0;
function secretFile(text: string): string {
  const path = join(dir, `secret-${(files += 1)}`);
  writeFileSync(path, text);
  return path;
}

/** Every place a secret must not reach: what the CLI printed (logs included) and everything in the database. */
async function exposures(world: World, runs: CliRun[], secrets: readonly string[]): Promise<string[]> {
  const { rows, files: raw } = await dumpDatabase(world.database);
  const printed = runs.map((run) => run.stdout + run.stderr).join('\n');
  const found: string[] = [];
  for (const secret of secrets) {
    for (const [where, text] of [['output', printed], ['tables', rows], ['database files', raw]] as const) {
      if (text.includes(secret)) found.push(`${where} hold a secret`);
      else if (text.includes(secret.slice(0, 12)) || text.includes(secret.slice(-12))) found.push(`${where} hold a piece of a secret`);
    }
  }
  return found;
}

let world: World;

beforeEach(async () => {
  world = await new World().start();
  seedOffices(world.dialpad);
  hire(world.okta, { login: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' }, { officeName: 'New York' });
});

afterEach(async () => {
  await world.stop();
});

describe('credentials that cannot be well-formed are refused at load: exit 2, naming the variable, nothing contacted', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cases: [string, () => Record<string, string>, string][] = [
    ['an Okta token file with a comment on its second line', () => ({ OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: secretFile(`${world.okta.token}\n# rotated by alice\n`) }), 'OKTA_API_TOKEN_FILE'],
    ['an Okta token with a tab inside', () => ({ OKTA_API_TOKEN: `${world.okta.token.slice(0, 20)}\t${world.okta.token.slice(20)}` }), 'OKTA_API_TOKEN'],
    ['a Dialpad key with a line break', () => ({ DIALPAD_API_KEY: `${world.dialpad.apiKey}\nsecond` }), 'DIALPAD_API_KEY'],
    ['a Dialpad key file with two trailing newlines', () => ({ DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: secretFile(`${world.dialpad.apiKey}\n\n`) }), 'DIALPAD_API_KEY_FILE'],
    ['a private key that is garbage PEM', () => ({ OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaService', OKTA_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZS1ub3QtYS1rZXk=\n-----END PRIVATE KEY-----\n' }), 'OKTA_PRIVATE_KEY'],
    ['a private key file holding a JWK without its private part', () => {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = rsa.privateKey.export({ format: 'jwk' });
      return { OKTA_API_TOKEN: '', OKTA_CLIENT_ID: '0oaService', OKTA_PRIVATE_KEY_FILE: secretFile(JSON.stringify(publicPart)) };
    }, 'OKTA_PRIVATE_KEY_FILE'],
  ];

  it.each(cases)('%s', async (_name, env, variable) => {
    world.extraEnv = env();
    const run = await world.cli('reconcile', '--apply');
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`configuration error: ${variable}:`);
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
    expect(await exposures(world, [run], [world.okta.token, world.dialpad.apiKey, 'Z2FyYmFnZS1ub3QtYS1rZXk'])).toEqual([]);
  });

  it('a hook secret with a newline stops the daemon before it listens or contacts anything', async () => {
    const config = join(dir, 'hooks.yaml');
    writeFileSync(config, 'daemon:\n  host: 127.0.0.1\n  port: 0\n  hooks:\n    enabled: true\n');
    world.extraEnv = { DIALSYNC_HOOK_SECRET_FILE: secretFile('hook-secret-0123456789abcdef\nhook-secret-0123456789abcdef\n') };
    const run = await world.cli('daemon', '--config', config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('configuration error: DIALSYNC_HOOK_SECRET_FILE:');
    expect(run.stderr + run.stdout).not.toContain('hook-secret-0123456789abcdef');
    expect(world.okta.requests).toEqual([]);
    expect(world.dialpad.requests).toEqual([]);
  });

  it('a token file ending in CRLF is read as the token, and the run goes through', async () => {
    world.extraEnv = { OKTA_API_TOKEN: '', OKTA_API_TOKEN_FILE: secretFile(`${world.okta.token}\r\n`), DIALPAD_API_KEY: '', DIALPAD_API_KEY_FILE: secretFile(`${world.dialpad.apiKey}\r\n`) };
    const run = await world.cli('reconcile', '--apply');
    expect(run.code, run.stderr).toBe(0);
    expect(world.dialpadUserByEmail('ann@acme.com')).toBeDefined();
  });
});

describe('an API that echoes the credentials back in its error body', () => {
  let proxies: EchoProxy[] = [];
  afterEach(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    proxies = [];
  });

  async function proxy(target: string, echo: (req: IncomingMessage) => boolean, body: (authorization: string) => unknown): Promise<EchoProxy> {
    const started = await startEchoProxy(target, echo, body);
    proxies.push(started);
    return started;
  }

  it('gets the secrets redacted in logs, stderr, stdout, the database and `dialsync status`', async () => {
    // Ann exists in Dialpad with a number: adopted, then her number is written back to Okta, which echoes.
    world.dialpad.addUser({ email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', officeId: world.dialpad.offices()[0]?.id ?? '', license: 'talk', phoneNumbers: ['+12125550199'] });
    // Bob is new: his create is refused by Dialpad, which echoes too.
    hire(world.okta, { login: 'bob@acme.com', firstName: 'Bob', lastName: 'Roe' }, { officeName: 'New York' });
    const okta = await proxy(world.okta.url, (req) => req.method === 'POST' && /^\/api\/v1\/users\/[^/]+$/.test(req.url ?? ''), (authorization) => ({
      errorCode: 'E0000001',
      errorSummary: `Api validation failed: the request carried Authorization: ${authorization}`,
      errorLink: 'E0000001',
      errorId: 'oaeEcho',
      errorCauses: [{ errorSummary: `header Authorization (${authorization}) is not allowed here` }],
    }));
    const dialpad = await proxy(world.dialpad.url, (req) => req.method === 'POST' && req.url === '/api/v2/users', (authorization) => ({
      error: { code: 400, message: `invalid request with header Authorization: ${authorization}` },
    }));
    world.extraEnv = { OKTA_ORG_URL: okta.url, DIALPAD_BASE_URL: dialpad.url, DIALSYNC_LOG_LEVEL: 'trace' };

    const applied = await world.cli('reconcile', '--apply');
    const json = await world.cli('reconcile', '--apply', '--json');
    const status = await world.cli('status');
    const statusJson = await world.cli('status', '--json');

    expect(applied.code, applied.stderr).toBe(1);
    expect(okta.echoed).toBeGreaterThan(0);
    expect(dialpad.echoed).toBeGreaterThan(0);
    // The echoed text is there, the secret in it is not.
    expect(applied.stdout).toMatch(/Authorization: SSWS \[redacted\]/);
    expect(applied.stderr).toMatch(/Authorization: SSWS \[redacted\]/);
    expect(status.stdout).toMatch(/SSWS \[redacted\]/);
    const { tables } = await dumpDatabase(world.database);
    expect(JSON.stringify(tables.user_errors)).toMatch(/SSWS \[redacted\]/);
    expect(JSON.stringify(tables.journal)).toMatch(/SSWS \[redacted\]/);
    expect(await exposures(world, [applied, json, status, statusJson], [world.okta.token, world.dialpad.apiKey])).toEqual([]);
  });

  it('gets a secret echoed by a failed listing redacted in the run error, stderr and the JSON error', async () => {
    const okta = await proxy(world.okta.url, (req) => req.method === 'GET' && /^\/api\/v1\/apps\/[^/]+\/users/.test(req.url ?? ''), (authorization) => ({
      errorCode: 'E0000001',
      errorSummary: `Api validation failed: ${authorization}`,
      errorCauses: [],
    }));
    world.extraEnv = { OKTA_ORG_URL: okta.url, DIALSYNC_LOG_LEVEL: 'trace' };
    const run = await world.cli('reconcile', '--apply', '--json');
    expect(run.code).toBe(4);
    expect(okta.echoed).toBe(1);
    expect(run.stderr).toMatch(/Api validation failed: SSWS \[redacted\]/);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { message: expect.stringMatching(/SSWS \[redacted\]/), exitCode: 4 } });
    const { tables } = await dumpDatabase(world.database);
    expect(JSON.stringify(tables.runs)).toMatch(/SSWS \[redacted\]/);
    expect(await exposures(world, [run], [world.okta.token])).toEqual([]);
  });
});

describe('a refused credential is asked once', () => {
  it.each([
    ['the Dialpad key', { DIALPAD_API_KEY: 'dialpad-key-that-was-revoked-0123' }, 'dialpad'],
    ['the Okta token', { OKTA_API_TOKEN: '00okta-token-that-was-revoked-0123' }, 'okta'],
  ] as const)('%s: exit 3 after one request', async (_name, env, side) => {
    world.extraEnv = env;
    const run = await world.cli('reconcile');
    expect(run.code, run.stderr).toBe(3);
    expect(world[side].requests.map((request) => request.status)).toEqual([401]);
  });
});

describe('/readyz of a daemon', () => {
  let sandboxes: Sandboxes;
  let daemon: RunningDaemon | undefined;

  beforeEach(async () => {
    sandboxes = await startSandboxes();
    seedCompany(sandboxes.dialpad);
  });

  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await sandboxes.stop();
  });

  it('shows reason codes only; the details (org, app id, refusal text) are in the log and `dialsync status`', async () => {
    daemon = await startDaemon(sandboxes, { env: { OKTA_API_TOKEN: '00okta-token-that-was-revoked-0123' }, runOnStart: false });
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unready', reasons: ['okta_credentials'] });
    for (const detail of [sandboxes.okta.url, sandboxes.okta.appId, 'Invalid token', '00okta-token']) expect(ready.text).not.toContain(detail);
    expect(daemon.logs.text).toMatch(/not ready: okta_credentials \([^)]*Invalid token provided/);

    const status = await cli(['status'], sandboxEnv(sandboxes, { OKTA_API_TOKEN: '00okta-token-that-was-revoked-0123' }));
    expect(status.stdout).toMatch(/Daemon readiness \(checked [^)]+\): unready \(1\)\n {2}REASON +DETAIL\n {2}okta_credentials +.*Invalid token provided/);
    expect(status.stdout + daemon.logs.text).not.toContain('00okta-token-that-was-revoked-0123');
  });

  it('sends nothing more with credentials its access check found refused: no full run, no poll, no group read', async () => {
    daemon = await startDaemon(sandboxes, { env: { OKTA_API_TOKEN: '00okta-token-that-was-revoked-0123' } });
    await daemon.daemon.requestFull();
    await daemon.daemon.pollOnce();
    expect(sandboxes.okta.requests.map((request) => [request.path, request.status])).toEqual([[`/api/v1/apps/${sandboxes.okta.appId}`, 401]]);
    expect(sandboxes.dialpad.requests.map((request) => request.path)).toEqual(['/api/v2/company']);
    expect(await daemon.store.runs.recent(10)).toEqual([]);
    expect(daemon.logs.text).toMatch(/full run not started: the credentials were refused/);
  });

  it('is unready with store_replaced once the SQLite file is deleted under it, though writes still succeed', async () => {
    daemon = await startDaemon(sandboxes, { runOnStart: false });
    expect((await get(`${daemon.baseUrl}/readyz`)).status).toBe(200);
    rmSync(sandboxes.database);
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unready', reasons: ['store_replaced'] });
    expect(daemon.logs.text).toMatch(/store_replaced \(the database file .* was deleted/);
  });

  it('is unready with store_unwritable while the database takes no writes, and ready again after', async () => {
    daemon = await startDaemon(sandboxes, { runOnStart: false });
    expect((await get(`${daemon.baseUrl}/readyz`)).status).toBe(200);
    // The connection refuses writes, as on a read-only mount or a full disk; reads still answer.
    await rawDatabase(daemon.store).raw('PRAGMA query_only = ON');
    const ready = await get(`${daemon.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'unready', reasons: ['store_unwritable'] });
    await rawDatabase(daemon.store).raw('PRAGMA query_only = OFF');
    expect((await get(`${daemon.baseUrl}/readyz`)).status).toBe(200);
  });
});

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** The CLI run in-process with exactly this environment. */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { env, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface EchoProxy {
  url: string;
  /** How many requests were answered with the echo. */
  echoed: number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a sandbox that answers the requests `echo` picks with a 400 whose JSON body quotes
 * the request's Authorization header (as some APIs and proxies do), and passes every other request on.
 */
async function startEchoProxy(target: string, echo: (req: IncomingMessage) => boolean, body: (authorization: string) => unknown): Promise<EchoProxy> {
  const upstream = new URL(target);
  const state = { echoed: 0 };
  const server: Server = createServer((req, res) => {
    if (echo(req)) {
      state.echoed += 1;
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body(req.headers.authorization ?? '')));
      return;
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get echoed() {
      return state.echoed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
