// `dialsync config`: the effective configuration, each setting with its value and where it came from (default,
// file, environment); secrets only as set or not set. Needs no credential and opens no database (a secret that can
// be read is only registered with the redactor), so it answers where the credentials are missing.
import type { Command } from 'commander';
import { ConfigError, dialpadRateWarning, loadStoreConfig, readRawConfigFile } from '../../config/load.js';
import { effectiveSettings, type SettingRow } from '../../config/settings-sources.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../plan-table.js';
import type { CliIo } from '../runtime.js';

interface ConfigFlags {
  config?: string;
  json: boolean;
}

/** What `dialsync config --json` prints. */
export interface ConfigReport {
  settings: SettingRow[];
}

/**
 * Adds `dialsync config` to `program`: prints every setting of the effective configuration with its source, as a
 * table or (--json) a ConfigReport. Needs no credentials and opens no database. Reports through `setExitCode`: 0
 * printed, 2 the config file or a setting the database commands read cannot be used.
 */
export function registerConfigCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('config')
    .description('Show the effective configuration: every setting, its value and where it came from (default, config file or environment). Secrets show only whether they are set.')
    .option('-c, --config <file>', 'YAML config file (environment variables win over it)')
    .option('--json', 'print the settings as JSON on stdout, each with its description', false)
    .addHelpText('after', '\nNeeds no credentials and no database. Exit codes: 0 printed, 2 configuration error (the file cannot be read or holds a bad setting).')
    .action((flags: ConfigFlags) => {
      setExitCode(printConfig(io, flags));
    });
}

function printConfig(io: CliIo, flags: ConfigFlags): number {
  let rows: SettingRow[];
  try {
    const config = loadStoreConfig({ file: flags.config, env: io.env, ...(io.redactor ? { redactor: io.redactor } : {}) });
    const file = flags.config ? readRawConfigFile(flags.config) : {};
    rows = effectiveSettings({ file, env: io.env, config });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (flags.json) io.stdout.write(`${JSON.stringify({ error: { message: error.message, exitCode: EXIT.config } })}\n`);
    io.stderr.write(`dialsync: configuration error: ${error.message}\n`);
    return EXIT.config;
  }
  // Said here too, not only when a run starts: this is where a setting is checked.
  const rate = rows.find((row) => row.key === 'dialpad.requestsPerSecond')?.value;
  const rateWarning = typeof rate === 'number' ? dialpadRateWarning(rate) : null;
  if (rateWarning !== null) io.stderr.write(`dialsync: warning: ${rateWarning}\n`);
  if (flags.json) {
    const report: ConfigReport = { settings: rows };
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  // The value last: a long one (a list of scopes) then spills past the line instead of pushing SOURCE out of line.
  const lines = table(['KEY', 'SOURCE', 'VALUE'], rows.map((row) => [row.key, row.source, shown(row.value)]));
  lines.push('', 'Secrets show only whether they are set. The environment wins over the config file; --json adds what each setting means.');
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function shown(value: SettingRow['value']): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
