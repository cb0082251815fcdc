// Okta pages its listings with Link headers (RFC 8288): the next page is the link whose rel is "next".

/** The rel="next" URL of a Link header (node-fetch joins several Link headers with ", "). */
export function nextLink(header: string | null): string | null {
  if (header === null) return null;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const params = match[2] ?? '';
    if (/;\s*rel\s*=\s*"?([^";,]*\s)?next(\s[^";,]*)?"?/i.test(params)) return match[1] ?? null;
  }
  return null;
}
