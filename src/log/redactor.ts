// The one place that knows every secret value in force, and blanks them out of any text before it leaves the
// process: log lines (JSON and pretty), CLI output, and error text written to the database. Redaction is by
// value, so it holds wherever a secret turns up: a header, a message, an API's echoed error body.
//
// A secret is also caught when a message was cut short around it (a prefix or a suffix of at least
// FRAGMENT_LENGTH characters), in its JSON-escaped and URL-encoded spellings, and, for multi-line secrets
// (a PEM private key), line by line. A secret shorter than FRAGMENT_LENGTH (a test value, a mistyped one) is
// blanked only where it stands as a whole token (`Bearer x`, a JSON string "x", `key=x`), never inside a word or
// a longer token: a key `x` must not turn "nobody@example.com" into "nobod[redacted]@e[redacted]ample.com".

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** The shortest prefix, suffix or line of a secret that is still recognised as that secret. */
const FRAGMENT_LENGTH = 12;

/** Secrets minted at run time that are still recognised; older ones have long expired (an access token lasts an hour). */
const MINTED_KEPT = 16;

/**
 * Characters that are part of a token wherever they stand: base64 and base64url (A-Z a-z 0-9 + / - _), Okta's API
 * token alphabet (alphanumerics, - and _), URL encoding (%) and ~. A `.` joins a token only between such characters
 * (a JWT's segments, a domain name: "x." still ends a token at x); a `=` after one is base64 padding, before one it
 * ends a name ("key=x").
 */
const TOKEN_CHARS = 'A-Za-z0-9_~+/%\\-';

/** How one secret is recognised: its spellings, whole, and those also caught when cut short. */
interface Known {
  whole: string[];
  cutOff: string[];
  /** Its spellings are matched only as whole tokens (a secret shorter than FRAGMENT_LENGTH). */
  short: boolean;
}

/**
 * The secrets in force and their redaction. One per process: the CLI makes it, the config loader registers what it
 * reads, the Okta client what it mints; the logger, the CLI's output and the store pass text through `redact`.
 */
export class Redactor {
  private readonly configured: Known[] = [];
  private readonly minted: Known[] = [];
  /** Every spelling of every secret, longest first (so a secret wins over a line of itself). */
  private forms: string[] = [];
  /** The spellings also caught when cut short: a start or an end of at least FRAGMENT_LENGTH characters. */
  private cutOffForms: string[] = [];
  /** Short secrets' spellings → the pattern matching them as whole tokens only. */
  private tokenPatterns = new Map<string, RegExp>();

  /** `secrets` are registered as configured ones (kept for the process's life). */
  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.register(secret);
  }

  /**
   * Makes `secret` known: from now on `redact` blanks it out. Values minted at run time (an OAuth access token,
   * a signed client assertion) are registered the moment they exist, with `minted`: only the latest
   * MINTED_KEPT of those are kept, so a daemon that mints one an hour does not slow every log line down for
   * ever. Empty values are ignored.
   */
  register(secret: string, options: { minted?: boolean } = {}): void {
    if (secret === '' || this.forms.includes(secret)) return;
    const spellings = [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
    let known: Known;
    if (/[\r\n]/.test(secret)) {
      // A multi-line secret is whole or line by line; its first and last characters are PEM armour, not secret.
      const lines = secret.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length >= FRAGMENT_LENGTH && !line.startsWith('-----'));
      known = { whole: [...spellings, ...lines], cutOff: lines, short: false };
    } else {
      const short = secret.length < FRAGMENT_LENGTH;
      known = { whole: spellings, cutOff: spellings.filter((form) => form.length > FRAGMENT_LENGTH), short };
    }
    if (options.minted) {
      this.minted.push(known);
      if (this.minted.length > MINTED_KEPT) this.minted.shift();
    } else {
      this.configured.push(known);
    }
    const all = [...this.configured, ...this.minted];
    this.forms = [...new Set(all.flatMap((entry) => entry.whole))].sort((a, b) => b.length - a.length);
    this.cutOffForms = [...new Set(all.flatMap((entry) => entry.cutOff))];
    // A spelling a long secret also has is matched as a substring: the stricter matching wins.
    const substring = new Set(all.filter((entry) => !entry.short).flatMap((entry) => entry.whole));
    this.tokenPatterns = new Map(all.filter((entry) => entry.short).flatMap((entry) => entry.whole.filter((form) => !substring.has(form)).map((form) => [form, tokenPattern(form)] as const)));
  }

  /** How many spellings are known (tests, diagnostics). */
  get size(): number {
    return this.forms.length;
  }

  /** `text` with every known secret, and any cut-off start or end of one, replaced by [redacted]. */
  redact(text: string): string {
    let out = text;
    // Whole secrets first, so one secret's fragment cannot eat into another that happens to share its ends.
    for (const form of this.forms) {
      if (!out.includes(form)) continue;
      const pattern = this.tokenPatterns.get(form);
      out = pattern === undefined ? out.split(form).join(REDACTED) : out.replace(pattern, REDACTED);
    }
    for (const form of this.cutOffForms) out = redactFragments(out, form);
    return out;
  }
}

/** Matches `form` where it is a whole token: not next to a token character, nor to a `.` between it and one, nor before `=`. */
function tokenPattern(form: string): RegExp {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![${TOKEN_CHARS}])(?<![${TOKEN_CHARS}]\\.)${escaped}(?![${TOKEN_CHARS}=])(?!\\.[${TOKEN_CHARS}])`, 'g');
}

/** Blanks runs of text that are a long enough prefix or suffix of `secret` (a message truncated inside it). */
function redactFragments(text: string, secret: string): string {
  let out = text;
  const head = secret.slice(0, FRAGMENT_LENGTH);
  for (let at = out.indexOf(head); at !== -1; at = out.indexOf(head, at + REDACTED.length)) {
    let length = FRAGMENT_LENGTH;
    while (length < secret.length && out[at + length] === secret[length]) length += 1;
    out = `${out.slice(0, at)}${REDACTED}${out.slice(at + length)}`;
  }
  const tail = secret.slice(-FRAGMENT_LENGTH);
  for (let end = out.indexOf(tail); end !== -1; end = out.indexOf(tail, end + REDACTED.length)) {
    // `end` is where the suffix starts; extend backwards while the text still spells the secret.
    let start = end;
    let index = secret.length - FRAGMENT_LENGTH;
    while (index > 0 && start > 0 && out[start - 1] === secret[index - 1]) {
      start -= 1;
      index -= 1;
    }
    out = `${out.slice(0, start)}${REDACTED}${out.slice(end + FRAGMENT_LENGTH)}`;
    end = start;
  }
  return out;
}
