// The raw-patch knobs the bad-input catalogue uses: OktaSandbox.corruptAppUser and DialpadSandbox.corruptUser.
import { afterEach, describe, expect, it } from 'vitest';
import { DialpadSandbox } from '../../../sandbox/dialpad/sandbox.js';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';
import { applyRawPatch } from '../../../sandbox/http/raw-patch.js';

describe('applyRawPatch', () => {
  it('merges objects, removes keys patched with undefined, replaces everything else', () => {
    const json = { id: 1, profile: { login: 'a', email: 'b' }, list: [1, 2], keep: true };
    expect(applyRawPatch(json, { id: undefined, profile: { login: undefined, extra: null }, list: null, foo: 'bar' })).toEqual({
      profile: { email: 'b', extra: null },
      list: null,
      keep: true,
      foo: 'bar',
    });
    // The original is left as it was.
    expect(json).toEqual({ id: 1, profile: { login: 'a', email: 'b' }, list: [1, 2], keep: true });
  });
});

describe('sandbox corruption knobs', () => {
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it('OktaSandbox.corruptAppUser changes what listings and reads return, until reset', async () => {
    const okta = new OktaSandbox();
    await okta.start();
    started.push(okta);
    const id = okta.createUser({ login: 'ann@acme.com', email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee' });
    okta.assignUser(id, { licenseType: 'talk' });
    okta.corruptAppUser(id, { profile: null, _embedded: { user: { status: 'ZOMBIE', profile: undefined } } });
    const get = async (path: string): Promise<unknown> =>
      (await fetch(`${okta.url}${path}`, { headers: { Authorization: `SSWS ${okta.token}` } })).json();

    const [listed] = (await get(`/api/v1/apps/${okta.appId}/users?expand=user`)) as Record<string, unknown>[];
    expect(listed).toMatchObject({ id, profile: null, _embedded: { user: { id, status: 'ZOMBIE' } } });
    expect((listed?._embedded as { user: object }).user).not.toHaveProperty('profile');
    expect(await get(`/api/v1/apps/${okta.appId}/users/${id}?expand=user`)).toMatchObject({ profile: null });

    okta.corruptAppUser(id, null);
    expect(await get(`/api/v1/apps/${okta.appId}/users/${id}`)).toMatchObject({ profile: { licenseType: 'talk' } });
  });

  it('DialpadSandbox.corruptUser changes every UserProto of that user, not its real state', async () => {
    const dialpad = new DialpadSandbox();
    await dialpad.start();
    started.push(dialpad);
    const office = dialpad.addOffice({ name: 'HQ', country: 'us', isPrimary: true, mainLine: '+12125550100' });
    const id = dialpad.addUser({ email: 'ann@acme.com', officeId: office, firstName: 'Ann' });
    dialpad.corruptUser(id, { id: undefined, emails: null, foo: 'bar' });
    const get = async (path: string): Promise<Record<string, unknown>> =>
      (await (await fetch(`${dialpad.url}${path}`, { headers: { Authorization: `Bearer ${dialpad.apiKey}` } })).json()) as Record<string, unknown>;

    const list = (await get('/api/v2/users?state=all')).items as Record<string, unknown>[];
    expect(list[0]).toMatchObject({ emails: null, foo: 'bar', first_name: 'Ann' });
    expect(list[0]).not.toHaveProperty('id');
    expect(await get(`/api/v2/users/${id}`)).toMatchObject({ emails: null });
    expect(dialpad.user(id)?.emails).toEqual(['ann@acme.com']);

    dialpad.corruptUser(id, null);
    expect(await get(`/api/v2/users/${id}`)).toMatchObject({ emails: ['ann@acme.com'] });
  });
});
