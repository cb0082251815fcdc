// npm run demo: the sandbox of Okta and Dialpad with a sample org; dialsync plans, applies, and the result is shown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/program.js';
import { DialpadSandbox } from '../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../sandbox/okta/sandbox.js';
import { seedSampleOrg } from '../sandbox/sample-org.js';
import { consoleSignInText } from '../sandbox/console-sign-in.js';
import { DEFAULT_CONSOLE_URL } from '../sandbox/okta/oidc-client.js';

async function main(): Promise<number> {
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
    DIALSYNC_DATABASE: join(dir, 'dialsync.sqlite'),
    DIALSYNC_LOG_LEVEL: process.env.DIALSYNC_LOG_LEVEL ?? 'warn',
  };
  const io = { env, stdout: process.stdout, stderr: process.stderr };
  try {
    heading(`Sandbox: Okta at ${okta.url}, Dialpad at ${dialpad.url}`);
    process.stdout.write(consoleSignInText(okta, DEFAULT_CONSOLE_URL));
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
    return applied;
  } finally {
    await Promise.all([okta.stop(), dialpad.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
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
