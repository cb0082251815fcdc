// `dialsync session list|end` against a database file: who is signed in to the console (never a session id),
// ending one user's sessions or all of them now, audited; exit 2 when nothing matches.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { CliRun } from '../e2e/in-process-cli.js';
import { databaseHolding } from './held-database.js';

let run: (...args: string[]) => Promise<CliRun>;
let withStore: <T>(use: (store: Store) => Promise<T>) => Promise<T>;

beforeEach(async () => {
  ({ cli: run, withStore } = await databaseHolding([]));
  await withStore(async (store) => {
    await store.consoleSessions.create('session-id-ada', { subject: '00uADA', email: 'ada@example.com', name: 'Ada', role: 'admin' });
    await store.consoleSessions.create('session-id-vic', { subject: '00uVIC', email: 'vic@example.com', name: null, role: 'viewer' });
  });
});

function cli(...args: string[]): Promise<CliRun> {
  return run('session', ...args);
}

describe('dialsync session', () => {
  it('lists the sessions (email, role, signed in, last seen) without their ids, as a table and as JSON', async () => {
    const listed = await cli('list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const list = JSON.parse(listed.stdout) as { count: number; sessions: Record<string, unknown>[] };
    expect(list.count).toBe(2);
    expect(list.sessions.map((s) => Object.keys(s).sort())).toEqual([
      ['email', 'lastSeenAt', 'role', 'signedInAt'],
      ['email', 'lastSeenAt', 'role', 'signedInAt'],
    ]);
    expect(list.sessions.map((s) => [s.email, s.role])).toEqual([
      ['ada@example.com', 'admin'],
      ['vic@example.com', 'viewer'],
    ]);
    const text = await cli('list');
    expect(text.stdout).toMatch(/ada@example\.com\s+admin\s+\d{4}-/);
    expect(`${listed.stdout}${text.stdout}`).not.toContain('session-id');
  });

  it('ends the sessions of one email (audited session_end), exits 2 when none matches, then ends all', async () => {
    const ended = await cli('end', 'ADA@example.com');
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toBe('Ended 1 console session (ada@example.com).\n');
    expect(await withStore((store) => store.consoleSessions.find('session-id-ada'))).toBeNull();
    expect(await withStore((store) => store.consoleSessions.find('session-id-vic'))).not.toBeNull();

    const again = await cli('end', 'ada@example.com');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no console session is signed in as "ada@example.com"');
    expect((await cli('end')).code).toBe(2);
    expect((await cli('end', 'vic@example.com', '--all')).code).toBe(2);

    const all = await cli('end', '--all', '--json');
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ count: 1, sessions: [{ email: 'vic@example.com', role: 'viewer' }] });
    expect((await cli('end', '--all')).code).toBe(2);

    const audit = await withStore((store) => store.audit.list({ limit: 10 }));
    expect(audit.map((event) => [event.action, event.target, event.detail])).toEqual([
      ['session_end', 'all', { sessions: 1, emails: ['vic@example.com'] }],
      ['session_end', 'ADA@example.com', { sessions: 1, emails: ['ada@example.com'] }],
    ]);
    expect(audit[0]?.actor).toMatch(/^cli:.+@.+/);
  });

  it('says in --help that group changes take effect at the next sign-in, and its exit codes', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('takes effect at their next sign-in');
    expect(help.stdout).toContain('Exit codes: 0 done, 2');
  });
});
