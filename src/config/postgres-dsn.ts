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
 * (`mysql://`, `postgres:/`, `pg:`), a mistyped one (`postgresql//user:pw@host`), user info with a password
 * (`user:pw@host`), or a libpq keyword/value string (`host=db user=app password=...`, see
 * looksLikeKeywordValueDsn). Such a value is a typo, not a SQLite file to create: taken as a path it would open a
 * second, empty database beside the real one (and write the password into a file name).
 */
export function looksLikeMistypedDsn(database: string): boolean {
  const value = database.trim();
  if (isPostgresDsn(value)) return false;
  return (
    /^[a-z][a-z0-9+.-]*:(?!\\)/i.test(value) ||
    /^[^/]*\/\/[^/]*@/.test(value) ||
    /^[^/@]*:[^/@]*@/.test(value) ||
    looksLikeKeywordValueDsn(value)
  );
}

/**
 * libpq's connection keywords (PostgreSQL manual, "Connection Strings", section 32.1.2 "Parameter Key Words"): a
 * value made of `keyword=value` words with these keywords is a keyword/value connection string, not a file name.
 */
const LIBPQ_KEYWORDS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'password', 'passfile', 'require_auth', 'channel_binding', 'connect_timeout',
  'client_encoding', 'options', 'application_name', 'fallback_application_name', 'keepalives', 'keepalives_idle',
  'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'replication', 'gssencmode', 'sslmode', 'requiressl',
  'sslnegotiation', 'sslcompression', 'sslcert', 'sslkey', 'sslpassword', 'sslcertmode', 'sslrootcert', 'sslcrl', 'sslcrldir',
  'sslsni', 'requirepeer', 'ssl_min_protocol_version', 'ssl_max_protocol_version', 'krbsrvname', 'gsslib', 'gssdelegation',
  'service', 'target_session_attrs', 'load_balance_hosts',
]);

/**
 * One `keyword=value` word of a keyword/value string: libpq allows spaces around `=`, and a value in single quotes
 * (holding spaces, `\'` and `\\` escaped). Groups: the keyword, the `=` with its spaces, the value as written.
 */
