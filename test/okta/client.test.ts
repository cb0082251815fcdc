import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@okta/okta-sdk-nodejs';
import { Redactor } from '../../src/log/redactor.js';
import { createOktaClient } from '../../src/okta/client.js';
import { OktaSource } from '../../src/okta/source.js';
import { APP_ID, ORG, TOKEN, tokenSettings, useOktaServer } from './fake-okta.js';

const server = useOktaServer();

const ELSEWHERE = 'https://elsewhere.okta.example';

/** Sets (or, with undefined, unsets) an environment variable for one test; afterEach puts it back. */
const savedEnv = new Map<string, string | undefined>();
function setEnv(name: string, value: string | undefined): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
afterEach(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  savedEnv.clear();
});

function recordAppReads(seen: { origin: string; authorization: string | null; userAgent: string | null }[]) {
  const answer = ({ request }: { request: Request }) => {
    seen.push({ origin: new URL(request.url).origin, authorization: request.headers.get('authorization'), userAgent: request.headers.get('user-agent') });
    return HttpResponse.json({ id: APP_ID, name: 'dialpad', label: 'Dialpad', status: 'ACTIVE', signOnMode: 'SAML_2_0' });
  };
  server.use(http.get(`${ORG}/api/v1/apps/:appId`, answer), http.get(`${ELSEWHERE}/api/v1/apps/:appId`, answer));
}

describe('createOktaClient', () => {
  it('ignores OKTA_CLIENT_* variables: org, token and auth mode come from dialsync alone', async () => {
    setEnv('OKTA_CLIENT_ORGURL', ELSEWHERE);
    setEnv('OKTA_CLIENT_TOKEN', 'token-from-the-environment');
    setEnv('OKTA_CLIENT_AUTHORIZATIONMODE', 'PrivateKey');
    setEnv('OKTA_CLIENT_CLIENTID', '0oaFromEnv');
    // The SDK on its own would take them.
    expect(new Client({ privateKey: '{"kty":"RSA"}', scopes: ['x'], cacheMiddleware: null }).baseUrl).toBe(ELSEWHERE);
    const seen: { origin: string; authorization: string | null; userAgent: string | null }[] = [];
    recordAppReads(seen);

    const client = createOktaClient(tokenSettings());
    await new OktaSource({ client, appId: APP_ID }).checkAccess();

    expect(client.baseUrl).toBe(ORG);
    expect(client.authorizationMode).toBe('SSWS');
    expect(seen).toEqual([{ origin: ORG, authorization: `SSWS ${TOKEN}`, userAgent: expect.stringMatching(/^dialsync @okta\/okta-sdk-nodejs\//) }]);
  });

  it('ignores an okta.yaml in the home directory', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dialsync-okta-home-'));
    mkdirSync(join(home, '.okta'));
    writeFileSync(
      join(home, '.okta', 'okta.yaml'),
      `okta:\n  client:\n    orgUrl: "${ELSEWHERE}"\n    token: "token-from-yaml"\n    authorizationMode: "SSWS"\n`,
    );
    setEnv('HOME', home);
    // vitest.config.ts blanks these two, which would hide the YAML file from the SDK.
    setEnv('OKTA_CLIENT_ORGURL', undefined);
    setEnv('OKTA_CLIENT_TOKEN', undefined);
    // The SDK on its own would take it.
    expect(new Client({ cacheMiddleware: null }).baseUrl).toBe(ELSEWHERE);
    const seen: { origin: string; authorization: string | null; userAgent: string | null }[] = [];
    recordAppReads(seen);

    const client = createOktaClient(tokenSettings());
    await new OktaSource({ client, appId: APP_ID }).checkAccess();

    expect(seen.map(({ origin, authorization }) => ({ origin, authorization }))).toEqual([{ origin: ORG, authorization: `SSWS ${TOKEN}` }]);
  });

  it('does not let a stray OKTA_CLIENT_TOKEN ride along in PrivateKey mode', () => {
    setEnv('OKTA_CLIENT_TOKEN', 'token-from-the-environment');
    const client = createOktaClient({
      orgUrl: ORG,
      appId: APP_ID,
      auth: { kind: 'privateKey', clientId: '0oaService', privateKey: '{"kty":"RSA"}', scopes: ['okta.apps.read'] },
    });
    expect(client.authorizationMode).toBe('PrivateKey');
    expect(client.apiToken).toBe('');
    expect(client.scopes).toEqual(['okta.apps.read']);
    expect(client.http.defaultHeaders['Authorization']).toBeUndefined();
  });

  it('sets the retry count and request timeout on the request executor', () => {
    const client = createOktaClient(tokenSettings({ maxRetries: 0, requestTimeoutMs: 1234 }));
    expect(client.requestExecutor).toMatchObject({ maxRetries: 0, requestTimeout: 1234 });
    const defaults = createOktaClient({ orgUrl: ORG, appId: APP_ID, auth: { kind: 'token', token: TOKEN } });
    expect(defaults.requestExecutor).toMatchObject({ maxRetries: 3, requestTimeout: 30_000 });
  });
});

describe('OktaClient with a service app', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const settings = { orgUrl: ORG, appId: APP_ID, auth: { kind: 'privateKey' as const, clientId: '0oaService', privateKey, scopes: ['okta.apps.read'] } };

  it.each([401, 403, 400])('sends a token request the token endpoint refused (%s) once, and reads nothing', async (status) => {
    let tokenRequests = 0;
    let appReads = 0;
    server.use(
      http.post(`${ORG}/oauth2/v1/token`, () => {
        tokenRequests += 1;
        return HttpResponse.json({ error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' }, { status });
      }),
      http.get(`${ORG}/api/v1/apps/:appId`, () => {
        appReads += 1;
        return HttpResponse.json({ id: APP_ID });
      }),
    );
    const client = createOktaClient(settings);
    await expect(client.get(client.url(`/api/v1/apps/${APP_ID}`))).rejects.toMatchObject({ code: 'unauthorized', oktaErrorCode: 'invalid_client' });
    expect(tokenRequests).toBe(1);
    expect(appReads).toBe(0);
  });

  it('registers the client assertion and the access token with the redactor as they are minted', async () => {
    const assertions: string[] = [];
    server.use(
      http.post(`${ORG}/oauth2/v1/token`, async ({ request }) => {
        assertions.push(new URLSearchParams(await request.text()).get('client_assertion') ?? '');
        return HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: 'eyJraWQiOiJhY2Nlc3MtdG9rZW4tbWludGVkLWF0LXJ1bg', scope: 'okta.apps.read' });
      }),
      http.get(`${ORG}/api/v1/apps/:appId`, () => HttpResponse.json({ id: APP_ID })),
    );
    const redactor = new Redactor();
    const client = createOktaClient(settings, { redactor });
    await client.get(client.url(`/api/v1/apps/${APP_ID}`));
    expect(assertions).toHaveLength(1);
    expect(redactor.redact(`client_assertion=${assertions[0] ?? ''}`)).toBe('client_assertion=[redacted]');
    expect(redactor.redact('Bearer eyJraWQiOiJhY2Nlc3MtdG9rZW4tbWludGVkLWF0LXJ1bg')).toBe('Bearer [redacted]');
  });

  it('refuses a token that cannot be sent in a header instead of letting the HTTP layer quote it', () => {
    expect(() => createOktaClient({ orgUrl: ORG, appId: APP_ID, auth: { kind: 'token', token: `${TOKEN}\n# note` } })).toThrow(/whitespace or a control character/);
  });
});
