// The JSON Okta sends for apps, users and app users (field names from the Management API spec and its examples).
import type { OktaAppUserView, OktaProfile, OktaUserRecord } from './directory.js';

/** The default user type every sandbox user has. */
export const OKTA_USER_TYPE_ID = 'otysbx00000000000001';

/** Okta shows these profile keys even when they hold no value. */
const ALWAYS_SHOWN = ['firstName', 'lastName', 'mobilePhone', 'secondEmail', 'login', 'email'] as const;

export function userJson(baseUrl: string, user: OktaUserRecord): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/users/${user.id}`;
  return {
    id: user.id,
    status: user.status,
    created: iso(user.created),
    activated: iso(user.activated),
    statusChanged: iso(user.statusChanged),
    lastLogin: null,
    lastUpdated: iso(user.lastUpdated),
    passwordChanged: iso(user.passwordChanged),
    type: { id: OKTA_USER_TYPE_ID },
    profile: profileJson(user.profile),
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { ...lifecycleLinks(self, user.status), self: { href: self }, type: { href: `${baseUrl}/api/v1/meta/types/user/${OKTA_USER_TYPE_ID}` } },
  };
}

export function appUserJson(baseUrl: string, appId: string, view: OktaAppUserView, expandUser: boolean): Record<string, unknown> {
  const login = view.user.profile.login;
  const json: Record<string, unknown> = {
    id: view.user.id,
    externalId: null,
    created: iso(view.created),
    lastUpdated: iso(view.lastUpdated),
    scope: view.scope,
    // An SSO-only assignment (no provisioning) is ACTIVE, whatever the Okta user's own status.
    status: 'ACTIVE',
    statusChanged: iso(view.created),
    passwordChanged: null,
    syncState: 'DISABLED',
    credentials: { userName: typeof login === 'string' ? login : null },
    profile: { ...view.profile },
    _links: {
      app: { href: `${baseUrl}/api/v1/apps/${appId}` },
      user: { href: `${baseUrl}/api/v1/users/${view.user.id}` },
    },
  };
  if (expandUser) json._embedded = { user: userJson(baseUrl, view.user) };
  return json;
}

export function appJson(baseUrl: string, appId: string, created: Date): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/apps/${appId}`;
  return {
    id: appId,
    name: 'dialpad',
    label: 'Dialpad',
    status: 'ACTIVE',
    lastUpdated: iso(created),
    created: iso(created),
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { dialpad_link: true } },
    features: [],
    signOnMode: 'SAML_2_0',
    credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} },
    settings: { app: {}, notifications: { vpn: { network: { connection: 'DISABLED' } } } },
    _links: {
      self: { href: self },
      users: { href: `${self}/users` },
      groups: { href: `${self}/groups` },
      deactivate: { href: `${self}/lifecycle/deactivate` },
    },
  };
}

function profileJson(profile: OktaProfile): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const key of ALWAYS_SHOWN) json[key] = profile[key] ?? null;
  return Object.assign(json, profile);
}

function lifecycleLinks(self: string, status: OktaUserRecord['status']): Record<string, { href: string; method: string }> {
  const link = (name: string): { href: string; method: string } => ({ href: `${self}/lifecycle/${name}`, method: 'POST' });
  switch (status) {
    case 'SUSPENDED':
      return { unsuspend: link('unsuspend'), deactivate: link('deactivate') };
    case 'DEPROVISIONED':
      return { activate: link('activate') };
    case 'STAGED':
      return { activate: link('activate'), deactivate: link('deactivate') };
    default:
      return { suspend: link('suspend'), deactivate: link('deactivate'), resetPassword: link('reset_password') };
  }
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
