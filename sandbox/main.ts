// `npm run sandbox` (node build/sandbox/main.js): both sandboxes with the sample org, until SIGINT or SIGTERM.
// Prints the environment that points dialsync at them.
import { DialpadSandbox } from './dialpad/sandbox.js';
import { OktaSandbox } from './okta/sandbox.js';
import { seedSampleOrg } from './sample-org.js';

async function main(): Promise<void> {
  const okta = new OktaSandbox();
  const dialpad = new DialpadSandbox();
  await Promise.all([okta.start(), dialpad.start()]);
  seedSampleOrg(okta, dialpad);

  const env = {
    OKTA_ORG_URL: okta.url,
    OKTA_APP_ID: okta.appId,
    OKTA_API_TOKEN: okta.token,
    DIALPAD_BASE_URL: dialpad.url,
    DIALPAD_API_KEY: dialpad.apiKey,
  };
  process.stdout.write('# Okta and Dialpad sandboxes are running with the sample org. Point dialsync at them with:\n');
  for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}='${value}'\n`);
  process.stdout.write('# Ctrl-C to stop.\n');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all([okta.stop(), dialpad.stop()]);
}

await main();
