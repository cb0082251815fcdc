// OktaSource's reads for the incremental sync: the app's group assignments and dialsync's own actor id.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOktaClient } from '../../src/okta/client.js';
import { OktaSource } from '../../src/okta/source.js';
import { OktaSandbox } from '../../sandbox/okta/sandbox.js';

let okta: OktaSandbox;

beforeEach(async () => {
  okta = new OktaSandbox({ tokenOwner: { id: '00uTOKENOWNER', login: 'it-admin@example.com' } });
  await okta.start();
});

afterEach(async () => {
  await okta.stop();
});

function gateway(): OktaSource {
  return new OktaSource({ client: createOktaClient({ orgUrl: okta.url, appId: okta.appId, auth: { kind: 'token', token: okta.token }, maxRetries: 0 }), appId: okta.appId });
}

describe('OktaSource.listAppGroupIds', () => {
  it('lists every group assigned to the app across pages, one request per page', async () => {
    const assigned = Array.from({ length: 205 }, (_, i) => okta.createGroup(`G${i}`));
    okta.createGroup('unassigned');
    for (const group of assigned) okta.assignGroup(group);
    expect(await gateway().listAppGroupIds()).toEqual(assigned);
    expect(okta.requests.map((r) => [r.path, r.status])).toEqual([
      [`/api/v1/apps/${okta.appId}/groups`, 200],
      [`/api/v1/apps/${okta.appId}/groups`, 200],
    ]);
  });

  it('returns no groups when none is assigned', async () => {
    expect(await gateway().listAppGroupIds()).toEqual([]);
  });
});

describe('OktaSource.whoAmI', () => {
  it("is the API token's owner (GET /api/v1/users/me)", async () => {
    expect(await gateway().whoAmI()).toBe('00uTOKENOWNER');
  });

  it("is the service app's client id, without a request", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const client = createOktaClient({
      orgUrl: okta.url,
      appId: okta.appId,
      auth: { kind: 'privateKey', clientId: '0oaSERVICEAPP', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), scopes: ['okta.logs.read'] },
    });
    expect(await new OktaSource({ client, appId: okta.appId }).whoAmI()).toBe('0oaSERVICEAPP');
    expect(okta.requests).toEqual([]);
  });
});
