// HTML built from templates that escape every value put into them: the one way console pages make markup, so a
// value read from Okta, Dialpad or the store (an email such as `<script>`) can never become markup.

/** Markup already escaped (or written by the console itself): put into a template as is. */
export class Html {
  constructor(
    /** The markup. */
    readonly text: string,
  ) {}

  /** The markup as a string (for a reply body). */
  toString(): string {
    return this.text;
  }
}

/** What a template takes: text and numbers are escaped, Html is kept, arrays are joined, null/undefined/false vanish. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` with the five characters that mean something in HTML (text or attribute value) escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The template tag: html`<td>${email}</td>` escapes `email`; a nested html`` (or an array of them) is kept as
 * markup. Quote attribute values in the template (`href="${url}"`): the escaping covers both quote characters.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup the console wrote itself (never a value read from outside), trusted as is. */
export function trusted(text: string): Html {
  return new Html(text);
}
