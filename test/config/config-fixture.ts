// What the config tests share: an environment that sets every required variable, a temp folder for config and
// secret files, the example config file, and the ConfigError a load throws.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config/load.js';

/** The required variables (Okta org, app and token, Dialpad key) and nothing else: every default applies. */
export const requiredEnv = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_APP_ID: '0oaAPP', OKTA_API_TOKEN: 'okta-token', DIALPAD_API_KEY: 'dp-key' };

/** A fresh temp folder (one per test file) that fixtureFile writes into. */
export const fixtureDir = mkdtempSync(join(tmpdir(), 'dialsync-config-'));

/** The example config file the repository ships (config/dialsync.example.yaml). */
export const exampleConfigFile = resolve(import.meta.dirname, '../../config/dialsync.example.yaml');

let written = 0;

/** Writes `text` to a file in fixtureDir and returns its path; `name` defaults to a new one for each call. */
export function fixtureFile(text: string, name = `file-${(written += 1)}.yaml`): string {
  const path = join(fixtureDir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError `load` throws; throws itself when `load` throws something else or nothing. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
