// `npm run sandbox` (node build/sandbox/main.js): both sandboxes with the sample org, until SIGINT or SIGTERM.
// Prints the environment that points dialsync at them. By default they listen on 127.0.0.1 on ephemeral ports
// with fresh credentials; compose.yaml fixes all of it through SANDBOX_* variables, so the dialsync container
// can be told in advance where they are and what to send.
// The Okta sandbox's authorization server registers the console as an OIDC client: --console-url (or
// SANDBOX_CONSOLE_URL, default http://127.0.0.1:8080) gives its callback and sign-out addresses; --console-client-id
// and --console-client-secret (SANDBOX_OKTA_CONSOLE_CLIENT_ID, SANDBOX_OKTA_CONSOLE_CLIENT_SECRET) fix its
// credentials (random otherwise); --user-password (SANDBOX_OKTA_USER_PASSWORD) every sample user's password.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DialpadSandbox, RATE_WINDOWS, type DialpadSandboxOptions, type RateWindow } from './dialpad/sandbox.js';
import { OktaSandbox } from './okta/sandbox.js';
import { consoleClient, DEFAULT_CONSOLE_URL } from './okta/oidc-client.js';
import { consoleSignInText } from './console-sign-in.js';
import type { SandboxListenOptions } from './http/server.js';
import { seedSampleOrg } from './sample-org.js';

/**
 * The listen address from the environment: SANDBOX_HOST (bind address, e.g. 0.0.0.0), SANDBOX_PUBLIC_HOST (the
 * name clients use, e.g. the compose service's) and the port variable given; undefined when none is set.
 */
function listenFrom(env: NodeJS.ProcessEnv, portVariable: string): SandboxListenOptions | undefined {
  const host = env.SANDBOX_HOST;
  const port = env[portVariable];
  if (host === undefined && port === undefined && env.SANDBOX_PUBLIC_HOST === undefined) return undefined;
  const number = Number(port ?? '0');
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new Error(`${portVariable} must be a port number, not "${port ?? ''}"`);
  return { host: host ?? '127.0.0.1', port: number, publicHost: env.SANDBOX_PUBLIC_HOST };
}

const SANDBOX_HELP = `npm run sandbox [-- options]
  Starts the Okta and Dialpad sandboxes with the sample org and prints the environment to point dialsync at them,
  and the admin console's settings. Ctrl-C stops them. For trying scoping, the sample org has an Okta group
  "Dialpad pilot" and users whose userType is Contractor.
Options (or the environment variables in brackets):
  --console-url URL            where the console is served (SANDBOX_CONSOLE_URL; default http://127.0.0.1:8080)
  --console-client-id ID       the console's OIDC client id (SANDBOX_OKTA_CONSOLE_CLIENT_ID; default random)
  --console-client-secret S    its client secret (SANDBOX_OKTA_CONSOLE_CLIENT_SECRET; default random)
  --user-password P            every sample user's password (SANDBOX_OKTA_USER_PASSWORD; default Sandbox-Passw0rd)
  --dialpad-rate-limit N       Dialpad requests per second it answers before 429s (SANDBOX_DIALPAD_RATE_LIMIT; default none)
  --dialpad-rate-window W      how that limit is counted: fixed (a 1 s window from the first request) or sliding (any
                               1 s span, strict) (SANDBOX_DIALPAD_RATE_WINDOW; default fixed)
  --help                       this text
Ports: SANDBOX_OKTA_PORT, SANDBOX_DIALPAD_PORT (default a free port each); SANDBOX_HOST binds another address,
  SANDBOX_PUBLIC_HOST is the host name the printed URLs use.
Trying changes by hand (after exporting the printed variables; Okta's writes land in its System Log, so the
  daemon's next incremental cycle sees them; jq picks the ids):
  O="$OKTA_ORG_URL/api/v1"; A="Authorization: SSWS $OKTA_API_TOKEN"; J="Content-Type: application/json"
  U=$(curl -s -H "$A" "$O/users/bob.martin@example.com" | jq -r .id)
  G=$(curl -s -H "$A" "$O/groups?q=Dialpad%20pilot" | jq -r '.[0].id')
  profile edit:  curl -X POST -H "$A" -H "$J" "$O/users/$U" -d '{"profile":{"title":"Staff Engineer"}}'
  join a group:  curl -X PUT -H "$A" "$O/groups/$G/users/$U"        leave it: curl -X DELETE (same URL)
  unassign:      curl -X DELETE -H "$A" "$O/apps/$OKTA_APP_ID/users/$U"
  assign:        curl -X POST -H "$A" -H "$J" "$O/apps/$OKTA_APP_ID/users" -d "{\\"id\\":\\"$U\\"}"
  deactivate:    curl -X POST -H "$A" "$O/users/$U/lifecycle/deactivate"   (also activate, suspend, unsuspend;
                 DELETE $O/users/$U deletes a deactivated user)
  a Dialpad portal edit (drift; Dialpad ids pass 2^53, so not jq for them):
                 D=$(curl -s -H "Authorization: Bearer $DIALPAD_API_KEY" "$DIALPAD_BASE_URL/api/v2/users?email=jordan.lee@example.com" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
                 curl -X PATCH -H "Authorization: Bearer $DIALPAD_API_KEY" -H "$J" "$DIALPAD_BASE_URL/api/v2/users/$D" -d '{"job_title":"Manager"}'
  an Okta event hook delivery (this Okta sends none; to a daemon with daemon.hooks.enabled and DIALSYNC_HOOK_SECRET
  exported, on port 8080; application.user_membership.add also targets {"id":"$OKTA_APP_ID","type":"AppInstance"}):
                 curl -X POST -H "Authorization: $DIALSYNC_HOOK_SECRET" -H "$J" http://127.0.0.1:8080/hooks/okta -d "{\\"data\\":{\\"events\\":[{\\"uuid\\":\\"try-$(date +%s)\\",\\"published\\":\\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\\",\\"eventType\\":\\"user.lifecycle.deactivate\\",\\"target\\":[{\\"id\\":\\"$U\\",\\"type\\":\\"User\\"}]}]}}"
`;

