// `npm run sandbox` (node build/sandbox/main.js): both sandboxes with the sample org, until SIGINT or SIGTERM.
// Prints the environment that points dialsync at them. By default they listen on 127.0.0.1 on ephemeral ports
// with fresh credentials; compose.yaml fixes all of it through SANDBOX_* variables, so the dialsync container
// can be told in advance where they are and what to send.
import { DialpadSandbox } from './dialpad/sandbox.js';
import { OktaSandbox } from './okta/sandbox.js';
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

async function main(): Promise<void> {
  const env = process.env;
  const okta = new OktaSandbox({
    listen: listenFrom(env, 'SANDBOX_OKTA_PORT'),
    ...(env.SANDBOX_OKTA_APP_ID ? { appId: env.SANDBOX_OKTA_APP_ID } : {}),
    ...(env.SANDBOX_OKTA_API_TOKEN ? { token: env.SANDBOX_OKTA_API_TOKEN } : {}),
  });
  const dialpad = new DialpadSandbox({
    listen: listenFrom(env, 'SANDBOX_DIALPAD_PORT'),
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
  };
  process.stdout.write('# Okta and Dialpad sandboxes are running with the sample org. Point dialsync at them with:\n');
  for (const [name, value] of Object.entries(exports)) process.stdout.write(`export ${name}='${value}'\n`);
  process.stdout.write('# Ctrl-C to stop.\n');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all([okta.stop(), dialpad.stop()]);
}

await main();
