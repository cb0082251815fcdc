// The settings the environment sets: each variable with the config key it sets, declared once. The loader reads
// them by these names (config/load.ts) and the settings view tells from them where each value came from
// (config/settings-sources.ts), so a variable the loader reads is never missing from the view.

/** The variables that set a config-file key; each wins over the file (trimmed, an empty one counts as unset). */
export const ENVIRONMENT_SETTINGS = [
  { variable: 'OKTA_ORG_URL', key: 'okta.orgUrl' },
  { variable: 'OKTA_APP_ID', key: 'okta.appId' },
  { variable: 'OKTA_CLIENT_ID', key: 'okta.clientId' },
  { variable: 'DIALPAD_BASE_URL', key: 'dialpad.baseUrl' },
  { variable: 'DIALSYNC_DATABASE', key: 'database' },
  { variable: 'DIALSYNC_LOG_LEVEL', key: 'logLevel' },
] as const;

/** A variable of ENVIRONMENT_SETTINGS. */
export type SettingVariable = (typeof ENVIRONMENT_SETTINGS)[number]['variable'];

/**
 * The secrets: never in the config file, read from `variable`, from the file `fileVariable` names, or from the file
 * the config-file key `fileKey` names (when there is one). `key` names the secret in the settings view only: it is
 * not a config-file key. Their values are never shown, only whether they are set.
 */
export const SECRET_SETTINGS = [
  { key: 'okta.apiToken', variable: 'OKTA_API_TOKEN', fileVariable: 'OKTA_API_TOKEN_FILE', fileKey: 'okta.apiTokenFile', description: 'The Okta API token (or a service app: okta.clientId with a private key).' },
  { key: 'okta.privateKey', variable: 'OKTA_PRIVATE_KEY', fileVariable: 'OKTA_PRIVATE_KEY_FILE', fileKey: 'okta.privateKeyFile', description: "The Okta service app's private key, PEM or JWK." },
  { key: 'dialpad.apiKey', variable: 'DIALPAD_API_KEY', fileVariable: 'DIALPAD_API_KEY_FILE', fileKey: 'dialpad.apiKeyFile', description: 'The Dialpad company admin API key.' },
  {
    key: 'postgres.password',
    variable: 'DIALSYNC_DATABASE_PASSWORD',
    fileVariable: 'DIALSYNC_DATABASE_PASSWORD_FILE',
    fileKey: 'postgres.passwordFile',
    description: 'The PostgreSQL password, when the DSN holds none.',
  },
  { key: 'daemon.hooks.secret', variable: 'DIALSYNC_HOOK_SECRET', fileVariable: 'DIALSYNC_HOOK_SECRET_FILE', fileKey: null, description: 'The secret Okta sends with each event hook delivery.' },
] as const;

/** A secret of SECRET_SETTINGS. */
export type SecretSetting = (typeof SECRET_SETTINGS)[number];

/** A secret's variable (OKTA_API_TOKEN), as the loader asks for it. */
export type SecretVariable = SecretSetting['variable'];

/** The SECRET_SETTINGS row of `variable`. */
export function secretSetting(variable: SecretVariable): SecretSetting {
  return SECRET_SETTINGS.find((secret) => secret.variable === variable) as SecretSetting;
}

/** The value of `variable` in `env`, trimmed; undefined when unset or blank (a blank variable does not win over the file). */
export function environmentValue(env: NodeJS.ProcessEnv, variable: SettingVariable): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}
