// The pieces of markup every console page lists things with: a table with an empty state, a pager, times.
import { html, type Html, type HtmlValue } from './html.js';

/** A table with a caption and header row; `empty` is shown instead when there is no row. */
export function dataTable(args: { caption?: string; headers: readonly HtmlValue[]; rows: readonly (readonly HtmlValue[])[]; empty: string; className?: string }): Html {
  if (args.rows.length === 0) return html`<p class="empty">${args.empty}</p>`;
  return html`<table class="${args.className ?? 'data'}">${args.caption ? html`<caption>${args.caption}</caption>` : ''}
<thead><tr>${args.headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
<tbody>${args.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>\n`)}</tbody>
</table>`;
}

/**
 * Links to the previous and next page of a list of `total` items, `perPage` a page, keeping the other query
 * parameters (`query`, empty ones left out).
 */
export function pager(args: { path: string; page: number; perPage: number; total: number; query: Record<string, string | undefined> }): Html {
  const pages = Math.max(1, Math.ceil(args.total / args.perPage));
  const link = (page: number): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(args.query)) if (value !== undefined && value !== '') params.set(key, value);
    params.set('page', String(page));
    return `${args.path}?${params.toString()}`;
  };
  return html`<nav class="pager" aria-label="Pages">
${args.page > 1 ? html`<a rel="prev" href="${link(args.page - 1)}">← Newer</a>` : ''}
<span>Page ${args.page} of ${pages} (${args.total} in all)</span>
${args.page < pages ? html`<a rel="next" href="${link(args.page + 1)}">Older →</a>` : ''}
</nav>`;
}

/** An ISO 8601 instant as a <time> element, shown "2026-11-29 10:00:00Z"; "—" for null. */
export function when(iso: string | null | undefined): Html {
  if (!iso) return html`—`;
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}

/** A short badge (an outcome, a role, a state) whose colour the stylesheet gives by its class. */
export function badge(text: string): Html {
  return html`<span class="badge badge-${text.replace(/[^a-z0-9_-]/gi, '_')}">${text}</span>`;
}
