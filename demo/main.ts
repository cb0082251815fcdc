// npm run demo: the sandbox of Okta and Dialpad with a sample org; dialsync plans, applies, and the result is shown.
// `npm run demo -- --console` then keeps running: two users leave, the daemon serves the admin console, and its
// mass-change guard holds their suspends for an admin to approve on the console's Held changes page.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { runCli } from '../src/cli/program.js';
import { DialpadSandbox } from '../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../sandbox/okta/sandbox.js';
import { CONSOLE_ADMINS_GROUP, CONSOLE_VIEWERS_GROUP, seedSampleOrg } from '../sandbox/sample-org.js';
import { consoleSignInText } from '../sandbox/console-sign-in.js';
import { DEFAULT_CONSOLE_URL } from '../sandbox/okta/oidc-client.js';

/** Sample users who leave before the console demo's daemon starts: their suspends are held for approval. */
const LEAVERS = ['carmen', 'ivan'];

async function main(): Promise<number> {
  const { values: flags } = parseArgs({ options: { console: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (flags.help) {
    process.stdout.write('npm run demo [-- --console]\n  Plans and applies the sample org against the in-repo sandbox and shows the result.\n  --console  then serves the admin console at http://127.0.0.1:8080/ until Ctrl-C, with two suspends held for approval.\n');
    return 0;
  }
  const okta = new OktaSandbox();
  const dialpad = new DialpadSandbox();
  await Promise.all([okta.start(), dialpad.start()]);
  seedSampleOrg(okta, dialpad);
  const dir = mkdtempSync(join(tmpdir(), 'dialsync-demo-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OKTA_ORG_URL: okta.url,
    OKTA_APP_ID: okta.appId,
    OKTA_API_TOKEN: okta.token,
    DIALPAD_BASE_URL: dialpad.url,
    DIALPAD_API_KEY: dialpad.apiKey,
    DIALSYNC_CONSOLE_CLIENT_SECRET: okta.consoleClient.clientSecret,
    // The demo's own: a real deployment keeps one in a secret store (every replica needs the same).
    DIALSYNC_CONSOLE_SESSION_SECRET: randomBytes(32).toString('hex'),
    DIALSYNC_DATABASE: join(dir, 'dialsync.sqlite'),
    DIALSYNC_LOG_LEVEL: process.env.DIALSYNC_LOG_LEVEL ?? 'warn',
  };
  const io = { env, stdout: process.stdout, stderr: process.stderr };
  try {
    heading(`Sandbox: Okta at ${okta.url}, Dialpad at ${dialpad.url}`);
    heading('1. dialsync reconcile (dry run: prints the plan, changes nothing)');
    const dry = await runCli(['reconcile'], io);
    if (dry !== 0) return dry;

    heading('2. dialsync reconcile --apply');
    const applied = await runCli(['reconcile', '--apply'], io);

    heading('3. The result in the sandbox');
    printResult(okta, dialpad);

    heading('4. dialsync reconcile --apply again: nothing left to do');
    dialpad.clearRequests();
    okta.clearRequests();
    await runCli(['reconcile', '--apply'], io);
    const writes = dialpad.writeRequestCount() + okta.requests.filter((r) => r.method !== 'GET').length;
    process.stdout.write(`\nWrite requests in the second run: ${writes}\n`);
    if (!flags.console) {
      process.stdout.write('\nTo try the admin console (signed in with the sandbox\'s Okta): npm run demo -- --console\n');
      return applied;
    }
    return await serveConsole(okta, dir, io);
  } finally {
    await Promise.all([okta.stop(), dialpad.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The console part of the demo: two sample users leave (unassigned in Okta), then `dialsync daemon` serves the console
 * at DEFAULT_CONSOLE_URL with a mass-change guard that holds more than one suspend, until Ctrl-C.
 */
async function serveConsole(okta: OktaSandbox, dir: string, io: { env: NodeJS.ProcessEnv; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<number> {
  const url = new URL(DEFAULT_CONSOLE_URL);
  const config = join(dir, 'dialsync.yaml');
  writeFileSync(
    config,
    stringify({
      safety: { massSuspend: { count: 1, percent: 1 } },
      daemon: { host: url.hostname, port: Number(url.port), pollIntervalSeconds: 0 },
      console: { enabled: true, publicUrl: DEFAULT_CONSOLE_URL, issuer: okta.issuer, clientId: okta.consoleClient.clientId, adminGroup: CONSOLE_ADMINS_GROUP, viewerGroup: CONSOLE_VIEWERS_GROUP },
    }),
  );
  const left: string[] = [];
  for (const user of okta.listUsers()) {
    if (!LEAVERS.includes(String(user.profile.firstName).toLowerCase())) continue;
    okta.unassignUser(user.id);
    left.push(String(user.profile.login));
  }
  heading('5. dialsync daemon with the admin console');
  process.stdout.write(`${left.join(' and ')} left (unassigned in Okta): the daemon's first run plans their suspends and the\nmass-change guard (safety.massSuspend count 1 here) holds them. Approve them on Held changes, then press Run now.\n\n`);
  process.stdout.write(consoleSignInText(okta, DEFAULT_CONSOLE_URL));
  process.stdout.write(`  Config file: ${config}\n  For the CLI beside it (dialsync held, approve, token create, session list):\n    export DIALSYNC_DATABASE='${io.env.DIALSYNC_DATABASE ?? ''}'\n  (the demo deletes its folder when it stops)\nCtrl-C to stop.\n\n`);
  return runCli(['daemon', '--config', config], io);
}

function heading(text: string): void {
  process.stdout.write(`\n=== ${text}\n\n`);
}

function printResult(okta: OktaSandbox, dialpad: DialpadSandbox): void {
  const officeName = new Map(dialpad.offices().map((office) => [office.id, office.name]));
  const rows = dialpad
    .users()
    .filter((user) => user.state !== 'deleted')
    .map((user) => [user.emails[0] ?? '', officeName.get(user.officeId ?? '') ?? '', user.license ?? '', user.state, user.phoneNumbers[0] ?? '(none)']);
  process.stdout.write('Dialpad users\n');
  printTable(['EMAIL', 'OFFICE', 'LICENSE', 'STATE', 'NUMBER'], rows);
  const oktaRows = okta
    .listUsers()
    .map((user) => [String(user.profile.login ?? ''), user.status, String(user.profile.dialpadPhone ?? '(none)')]);
  process.stdout.write('\nOkta users (dialpadPhone written back by dialsync)\n');
  printTable(['LOGIN', 'STATUS', 'dialpadPhone'], oktaRows);
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [headers, ...rows]) process.stdout.write(`  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
}

process.exitCode = await main();
