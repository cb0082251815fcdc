import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from '../../src/console/html.js';

describe('html templates', () => {
  it('escapes every value put into them', () => {
    const email = '<script>alert("x")</script>@acme.com';
    expect(html`<td>${email}</td>`.text).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;@acme.com</td>');
  });

  it('escapes both quote characters, so a quoted attribute value cannot be left', () => {
    expect(html`<a title="${`" onclick='x'`}">`.text).toBe('<a title="&quot; onclick=&#39;x&#39;">');
  });

  it('keeps nested templates and arrays of them as markup, and drops null, undefined and false', () => {
    const rows = ['a&b', 'c'].map((cell) => html`<li>${cell}</li>`);
    expect(html`<ul>${rows}${null}${undefined}${false}</ul>`.text).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });

  it('writes numbers as text and trusts only what the console marks as its own', () => {
    expect(html`${3} ${trusted('<br>')} ${'<br>'}`.text).toBe('3 <br> &lt;br&gt;');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
