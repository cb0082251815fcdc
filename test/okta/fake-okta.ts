// Okta wire objects for the msw handlers, shaped like GET /api/v1/users/{id} and
// GET /api/v1/apps/{appId}/users?expand=user answer (Okta Management API, listApplicationUsers).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createOktaClient, type OktaSettings } from '../../src/okta/client.js';
import { OktaSource } from '../../src/okta/source.js';

export const ORG = 'https://dialsync-test.okta.com';
export const APP_ID = '0oa1dialpad';
export const TOKEN = '00aSecretApiTokenValue-9f8e7d6c5b4a';

export interface UserJson {
  id: string;
  status: string;
  profile: Record<string, unknown>;
  [key: string]: unknown;
}

export function userJson(id: string, overrides: Partial<UserJson> = {}): UserJson {
  const login = `${id}@acme.example`;
  return {
    id,
    status: 'ACTIVE',
    created: '2024-01-02T03:04:05.000Z',
    lastUpdated: '2024-05-06T07:08:09.000Z',
    type: { id: 'oty1' },
    ...overrides,
    profile: { login, email: login, firstName: `First ${id}`, lastName: `Last ${id}`, ...overrides.profile },
    _links: { self: { href: `${ORG}/api/v1/users/${id}` } },
  };
}

export function appUserJson(
  id: string,
  options: { scope?: 'USER' | 'GROUP'; status?: string; profile?: Record<string, unknown>; user?: UserJson | null } = {},
): Record<string, unknown> {
  const user = options.user === undefined ? userJson(id) : options.user;
  return {
    id,
    scope: options.scope ?? 'USER',
    status: options.status ?? 'ACTIVE',
    syncState: 'DISABLED',
    created: '2024-01-02T03:04:05.000Z',
    lastUpdated: '2024-05-06T07:08:09.000Z',
    statusChanged: '2024-01-02T03:04:05.000Z',
    credentials: { userName: `${id}@acme.example` },
    profile: options.profile ?? { licenseType: 'talk', officeName: 'Paris' },
    ...(user ? { _embedded: { user } } : {}),
    _links: { app: { href: `${ORG}/api/v1/apps/${APP_ID}` }, user: { href: `${ORG}/api/v1/users/${id}` } },
  };
}

export function oktaErrorJson(errorCode: string, errorSummary: string, causes: string[] = []) {
  return { errorCode, errorSummary, errorLink: errorCode, errorId: 'oaeTestErrorId', errorCauses: causes.map((summary) => ({ errorSummary: summary })) };
}

/** An msw server for one test file: unhandled requests fail the call. */
export function useOktaServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export function tokenSettings(overrides: Partial<OktaSettings> = {}): OktaSettings {
  return { orgUrl: ORG, appId: APP_ID, auth: { kind: 'token', token: TOKEN }, maxRetries: 3, requestTimeoutMs: 10_000, ...overrides };
}

export function tokenSource(options: { pageSize?: number; settings?: Partial<OktaSettings> } = {}): OktaSource {
  const settings = tokenSettings(options.settings);
  return new OktaSource({ client: createOktaClient(settings), appId: settings.appId, ...(options.pageSize ? { pageSize: options.pageSize } : {}) });
}