const KEYWORD_VALUE_WORD = /(?<![^\s])([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)/g;

/**
 * Whether `value` is a libpq keyword/value connection string (`host=localhost user=app dbname=dialsync`): two or
 * more `keyword=value` words with keywords libpq knows, or any one with a password (`password=...` alone is no
 * file name to create either).
 */
export function looksLikeKeywordValueDsn(value: string): boolean {
  if (isPostgresDsn(value)) return false;
  const keywords = [...value.matchAll(KEYWORD_VALUE_WORD)].map((match) => (match[1] as string).toLowerCase()).filter((name) => LIBPQ_KEYWORDS.has(name));
  return keywords.length >= 2 || keywords.some(isSecretParameter);
}

/**
 * Whether a DSN query parameter or libpq keyword named `name` may carry a secret: `password`, `sslpassword`, and
 * any name holding "password", "secret" or "token". `passfile` and `sslkey` name files, and are shown.
 */
export function isSecretParameter(name: string): boolean {
  return /password|secret|token/i.test(name);
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
 * not parse, so a config loader can register it as a secret before any check can fail. Only the user info's: see
 * dsnSecretsAsWritten for every secret a DSN can hold.
 */
export function dsnPasswordAsWritten(dsn: string): string | null {
  const userInfo = userInfoOf(dsn);
  const colon = userInfo?.text.indexOf(':') ?? -1;
  return userInfo && colon >= 0 ? userInfo.text.slice(colon + 1) : null;
}

/** Where a URL's query is: the text after the first `?` past the user info (which may hold an unencoded `?`). */
function queryStartOf(dsn: string): number {
  const userInfo = userInfoOf(dsn);
  const from = userInfo ? userInfo.start + userInfo.text.length : 0;
  const question = dsn.indexOf('?', from);
  return question < 0 ? -1 : question + 1;
}

/** A query's `name=value` pairs as written (not decoded), each with where its value starts in the query. */
function queryPairs(query: string): { name: string; value: string; valueStart: number }[] {
  const pairs: { name: string; value: string; valueStart: number }[] = [];
  let at = 0;
  for (const part of query.split(/[&#]/)) {
    const equals = part.indexOf('=');
    if (equals >= 0) pairs.push({ name: part.slice(0, equals), value: part.slice(equals + 1), valueStart: at + equals + 1 });
    at += part.length + 1;
  }
  return pairs;
}

/** A query parameter's name decoded for the secret check (`pass%77ord` is `password` to a URL parser). */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** A keyword/value string's value without its quotes and escapes (`'a \'b\''` → `a 'b'`), as libpq reads it. */
function unquoted(value: string): string {
  return value.startsWith("'") ? value.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1') : value;
}

/**
 * Every secret `database` holds as written: a URL's user info password and the values of its query parameters that
 * may carry one (isSecretParameter: `password=`, `sslpassword=`, ...), or a libpq keyword/value string's
 * `password=`/`sslpassword=` values (unquoted, and as written when quoted). Works on values that do not parse, so a config loader can register
 * them before any check can fail. Empty values are left out.
 */
export function dsnSecretsAsWritten(database: string): string[] {
  const secrets: string[] = [];
  const password = dsnPasswordAsWritten(database);
  if (password) secrets.push(password);
  const queryStart = queryStartOf(database);
  if (queryStart >= 0 && /^[a-z][a-z0-9+.-]*:/i.test(database.trim())) {
    for (const pair of queryPairs(database.slice(queryStart))) {
      if (pair.value && isSecretParameter(decodedName(pair.name))) secrets.push(pair.value);
    }
  }
  if (looksLikeKeywordValueDsn(database)) {
    for (const match of database.matchAll(KEYWORD_VALUE_WORD)) {
      const written = match[3] as string;
      const value = unquoted(written);
      if (value && isSecretParameter(match[1] as string)) secrets.push(...new Set([value, written]));
    }
  }
  return secrets;
}

/**
 * `dsn` with its password replaced by MASKED_PASSWORD (`postgres://app:***@db:5432/dialsync`), and the value of
 * every query parameter that may carry a secret too (`?sslpassword=***`), for messages and `status`; the text
 * unchanged when it holds none. A libpq keyword/value string gets its `password=` values masked
 * (`host=db password=***`). Works on text that does not parse.
 */
export function maskDsnPassword(dsn: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(dsn.trim()) && looksLikeKeywordValueDsn(dsn)) return maskKeywordValues(dsn);
  const userInfo = userInfoOf(dsn);
  const colon = userInfo?.text.indexOf(':') ?? -1;
  const masked =
    !userInfo || colon < 0 ? dsn : `${dsn.slice(0, userInfo.start + colon + 1)}${MASKED_PASSWORD}${dsn.slice(userInfo.start + userInfo.text.length)}`;
  return maskQuery(masked);
}

/** `url` with the values of its secret-carrying query parameters masked. */
function maskQuery(url: string): string {
  const queryStart = queryStartOf(url);
  if (queryStart < 0) return url;
  const query = url.slice(queryStart);
  let shown = '';
  let at = 0;
  for (const pair of queryPairs(query)) {
    if (!pair.value || !isSecretParameter(decodedName(pair.name))) continue;
    shown += `${query.slice(at, pair.valueStart)}${MASKED_PASSWORD}`;
    at = pair.valueStart + pair.value.length;
  }
  return `${url.slice(0, queryStart)}${shown}${query.slice(at)}`;
}

/** A libpq keyword/value string with its secret values masked (`password=***`). */
function maskKeywordValues(text: string): string {
  return text.replace(KEYWORD_VALUE_WORD, (word: string, name: string, equals: string, value: string) =>
    value && isSecretParameter(name) ? `${name}${equals}${MASKED_PASSWORD}` : word,
  );
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
