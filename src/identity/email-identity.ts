// When two emails name one mailbox. Okta may hold `lena@bücher.example` where Dialpad holds
// `lena@xn--bcher-kva.example`, or the same letters composed (NFC) on one side and decomposed (NFD) on the
// other: compared as text they differ, and a second paid Dialpad user would be created for the same person.
// Every place that compares emails (adoption, duplicate checks, the look-up after a refused create, --user,
// targeted runs, the journal's settling) uses emailKey, so they all agree.
//
// The key, worked through: ` Lena@BÜCHER.Example. ` → local part "Lena" NFC, lower-cased → "lena"; domain
// "BÜCHER.Example." → trailing dot dropped (the DNS root: same domain) → IDNA ASCII "xn--bcher-kva.example"
// → `lena@xn--bcher-kva.example`.
import { domainToASCII, domainToUnicode } from 'node:url';

/** The parts of an email, split at its last @ (a quoted local part may hold an @). */
function split(email: string): { local: string; domain: string } | null {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  return { local: email.slice(0, at), domain: email.slice(at + 1) };
}

/** Domains are few (most companies have one or two): each is converted once. Bounded so odd input cannot grow it. */
const asciiDomains = new Map<string, string>();
const ASCII_DOMAIN_CACHE_LIMIT = 10_000;

/**
 * The IDNA ASCII form of a domain (UTS #46 as WHATWG URL applies it: node:url's domainToASCII, which also
 * lower-cases and maps full-width letters), without a trailing root dot; '' when it cannot be converted or has
 * an empty label.
 */
function asciiDomain(domain: string): string {
  const known = asciiDomains.get(domain);
  if (known !== undefined) return known;
  const rooted = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  const converted = rooted === '' ? '' : domainToASCII(rooted.normalize('NFC'));
  // WHATWG's conversion keeps empty labels (`example..com`), which no mail domain has.
  const ascii = converted.split('.').includes('') ? '' : converted;
  if (asciiDomains.size >= ASCII_DOMAIN_CACHE_LIMIT) asciiDomains.clear();
  asciiDomains.set(domain, ascii);
  return ascii;
}

/** No space, control or non-ASCII character. */
const PRINTABLE_ASCII = /^[!-~]+$/;

/**
 * Printable ASCII before the last @, and after it a domain of letters, digits and hyphens in non-empty labels:
 * such a domain is its own IDNA ASCII form (up to case), unless a label is Punycode (`xn--`), which must be checked.
 */
const PLAIN_EMAIL = /^[!-~]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i;

function isPlain(email: string): boolean {
  return PLAIN_EMAIL.test(email) && !/xn--/i.test(email);
}

/** An email in its canonical form, or why it has none. */
export type CanonicalEmail = { ok: true; key: string; ascii: string } | { ok: false; reason: string };

/**
 * The canonical form of an email: `key` is the identity (local part NFC and lower-cased, domain in IDNA ASCII
 * form and lower-cased, no trailing dot); `ascii` is the same with the local part's case kept, the form sent to
 * Dialpad's email look-up. Not ok when there is no `local@domain` or the domain is not a valid
 * internationalized domain name (e.g. `xn--zz.example`, a bad Punycode label).
 * Input: the email as a system holds it (surrounding spaces are ignored). Throws nothing.
 */
export function canonicalEmail(email: string): CanonicalEmail {
  const parts = split(email.trim());
  if (parts === null) return { ok: false, reason: `"${email}" is not of the form local@domain` };
  const domain = asciiDomain(parts.domain);
  if (domain === '') {
    return { ok: false, reason: `the domain "${parts.domain}" of ${email.trim()} is not a valid internationalized domain name (IDNA)` };
  }
  const local = parts.local.normalize('NFC');
  return { ok: true, key: `${local.toLowerCase()}@${domain}`, ascii: `${local}@${domain}` };
}

/**
 * Why an email has no canonical form (canonicalEmail's reason), or null when it has one. Cheaper than
 * canonicalEmail for the common printable-ASCII email, whose domain is converted once.
 */
export function emailProblem(email: string): string | null {
  if (isPlain(email)) return null;
  const canonical = canonicalEmail(email);
  return canonical.ok ? null : canonical.reason;
}

/**
 * The identity of an email, for every comparison and index: canonicalEmail's key, or for an email that has
 * none (Dialpad may hold anything) its trimmed, NFC, lower-cased text, so it still equals itself.
 */
export function emailKey(email: string): string {
  // Most emails are plain (see PLAIN_EMAIL): lower-casing is all their key needs.
  const lower = email.toLowerCase();
  if (isPlain(lower)) return lower;
  const canonical = canonicalEmail(email);
  return canonical.ok ? canonical.key : email.trim().normalize('NFC').toLowerCase();
}

/** Whether two emails name the same mailbox (see emailKey). */
export function sameEmail(a: string, b: string): boolean {
  return a === b || emailKey(a) === emailKey(b);
}

/**
 * The spellings to send to a look-up by email (Dialpad's `GET /api/v2/users?email=`, Okta's user by login),
 * whose matching rules are not documented beyond case: the email as given, then its IDNA ASCII form, then the
 * Unicode form of its domain, each only when it differs from those before other than in case (Dialpad may
 * store either form). An ASCII email without Punycode labels therefore has one form. Never empty.
 */
export function emailLookupForms(email: string): string[] {
  const given = email.trim();
  const canonical = canonicalEmail(given);
  if (!canonical.ok) return [given];
  const forms = [given, canonical.ascii];
  const parts = split(canonical.ascii);
  if (parts !== null) forms.push(`${parts.local}@${domainToUnicodeSafe(parts.domain)}`);
  const seen = new Set<string>();
  return forms.filter((form) => {
    const folded = form.normalize('NFC').toLowerCase();
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
}

function domainToUnicodeSafe(domain: string): string {
  // url.domainToUnicode is the inverse of domainToASCII; a domain it cannot read comes back ''.
  return domainToUnicode(domain) || domain;
}

/**
 * The email as dialsync sends it to Dialpad (create, primary-email update): as Okta holds it, case kept, but
 * trimmed, NFC and without a trailing root dot, so Dialpad is not handed a spelling it may refuse. Throws nothing.
 */
export function sendableEmail(email: string): string {
  // ASCII is its own NFC: an email without spaces or a trailing dot is sent as it is (no copy).
  if (PRINTABLE_ASCII.test(email) && !email.endsWith('.')) return email;
  const trimmed = email.trim();
  const parts = split(trimmed);
  if (parts === null) return trimmed;
  const domain = parts.domain.endsWith('.') ? parts.domain.slice(0, -1) : parts.domain;
  return `${parts.local}@${domain}`.normalize('NFC');
}
