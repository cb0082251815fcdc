// The settings (GET /settings and /api/settings), read-only: each key's effective value and where it came from
// (default, file or environment); a secret shows only whether it is set.
import type { SettingRow } from '../../config/settings-sources.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type Html } from '../html.js';
import { badge, dataTable } from '../table.js';

/** What GET /settings shows and GET /api/settings answers. */
export interface SettingsPage {
  settings: SettingRow[];
}

/** The effective settings (deps.settings: secrets already reduced to set / not set). */
export function loadSettings(deps: ConsoleDeps): SettingsPage {
  return { settings: deps.settings() };
}

/** The settings page's body: one row per key. */
export function renderSettings(view: SettingsPage): Html {
  return html`<p>The effective configuration, read-only. Change it in the config file or the environment and restart.</p>
${dataTable({
  headers: ['Key', 'Value', 'Source', 'Description'],
  rows: view.settings.map((s) => [html`<code>${s.key}</code>`, s.secret ? badge(s.value === 'set' ? 'set' : 'not set') : valueText(s.value), s.source, s.description]),
  empty: 'No setting to show.',
})}`;
}

function valueText(value: SettingRow['value']): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty list)' : value.join(', ');
  return String(value);
}
