// Where the browser goes after sign-in: a path on the console itself, never another site. A Location header is
// resolved by the browser with the WHATWG URL parser, which strips tabs and newlines and reads a backslash as a
// slash, so `/\t/evil.example` or `/\evil.example` would leave the console; and a CR or LF would make the header
// itself invalid. Anything with such a character, in the value or in its percent-decoding, is refused outright.

/** Characters never allowed: C0 and C1 controls, DEL, any whitespace (Unicode line and paragraph separators too), backslash. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\s\\]/u;

/** Paths never returned to: the sign-in routes themselves. */
const AUTH_PREFIX = '/auth/';

/**
 * A console path to return to after sign-in, else `/`. Accepted: a string that starts with one `/` (not `//`
 * or `/\`), with no control character, whitespace or backslash as written (nor in its percent-decoded path), that
 * resolves against `publicUrl` (new URL(value, publicUrl)) to the console's own origin and not under /auth/.
 * The result is only the resolved URL's pathname, search and hash, so no scheme or host is ever sent on.
 */
export function safeReturnTo(value: unknown, publicUrl: string): string {
  if (typeof value !== 'string' || value.length > 2048 || !isPlainPath(value)) return '/';
  // The path decoded too (a query's encoded space, e.g. a search for a full name, is fine).
  const rawPath = value.split(/[?#]/, 1)[0] ?? '';
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(rawPath);
  } catch {
    return '/';
  }
  if (!isPlainPath(decodedPath)) return '/';
  let resolved: URL;
  let origin: string;
  try {
    resolved = new URL(value, publicUrl);
    origin = new URL(publicUrl).origin;
  } catch {
    return '/';
  }
  if (resolved.origin !== origin) return '/';
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (!isPlainPath(path) || path.startsWith(AUTH_PREFIX)) return '/';
  return path;
}

/**
 * The console path of `referer` (a Referer header: an absolute URL) when it is a page of the console at
 * `publicUrl`, made safe by safeReturnTo; `/` otherwise.
 */
export function returnToFromReferer(referer: unknown, publicUrl: string): string {
  if (typeof referer !== 'string') return '/';
  try {
    const url = new URL(referer);
    if (url.origin !== new URL(publicUrl).origin) return '/';
    return safeReturnTo(`${url.pathname}${url.search}`, publicUrl);
  } catch {
    return '/';
  }
}

function isPlainPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && !FORBIDDEN.test(value);
}
