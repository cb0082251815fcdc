// A database setting holding a secret elsewhere than in a DSN's user info (a `password=` or `sslpassword=` query
// parameter, a libpq keyword/value string) is refused with exit 2, and the secret appears nowhere in what any
// command prints; a keyword/value string never becomes a SQLite file.
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCliInProcess } from '../e2e/in-process-cli.js';

const credentials = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token-0123456789abcdef', DIALPAD_API_KEY: 'dialpad-key-0123456789abcdef' };

const COMMANDS = [['config'], ['config', '--json'], ['migrate'], ['migrate', '--json'], ['status'], ['status', '--json'], ['reconcile']];

describe('secrets in DIALSYNC_DATABASE beyond the user info password', () => {
  it.each([
    ['password= in the query', 'postgres://u@localhost/db?password=PGzzzQ', ['PGzzzQ'], /password=\*\*\*/],
    ['sslpassword= in the query', 'postgres://u:PGzzz@h/db?sslpassword=PGzzzSSL', ['PGzzz', 'PGzzzSSL'], /u:\*\*\*@h\/db\?sslpassword=\*\*\*/],
    ['a token in the query', 'postgresql://u@h/db?sslmode=require&auth_token=PGzzzTOK', ['PGzzzTOK'], /auth_token=\*\*\*/],
    ['a keyword/value string', 'host=localhost user=u password=PGzzzKW dbname=db', ['PGzzzKW'], /password=\*\*\*.*keyword\/value connection string/],
    ['a keyword/value password alone', 'password=PGzzzKW1', ['PGzzzKW1'], /password=\*\*\*.*keyword\/value connection string/],
  ])('%s: every command exits 2 naming DIALSYNC_DATABASE, and the secret is in neither stdout nor stderr', async (_what, database, secrets, shown) => {
    for (const args of COMMANDS) {
      const run = await runCliInProcess(args, { ...credentials, DIALSYNC_DATABASE: database, DIALSYNC_LOG_LEVEL: 'debug' });
      const output = run.stdout + run.stderr;
      expect(run.code, `${args.join(' ')}: ${output}`).toBe(EXIT.config);
      expect(output, args.join(' ')).toMatch(/DIALSYNC_DATABASE/);
      expect(output, args.join(' ')).toMatch(shown);
      for (const secret of secrets) expect(output, args.join(' ')).not.toContain(secret);
      // Taken as a SQLite path it would have been created in the working directory, named with the password.
      const created = existsSync(database);
      if (created) rmSync(database, { force: true });
      expect(created, `${args.join(' ')} created a file named ${database}`).toBe(false);
    }
  });
});
