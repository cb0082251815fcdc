import { describe, expect, it } from 'vitest';
import { html } from '../../src/console/html.js';
import { layout } from '../../src/console/layout.js';

const admin = { kind: 'session', name: '<script>x</script>@acme.com', role: 'admin', actor: 'okta:x' } as const;

describe('the layout', () => {
  it('names every section, marks the current one and links the one stylesheet and script', () => {
    const page = layout({ title: 'Runs', section: '/runs', principal: admin, csrfToken: 'tok' }, html`<p>body</p>`).text;
    for (const label of ['Overview', 'Runs', 'Held changes', 'Quarantine', 'Users', 'Audit', 'Settings']) expect(page).toContain(`>${label}</a>`);
    expect(page).toContain('<a href="/runs" aria-current="page">Runs</a>');
    expect(page).toContain('<link rel="stylesheet" href="/assets/console.css">');
    expect(page).toContain('<script src="/assets/console.js" defer></script>');
    expect(page).not.toMatch(/<style|style=|<script>/);
  });

  it('shows the signed-in name escaped, the role, and a sign-out form carrying the CSRF token', () => {
    const page = layout({ title: 'Overview', section: '/', principal: admin, csrfToken: 'tok"1' }, html``).text;
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;@acme.com');
    expect(page).not.toContain('<script>x');
    expect(page).toContain('<span class="role">admin</span>');
    expect(page).toContain('<form method="post" action="/auth/logout" class="inline"><input type="hidden" name="_csrf" value="tok&quot;1">');
  });

  it('has no sign-out form for an API token', () => {
    const page = layout({ title: 'Overview', section: '/', principal: { kind: 'token', name: 'ci', role: 'viewer', actor: 'token:ci' }, csrfToken: '' }, html``).text;
    expect(page).not.toContain('/auth/logout');
  });
});
