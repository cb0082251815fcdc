// The Okta writes an admin makes through the Management API (group membership, app assignment, lifecycle), over
// HTTP: status codes and bodies as the spec has them, the resulting users and groups, and the System Log events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OktaSandbox } from '../../../sandbox/okta/sandbox.js';

let okta: OktaSandbox;

beforeEach(async () => {
  okta = new OktaSandbox({ appId: '0oaDIALPAD0000000001', token: 'test-token' });
  await okta.start();
});

afterEach(async () => {
  await okta.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `SSWS ${okta.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${okta.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The event types the System Log holds for this user, in order, from the given index on. */
function eventsFor(userId: string, from: number): string[] {
  return okta.systemLog
    .all()
    .slice(from)
    .filter((event) => event.target.some((target) => target.id === userId))
    .map((event) => event.eventType);
}

function person(login: string): string {
  return okta.createUser({ login, email: login, firstName: login.split('@')[0] ?? login, lastName: 'Test' });
}

describe('group membership (assignUserToGroup, unassignUserFromGroup)', () => {
  it('PUT adds and DELETE removes a member: 204, the membership changes, group.user_membership events', async () => {
    const user = person('ana@example.com');
    const group = okta.createGroup('Sales');
    const mark = okta.systemLog.all().length;

    expect(await call('PUT', `/api/v1/groups/${group}/users/${user}`)).toEqual({ status: 204, json: undefined });
    expect(okta.groupNamesOf(user)).toEqual(['Sales']);
    // A second PUT keeps one membership and logs nothing more.
    expect((await call('PUT', `/api/v1/groups/${group}/users/${user}`)).status).toBe(204);
    expect(eventsFor(user, mark)).toEqual(['group.user_membership.add']);

    expect((await call('DELETE', `/api/v1/groups/${group}/users/${user}`)).status).toBe(204);
    expect(okta.groupNamesOf(user)).toEqual([]);
    expect(eventsFor(user, mark)).toEqual(['group.user_membership.add', 'group.user_membership.remove']);
    const remove = okta.systemLog.all().at(-1);
    expect(remove?.target.map((target) => target.type)).toEqual(['User', 'UserGroup']);
    expect(remove?.actor.id).toBe(okta.tokenOwnerId);
  });

  it('joining a group assigned to the app puts the user in the app (application.user_membership.add)', async () => {
    const user = person('ben@example.com');
    const group = okta.createGroup('Dialpad users');
    okta.assignGroup(group);
    const mark = okta.systemLog.all().length;
    await call('PUT', `/api/v1/groups/${group}/users/${user}`);
    expect(okta.getAppUser(user)?.scope).toBe('GROUP');
    expect(eventsFor(user, mark)).toEqual(['group.user_membership.add', 'application.user_membership.add']);
  });

  it('answers 404 E0000007 for an unknown group or user', async () => {
    const user = person('cy@example.com');
    const group = okta.createGroup('Sales');
    for (const path of [`/api/v1/groups/00gnope/users/${user}`, `/api/v1/groups/${group}/users/00unope`]) {
      for (const method of ['PUT', 'DELETE']) {
        const reply = await call(method, path);
        expect(reply.status).toBe(404);
        expect(reply.json).toMatchObject({ errorCode: 'E0000007' });
      }
    }
  });
});

describe('app assignment (assignUserToApplication, unassignUserFromApplication, group assignment)', () => {
  it('POST /apps/{appId}/users assigns with an app profile (200 AppUser); DELETE unassigns (204)', async () => {
    const user = person('dee@example.com');
    const mark = okta.systemLog.all().length;
    const assigned = await call('POST', `/api/v1/apps/${okta.appId}/users`, { id: user, scope: 'USER', profile: { department: 'Sales' } });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ id: user, scope: 'USER', profile: { department: 'Sales' } });
    expect(okta.getAppUser(user)).toEqual({ scope: 'USER', profile: { department: 'Sales' } });

    expect(await call('DELETE', `/api/v1/apps/${okta.appId}/users/${user}`)).toEqual({ status: 204, json: undefined });
    expect(okta.getAppUser(user)).toBeUndefined();
    expect(eventsFor(user, mark)).toEqual(['application.user_membership.add', 'application.user_membership.remove']);
    // Not in the app any more: 404.
    expect((await call('DELETE', `/api/v1/apps/${okta.appId}/users/${user}`)).status).toBe(404);
  });

  it('refuses to assign an unknown or deactivated user, and to unassign one in the app only through a group', async () => {
    expect((await call('POST', `/api/v1/apps/${okta.appId}/users`, { id: '00unope' })).status).toBe(404);
    expect((await call('POST', `/api/v1/apps/${okta.appId}/users`, {})).status).toBe(400);
    const gone = person('eve@example.com');
    okta.setStatus(gone, 'DEPROVISIONED');
    expect((await call('POST', `/api/v1/apps/${okta.appId}/users`, { id: gone })).status).toBe(400);

    const member = person('fay@example.com');
    const group = okta.createGroup('Everyone in Dialpad');
    okta.addToGroup(group, member);
    okta.assignGroup(group);
    const refused = await call('DELETE', `/api/v1/apps/${okta.appId}/users/${member}`);
    expect(refused.status).toBe(403);
    expect(okta.getAppUser(member)?.scope).toBe('GROUP');
  });

  it('answers a body that is not JSON with 400 E0000003, and one without the user id with 400 E0000001, as the other routes do', async () => {
    const user = person('hal@example.com');
    const group = okta.createGroup('Sales');
    for (const path of [`/api/v1/apps/${okta.appId}/users`, `/api/v1/apps/${okta.appId}/groups/${group}`]) {
      const res = await fetch(`${okta.url}${path}`, {
        method: path.endsWith('/users') ? 'POST' : 'PUT',
        headers: { Authorization: `SSWS ${okta.token}`, 'Content-Type': 'application/json' },
        body: '{not json',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errorCode: 'E0000003', errorSummary: 'The request body was not well-formed.' });
    }
    const invalid = await call('POST', `/api/v1/apps/${okta.appId}/users`, { scope: 'USER' });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: appUser', errorCauses: [{ errorSummary: expect.stringMatching(/^id: /) as unknown }] });
    expect(okta.getAppUser(user)).toBeUndefined();
    expect(okta.requests.map((r) => r.status)).toEqual([400, 400, 400]);
  });

  it('PUT and DELETE /apps/{appId}/groups/{groupId} assign and unassign a group with its members', async () => {
    const user = person('gil@example.com');
    const group = okta.createGroup('Support');
    okta.addToGroup(group, user);
    const assigned = await call('PUT', `/api/v1/apps/${okta.appId}/groups/${group}`, { profile: { department: 'Support' } });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toMatchObject({ id: group, profile: { department: 'Support' } });
    expect(okta.getAppUser(user)).toEqual({ scope: 'GROUP', profile: { department: 'Support' } });
    expect((await call('DELETE', `/api/v1/apps/${okta.appId}/groups/${group}`)).status).toBe(204);
    expect(okta.getAppUser(user)).toBeUndefined();
    expect((await call('DELETE', `/api/v1/apps/${okta.appId}/groups/${group}`)).status).toBe(404);
  });
});

describe('user lifecycle (activate, reactivate, deactivate, suspend, unsuspend, deleteUser)', () => {
  it('suspend, unsuspend, deactivate, activate: 200, the new status, one user.lifecycle event each', async () => {
    const user = person('hal@example.com');
    okta.assignUser(user);
    const mark = okta.systemLog.all().length;
    const steps: [string, string][] = [
      ['suspend', 'SUSPENDED'],
      ['unsuspend', 'ACTIVE'],
      ['deactivate', 'DEPROVISIONED'],
      ['activate', 'ACTIVE'],
    ];
    for (const [operation, status] of steps) {
      const reply = await call('POST', `/api/v1/users/${user}/lifecycle/${operation}?sendEmail=false`);
      expect(reply.status, operation).toBe(200);
      expect(okta.getUser(user)?.status, operation).toBe(status);
    }
    expect(eventsFor(user, mark)).toEqual([
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
      'user.lifecycle.deactivate',
      'application.user_membership.remove',
      'user.lifecycle.activate',
    ]);
    // Deactivation took the user out of the app; activation does not bring them back.
    expect(okta.getAppUser(user)).toBeUndefined();
  });

  it('activate with sendEmail=false answers a UserActivationToken; reactivate restarts a PROVISIONED user', async () => {
    const staged = okta.createUser({ login: 'ida@example.com', email: 'ida@example.com', firstName: 'Ida', lastName: 'Test' }, { status: 'STAGED' });
    const activated = await call('POST', `/api/v1/users/${staged}/lifecycle/activate?sendEmail=false`);
    expect(activated.json).toMatchObject({ activationToken: expect.any(String), activationUrl: expect.stringContaining('/tokens/') });

    const provisioned = okta.createUser({ login: 'jo@example.com', email: 'jo@example.com', firstName: 'Jo', lastName: 'Test' }, { status: 'PROVISIONED' });
    const mark = okta.systemLog.all().length;
    expect((await call('POST', `/api/v1/users/${provisioned}/lifecycle/reactivate?sendEmail=false`)).status).toBe(200);
    expect(okta.getUser(provisioned)?.status).toBe('PROVISIONED');
    expect(eventsFor(provisioned, mark)).toEqual(['user.lifecycle.reactivate']);
  });

  it('refuses an operation the status does not allow (403 E0000038) and an unknown user (404)', async () => {
    const user = person('kim@example.com');
    for (const operation of ['unsuspend', 'activate', 'reactivate']) {
      const reply = await call('POST', `/api/v1/users/${user}/lifecycle/${operation}`);
      expect(reply.status, operation).toBe(403);
      expect(reply.json).toMatchObject({ errorCode: 'E0000038' });
    }
    expect(okta.getUser(user)?.status).toBe('ACTIVE');
    expect((await call('POST', '/api/v1/users/00unope/lifecycle/suspend')).status).toBe(404);
    expect((await call('POST', `/api/v1/users/${user}/lifecycle/explode`)).status).toBe(404);
  });

  it('DELETE /users/{id} deactivates an active user first, then deletes the deactivated one', async () => {
    const user = person('lee@example.com');
    const mark = okta.systemLog.all().length;
    expect((await call('DELETE', `/api/v1/users/${user}`)).status).toBe(204);
    expect(okta.getUser(user)?.status).toBe('DEPROVISIONED');
    expect((await call('DELETE', `/api/v1/users/${user}`)).status).toBe(204);
    expect(okta.getUser(user)).toBeUndefined();
    expect(eventsFor(user, mark)).toEqual(['user.lifecycle.deactivate', 'user.lifecycle.delete.initiated']);
    expect((await call('GET', `/api/v1/users/${user}`)).status).toBe(404);
  });
});
