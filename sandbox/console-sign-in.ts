// What an admin needs to sign in to dialsync's console against the Okta sandbox: the console's address, the settings
// that point it at the sandbox's authorization server, and the sample logins. `npm run sandbox` and the demo print it.
import type { OktaSandbox } from './okta/sandbox.js';
import { CONSOLE_ADMINS_GROUP, CONSOLE_VIEWERS_GROUP, SAMPLE_CONSOLE_LOGINS } from './sample-org.js';

/**
 * Text lines (each ending in a newline) for a sandbox seeded with the sample org: the console at `consoleUrl` (served
 * by the daemon on its port at `/`), its `console:` settings (issuer, client id, groups), where its client secret
 * goes (DIALSYNC_CONSOLE_CLIENT_SECRET, not printed: the caller exports it) and the sample logins with the sandbox's
 * demo password.
 */
export function consoleSignInText(okta: OktaSandbox, consoleUrl: string): string {
  const client = okta.consoleClient;
  return [
    `Admin console: ${consoleUrl}/ (served by the dialsync daemon on its port)`,
    `  Okta sign-in (the sandbox's authorization server), in the config file:`,
    `    console:`,
    `      enabled: true`,
    `      publicUrl: ${consoleUrl}`,
    `      issuer: ${okta.issuer}`,
    `      clientId: ${client.clientId}`,
    `      adminGroup: ${CONSOLE_ADMINS_GROUP}`,
    `      viewerGroup: ${CONSOLE_VIEWERS_GROUP}`,
    `  The client secret goes in DIALSYNC_CONSOLE_CLIENT_SECRET; registered redirect URI: ${client.redirectUris.join(', ')}`,
    `  Sign in as (every sample user's password is ${okta.userPassword}):`,
    `    admin:  ${SAMPLE_CONSOLE_LOGINS.admin}`,
    `    viewer: ${SAMPLE_CONSOLE_LOGINS.viewer}`,
    `    in neither group (refused): ${SAMPLE_CONSOLE_LOGINS.nonMember}`,
  ]
    .map((line) => `${line}\n`)
    .join('');
}
