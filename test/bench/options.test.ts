import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { benchCommand, DATABASE_URL_ENV, parseBenchOptions } from '../../bench/options.js';

/** Parses as `npm run bench -- <argv>` would, but throws instead of printing and exiting. */
function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const command = benchCommand()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  return parseBenchOptions(argv, env, command);
}

const DSN = 'postgres://bench:secret@db.example:5433/postgres';

describe('npm run bench: choosing the store', () => {
  it('runs on SQLite alone by default, with no database URL', () => {
    const options = parse([]);
    expect(options.stores).toEqual(['sqlite']);
    expect(options.databaseUrl).toBeUndefined();
    expect(options.users).toEqual([1000, 10000]);
  });

  it('takes --store postgres, or both stores in the order given (a store named twice runs once)', () => {
    expect(parse(['--store', 'postgres']).stores).toEqual(['postgres']);
    expect(parse(['--store', 'sqlite,postgres,sqlite']).stores).toEqual(['sqlite', 'postgres']);
    expect(parse(['--store', 'postgres, sqlite']).stores).toEqual(['postgres', 'sqlite']);
  });

  it('refuses an unknown store', () => {
    expect(() => parse(['--store', 'mysql'])).toThrow(CommanderError);
  });

  it('leaves the server to the bench (embedded) unless a DSN is given by flag or environment', () => {
    expect(parse(['--store', 'postgres']).databaseUrl).toBeUndefined();
    expect(parse(['--store', 'postgres', '--database-url', DSN]).databaseUrl).toBe(DSN);
    expect(parse(['--store', 'sqlite,postgres'], { [DATABASE_URL_ENV]: DSN }).databaseUrl).toBe(DSN);
    // The flag wins over the environment.
    expect(parse(['--store', 'postgres', '--database-url', DSN], { [DATABASE_URL_ENV]: 'postgresql://other@host/db' }).databaseUrl).toBe(DSN);
  });

  it('refuses a database URL that is not a PostgreSQL DSN, from the flag or the environment', () => {
    expect(() => parse(['--store', 'postgres', '--database-url', '/var/lib/dialsync.sqlite'])).toThrow(CommanderError);
    expect(() => parse(['--store', 'postgres'], { [DATABASE_URL_ENV]: 'mysql://host/db' })).toThrow(CommanderError);
  });

  it('refuses --database-url without a PostgreSQL store, and ignores the environment then', () => {
    expect(() => parse(['--database-url', DSN])).toThrow(/--store postgres/);
    expect(parse([], { [DATABASE_URL_ENV]: DSN }).databaseUrl).toBeUndefined();
    expect(parse([], { [DATABASE_URL_ENV]: 'not a dsn' }).databaseUrl).toBeUndefined();
  });
});

describe('npm run bench: choosing the scenarios', () => {
  it('runs every scenario by default, the Dialpad budget ones included, and takes a list', () => {
    expect(parse([]).scenarios).toEqual(['initial', 'no-change', 'churn', 'incremental', 'hook', 'shared-budget', 'told-limit']);
    expect(parse(['--scenarios', 'shared-budget,told-limit']).scenarios).toEqual(['shared-budget', 'told-limit']);
    expect(() => parse(['--scenarios', 'shared'])).toThrow(CommanderError);
  });

  it('says in --help what the budget scenarios do', () => {
    const help = benchCommand().helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('shared-budget (Dialpad 12/s left while dialsync is configured at 15/s, then 20/s dropping to 10/s mid-run)');
    expect(help).toContain("run shared-budget at 1: a 429's Retry-After (whole seconds) is not scaled");
  });
});
