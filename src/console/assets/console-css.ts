// The console's one stylesheet, served as /assets/console.css (a static file: the CSP allows only 'self' styles,
// no inline style). Kept as a module so the build ships it with the code.

/** The stylesheet's text. */
export const CONSOLE_CSS = `
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7f9; --card: #fff; --accent: #2457c5;
  --ok: #2e8540; --warn: #c77c02; --bad: #c2312f; --idle: #8a94a6; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--bg); font-size: 15px; line-height: 1.45; }
a { color: var(--accent); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: 0.6rem 1.5rem; background: #1d2330; color: #fff; flex-wrap: wrap; }
header.top a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; font-size: 1.1rem; }
header nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
header nav a[aria-current="page"] { border-bottom: 2px solid #fff; }
.session { margin-left: auto; display: flex; align-items: center; gap: 0.75rem; }
.role { font-size: 0.8rem; padding: 0.05rem 0.4rem; border: 1px solid #fff8; border-radius: 3px; }
form.inline { display: inline; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
table { border-collapse: collapse; width: 100%; background: var(--card); margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
/* A long error or code (an API path, an id) breaks where it must rather than push the table past the page. */
td code, td .message { overflow-wrap: anywhere; }
.badge, td button { white-space: nowrap; }
th { background: #eef1f5; font-weight: 600; font-size: 0.85rem; }
tbody tr:hover { background: #f1f5fd; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.85em; }
.detail { color: var(--muted); font-size: 0.85rem; }
.empty { color: var(--muted); font-style: italic; }
.error { color: var(--bad); }
.confirmation { background: #e7f4ea; border: 1px solid #b9dcc1; padding: 0.5rem 0.75rem; border-radius: 4px; }
.note { background: #fff6e0; border: 1px solid #e8d39a; padding: 0.5rem 0.75rem; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; background: var(--card); padding: 0.75rem 1rem; border: 1px solid var(--line); border-radius: 4px; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.tiles { display: flex; gap: 1rem; list-style: none; padding: 0; flex-wrap: wrap; }
ul.tiles li { background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 0.75rem 1.25rem; min-width: 10rem; }
ul.tiles strong { display: block; font-size: 1.6rem; }
.badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 3px; font-size: 0.8rem; color: #fff; background: var(--idle); }
.badge-succeeded, .badge-done, .badge-ready, .badge-ok, .badge-approved, .badge-set { background: var(--ok); }
.badge-partial, .badge-held, .badge-withheld, .badge-unchecked, .badge-pending, .badge-failing { background: var(--warn); }
.badge-failed, .badge-unready, .badge-refused, .badge-quarantined, .badge-dismissed { background: var(--bad); }
form.filters { display: flex; gap: 1rem; align-items: end; flex-wrap: wrap; margin: 0.5rem 0; }
form.filters label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); }
input, select, button { font: inherit; padding: 0.3rem 0.5rem; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
header.top button { background: transparent; border: 1px solid #fff8; }
.buttons { display: flex; gap: 0.75rem; margin: 0.5rem 0; }
section.run-now { margin: 0.5rem 0 1rem; }
form.run-now-form { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
.pager { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
figure.chart { margin: 0 0 1.5rem; background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 0.5rem; max-width: 740px; }
figure.chart figcaption { font-size: 0.85rem; color: var(--muted); padding: 0.25rem 0.5rem; }
svg.chart-svg { display: block; max-width: 100%; height: auto; font-size: 11px; }
svg.chart-svg text { fill: var(--muted); }
svg .grid { stroke: #e6e9ef; }
svg .baseline, svg .axis-x line { stroke: #9aa3b2; }
svg .axis-label { font-size: 11px; }
svg .axis-x .grid { stroke: #eef0f4; } svg .day-mark { stroke: #c4cad4; }
svg .zero-line { stroke: #5b6475; stroke-dasharray: 3 3; } svg text.chart-note { font-size: 13px; }
svg .chart-empty-frame { fill: #fafbfc; stroke: var(--line); stroke-dasharray: 4 3; }
svg .chart-empty-text { font-size: 14px; }
svg .outcome-succeeded { fill: var(--ok); }
svg .outcome-partial { fill: var(--warn); }
svg .outcome-failed { fill: var(--bad); }
svg .outcome-running { fill: var(--idle); }
svg .kind-create { fill: #2e8540; } svg .kind-adopt { fill: #6aa84f; } svg .kind-relink { fill: #8e7cc3; }
svg .kind-reactivate { fill: #45818e; } svg .kind-update { fill: #2457c5; } svg .kind-move_office { fill: #6fa8dc; }
svg .kind-assign_number { fill: #a64d79; } svg .kind-suspend { fill: #c77c02; } svg .kind-delete { fill: #c2312f; }
svg .kind-write_back { fill: #999999; } svg .kind-set_job_title { fill: #b5a642; }
svg path.line { fill: none; stroke-width: 2; }
svg path.series-failures { stroke: var(--bad); } svg circle.series-failures, svg rect.series-failures { fill: var(--bad); }
svg path.series-dialpad { stroke: #6f42c1; } svg circle.series-dialpad, svg rect.series-dialpad { fill: #6f42c1; }
svg path.series-okta { stroke: #0b7285; } svg circle.series-okta, svg rect.series-okta { fill: #0b7285; }
svg a rect.bar:hover { opacity: 0.8; }
.action-group table { table-layout: fixed; }
`;
