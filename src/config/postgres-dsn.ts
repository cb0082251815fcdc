// A PostgreSQL connection URL (DSN), `postgres://user:password@host:port/database?sslmode=...`: told apart from a
// SQLite path, taken apart, and shown with its password masked. Pure: reads no file, contacts nothing.

/**
 * The TLS modes dialsync supports, as libpq names them (its `sslmode`): `disable` plain TCP; `require` encrypted,
 * the server's certificate not checked; `verify-ca` the certificate must chain to the CA; `verify-full` that, and
 * the certificate must name the host. libpq's `allow` and `prefer` (try TLS, fall back silently) are not offered.
 */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

/** One of SSL_MODES. */
export type SslMode = (typeof SSL_MODES)[number];

/** What is shown instead of a DSN's password. */
export const MASKED_PASSWORD = '***';

/** The DSN parameters understood (libpq's names); any other is refused rather than silently ignored. */
const KNOWN_PARAMETERS = new Set(['sslmode', 'sslrootcert', 'application_name']);

/** A DSN taken apart. `password` is a secret; every other field may be shown. */
export interface PostgresDsn {
  host: string;
  /** TCP port; 5432 when the DSN names none. */
  port: number;
  user: string;
  /** Secret. Null when the DSN holds none (it then comes from a setting, PGPASSWORD or ~/.pgpass). */
  password: string | null;
  /** The database name; the user's name when the DSN names none (as libpq does). */
  database: string;
  /** `sslmode=` in the DSN, null when absent. */
  sslmode: SslMode | null;
  /** `sslrootcert=` in the DSN: a CA file path, null when absent. */
  sslrootcert: string | null;
  /** `application_name=` (shown in pg_stat_activity), null when absent. */
  applicationName: string | null;
}

/** A DSN that cannot be used; the message never holds its password. */
export class PostgresDsnError extends Error {
  readonly code = 'postgres_dsn';
  constructor(message: string) {
    super(message);
    this.name = 'PostgresDsnError';
  }
}

/** Whether `database` (the `database` setting) is a PostgreSQL DSN rather than a SQLite path: its scheme says so. */
export function isPostgresDsn(database: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(database.trim());
}

/**
 * Whether `database`, not a postgres:// DSN, still looks like a URL or a DSN rather than a file path: a scheme
 * (`mysql://`, `postgres:/`, `pg:`), a mistyped one (`postgresql//user:pw@host`), or user info with a password
 * (`user:pw@host`). Such a value is a typo, not a SQLite file to create: taken as a path it would open a second,
 * empty database beside the real one (and write the password into a file name).
 */
export function looksLikeMistypedDsn(database: string): boolean {
  const value = database.trim();
  if (isPostgresDsn(value)) return false;
  return /^[a-z][a-z0-9+.-]*:(?!\\)/i.test(value) || /^[^/]*\/\/[^/]*@/.test(value) || /^[^/@]*:[^/@]*@/.test(value);
}

/**
 * Where a DSN's user info is: everything between `//` and the last `@` before the path (or, for a password holding
 * an unencoded `/`, the last `@` of all). Works on a DSN that does not parse too.
 */
function userInfoOf(dsn: string): { start: number; text: string } | null {
  const match = /^([a-z]+:\/\/)([^/?#]*)@/i.exec(dsn) ?? /^([a-z]+:\/\/)(.*)@/i.exec(dsn);
  if (!match) return null;
  return { start: (match[1] as string).length, text: match[2] as string };
}

/**
 * The password of a DSN as written (percent-encoded if it was), null when it holds none; also for a DSN that does
 * not parse, so a config loader can register it as a secret before any check can fail.
 */
export function dsnPasswordAsWritten(dsn: string): string | null {
  const userInfo = userInfoOf(dsn);
  const colon = userInfo?.text.indexOf(':') ?? -1;
  return userInfo && colon >= 0 ? userInfo.text.slice(colon + 1) : null;
}

/**
 * `dsn` with its password replaced by MASKED_PASSWORD (`postgres://app:***@db:5432/dialsync`), for messages and
 * `status`; the text unchanged when it holds no password.
 */
export function maskDsnPassword(dsn: string): string {
  const userInfo = userInfoOf(dsn);
  const colon = userInfo?.text.indexOf(':') ?? -1;
  if (!userInfo || colon < 0) return dsn;
  const passwordStart = userInfo.start + colon + 1;
  return `${dsn.slice(0, passwordStart)}${MASKED_PASSWORD}${dsn.slice(userInfo.start + userInfo.text.length)}`;
}

/**
 * Takes a DSN apart. Percent-encoded user, password and database names are decoded (a password holding `@` or `/`
 * must be encoded, as in any URL).
 * @throws PostgresDsnError (no password in its message) when it is not a URL, names no host, holds an unknown
 *   parameter or an sslmode dialsync does not support.
 */
export function parsePostgresDsn(dsn: string): PostgresDsn {
  if (!isPostgresDsn(dsn)) throw new PostgresDsnError('is not a postgres:// or postgresql:// URL');
  let url: URL;
  try {
    url = new URL(dsn.trim());
  } catch {
    throw new PostgresDsnError(`${maskDsnPassword(dsn)} is not a valid URL (percent-encode any @, /, : or # in the user name or password)`);
  }
  const shown = maskDsnPassword(dsn);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new PostgresDsnError(`${shown} names no host`);
  for (const name of url.searchParams.keys()) {
    if (!KNOWN_PARAMETERS.has(name)) {
      throw new PostgresDsnError(`${shown}: the parameter ${name} is not supported (only ${[...KNOWN_PARAMETERS].join(', ')}; use the postgres: settings)`);
    }
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw new PostgresDsnError(`${shown}: sslmode=${sslmode} is not supported (one of ${SSL_MODES.join(', ')})`);
  }
  const user = decode(url.username, shown) || 'postgres';
  const database = decode(url.pathname.replace(/^\//, ''), shown);
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    user,
    password: url.password ? decode(url.password, shown) : null,
    database: database || user,
    sslmode: sslmode as SslMode | null,
    sslrootcert: url.searchParams.get('sslrootcert'),
    applicationName: url.searchParams.get('application_name'),
  };
}

function decode(part: string, shown: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new PostgresDsnError(`${shown} holds a malformed percent-encoding`);
  }
}