/**
 * The Dialpad sandbox's rate limit from --dialpad-rate-limit and --dialpad-rate-window; undefined without a limit.
 * Throws for a limit that is not a positive integer, or a window other than fixed or sliding.
 */
function dialpadRateLimit(limit: string | undefined, window: string | undefined): DialpadSandboxOptions['rateLimit'] {
  if (window !== undefined && !(RATE_WINDOWS as readonly string[]).includes(window)) throw new Error(`--dialpad-rate-window must be ${RATE_WINDOWS.join(' or ')}, not "${window}"`);
  if (limit === undefined) {
    if (window !== undefined) throw new Error('--dialpad-rate-window needs --dialpad-rate-limit');
    return undefined;
  }
  const perSecond = Number(limit);
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new Error(`--dialpad-rate-limit must be a positive integer, not "${limit}"`);
  return { perSecond, window: (window ?? 'fixed') as RateWindow };
}

async function main(): Promise<void> {
  const env = process.env;
  const { values: flags } = parseArgs({
    options: {
      'console-url': { type: 'string' },
      'console-client-id': { type: 'string' },
      'console-client-secret': { type: 'string' },
      'user-password': { type: 'string' },
      'dialpad-rate-limit': { type: 'string' },
      'dialpad-rate-window': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (flags.help) {
    process.stdout.write(SANDBOX_HELP);
    return;
  }
  const consoleUrl = (flags['console-url'] ?? (env.SANDBOX_CONSOLE_URL || DEFAULT_CONSOLE_URL)).replace(/\/+$/, '');
  const clientId = flags['console-client-id'] ?? (env.SANDBOX_OKTA_CONSOLE_CLIENT_ID || undefined);
  const clientSecret = flags['console-client-secret'] ?? (env.SANDBOX_OKTA_CONSOLE_CLIENT_SECRET || undefined);
  const userPassword = flags['user-password'] ?? (env.SANDBOX_OKTA_USER_PASSWORD || undefined);
  const okta = new OktaSandbox({
    listen: listenFrom(env, 'SANDBOX_OKTA_PORT'),
    ...(env.SANDBOX_OKTA_APP_ID ? { appId: env.SANDBOX_OKTA_APP_ID } : {}),
    ...(env.SANDBOX_OKTA_API_TOKEN ? { token: env.SANDBOX_OKTA_API_TOKEN } : {}),
    oidc: {
      clients: [consoleClient({ consoleUrl, ...(clientId === undefined ? {} : { clientId }), ...(clientSecret === undefined ? {} : { clientSecret }) })],
      ...(userPassword === undefined ? {} : { userPassword }),
    },
  });
  const rateLimit = dialpadRateLimit(flags['dialpad-rate-limit'] ?? (env.SANDBOX_DIALPAD_RATE_LIMIT || undefined), flags['dialpad-rate-window'] ?? (env.SANDBOX_DIALPAD_RATE_WINDOW || undefined));
  const dialpad = new DialpadSandbox({
    listen: listenFrom(env, 'SANDBOX_DIALPAD_PORT'),
    ...(rateLimit === undefined ? {} : { rateLimit }),
    ...(env.SANDBOX_DIALPAD_API_KEY ? { apiKey: env.SANDBOX_DIALPAD_API_KEY } : {}),
  });
  await Promise.all([okta.start(), dialpad.start()]);
  seedSampleOrg(okta, dialpad);

  const exports = {
    OKTA_ORG_URL: okta.url,
    OKTA_APP_ID: okta.appId,
    OKTA_API_TOKEN: okta.token,
    DIALPAD_BASE_URL: dialpad.url,
    DIALPAD_API_KEY: dialpad.apiKey,
    DIALSYNC_CONSOLE_CLIENT_SECRET: okta.consoleClient.clientSecret,
    // Signs the console's session cookie: a fresh one each start (a real deployment keeps one in its secret store).
    DIALSYNC_CONSOLE_SESSION_SECRET: randomBytes(32).toString('hex'),
  };
  process.stdout.write('# Okta and Dialpad sandboxes are running with the sample org. Point dialsync at them with:\n');
  for (const [name, value] of Object.entries(exports)) process.stdout.write(`export ${name}='${value}'\n`);
  process.stdout.write(consoleSignInText(okta, consoleUrl).replace(/^(?=.)/gm, '# '));
  process.stdout.write('# Ctrl-C to stop.\n');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all([okta.stop(), dialpad.stop()]);
}

await main();
