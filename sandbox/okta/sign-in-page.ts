// The sandbox's hosted sign-in page and error page: plain HTML forms, no script and no inline style, so they run under
// any Content-Security-Policy and a browser test can fill them in by label.

/** The security headers every page of the authorization server carries (nothing may frame or script it). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/**
 * The sign-in form for one pending authorization request: username and password, POSTed to `action` with the
 * request's `transaction` id in a hidden field. `error` (e.g. after a wrong password) is shown above the form;
 * `username` refills the field.
 */
export function signInPage(args: { action: string; transaction: string; clientName: string; error?: string; username?: string }): string {
  const error = args.error === undefined ? '' : `<p role="alert" id="error">${escapeHtml(args.error)}</p>\n`;
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>to ${escapeHtml(args.clientName)} (Okta sandbox)</p>
${error}<form method="post" action="${escapeHtml(args.action)}">
<input type="hidden" name="transaction" value="${escapeHtml(args.transaction)}">
<p><label for="username">Username</label><br><input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(args.username ?? '')}" required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>`,
  );
}

/** Okta's error page, for a request it cannot send back to the client (unknown client, unregistered redirect URI). */
export function errorPage(error: string, description: string): string {
  return page('Error', `<h1>${escapeHtml(error)}</h1>\n<p id="error-description">${escapeHtml(description)}</p>`);
}

/** The page shown after a sign-out without a post-logout redirect URI. */
export function signedOutPage(): string {
  return page('Signed out', '<h1>Signed out</h1>\n<p>You have been signed out of the Okta sandbox.</p>');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} - Okta sandbox</title></head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
