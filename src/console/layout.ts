// The frame of every console page: navigation, who is signed in, the sign-out form, one stylesheet, one script.
import { html, type Html } from './html.js';
import type { Principal } from './principal.js';

/** The sections of the navigation, in order, with their paths. */
export const NAVIGATION = [
  { path: '/', label: 'Overview' },
  { path: '/runs', label: 'Runs' },
  { path: '/held', label: 'Held changes' },
  { path: '/quarantine', label: 'Quarantine' },
  { path: '/users', label: 'Users' },
  { path: '/audit', label: 'Audit' },
  { path: '/settings', label: 'Settings' },
] as const;

/** A navigation path (the section a page belongs to). */
export type Section = (typeof NAVIGATION)[number]['path'];

/** What every page's frame needs: the page's title and section, who asks, and the CSRF token for its forms. */
export interface PageFrame {
  title: string;
  section: Section;
  principal: Principal | null;
  /** The CSRF token for the forms on the page (the hidden `_csrf` field); empty for a token principal. */
  csrfToken: string;
}

/** A whole HTML document: the navigation with `frame.section` marked current, the principal, sign-out, then `body`. */
export function layout(frame: PageFrame, body: Html): Html {
  const nav = NAVIGATION.map(
    (item) => html`<li><a href="${item.path}"${item.path === frame.section ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  const who = frame.principal
    ? html`<span class="who">${frame.principal.name} <span class="role">${frame.principal.role}</span></span>
      ${frame.principal.kind === 'session' ? html`<form method="post" action="/auth/logout" class="inline"><input type="hidden" name="_csrf" value="${frame.csrfToken}"><button type="submit">Sign out</button></form>` : ''}`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · dialsync</title>
<link rel="stylesheet" href="/assets/console.css">
<link rel="icon" href="data:,">
<script src="/assets/console.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">dialsync</a>
<nav aria-label="Console"><ul>${nav}</ul></nav>
<div class="session">${who}</div>
</header>
<main>
<h1>${frame.title}</h1>
${body}
</main>
</body>
</html>
`;
}
