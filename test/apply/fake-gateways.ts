// In-memory Dialpad and Okta gateways for apply tests: just enough state for the writes apply sends, with a
// hook to refuse or hold any call. Each test states only the failures it cares about.
import { afterEach } from 'vitest';
import { DialpadError } from '../../src/dialpad/errors.js';
import type { DialpadGateway, DialpadUser, UpdateUserInput } from '../../src/dialpad/types.js';
import type { OktaGateway } from '../../src/okta/types.js';
import { Store } from '../../src/store/store.js';

/** Opens in-memory stores with run `run-1` started (the journal refers to it), each closed after its test. */
export function useRunStore(): () => Promise<Store> {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return async () => {
    const store = await Store.open(':memory:');
    opened.push(store);
    await store.runs.start('run-1', 'reconcile', true);
    return store;
  };
}

type Method = 'createUser' | 'updateUser' | 'moveOffice' | 'assignNumber' | 'deleteUser' | 'getUser';

/** Called before each write: return an error to refuse the call, a promise to hold it until it settles. */
export type Interceptor = (method: Method, id: string | null, input: unknown) => Error | Promise<void> | undefined;

export class FakeDialpad {
  readonly users = new Map<string, DialpadUser>();
  readonly calls: string[] = [];
  intercept: Interceptor = () => undefined;
  private nextId = 6200000000000000001n;
  private nextNumber = 181;

  addUser(overrides: Partial<DialpadUser> = {}): DialpadUser {
    const id = String(this.nextId++);
    const user: DialpadUser = {
      id,
      emails: [`${id}@example.com`],
      firstName: 'Ada',
      lastName: 'Lovelace',
      jobTitle: null,
      officeId: '5001',
      license: 'talk',
      state: 'active',
      phoneNumbers: [],
      country: 'us',
      language: 'en',
      ...overrides,
    };
    this.users.set(id, user);
    return user;
  }

  gateway(): DialpadGateway {
    const notUsed = (name: string) => () => Promise.reject(new Error(`${name} is not expected in apply`));
    return {
      checkAccess: notUsed('checkAccess'),
      getCompany: notUsed('getCompany'),
      listUsers: notUsed('listUsers'),
      listUsersByEmail: notUsed('listUsersByEmail'),
      getUserListing: notUsed('getUserListing'),
      listOffices: notUsed('listOffices'),
      listAvailableNumbers: notUsed('listAvailableNumbers'),
      getAvailableLicenses: notUsed('getAvailableLicenses'),
      findUsersByEmail: (email) => Promise.resolve([...this.users.values()].filter((user) => user.emails.includes(email))),
      getUser: (id) => this.call('getUser', id, null, () => this.users.get(id) ?? null),
      createUser: (input) =>
        this.call('createUser', null, input, () =>
          this.addUser({ emails: [input.email], firstName: input.firstName, lastName: input.lastName, officeId: input.officeId, phoneNumbers: input.autoAssign ? [this.number()] : [] }),
        ),
      updateUser: (id, input) => this.call('updateUser', id, input, () => this.patch(id, input)),
      moveOffice: (id, officeId) => this.call('moveOffice', id, officeId, () => this.patch(id, { officeId })),
      assignNumber: (id, input) =>
        this.call('assignNumber', id, input, () => {
          const number = input.number ?? this.number();
          this.patch(id, { phoneNumbers: [number] });
          return { number, status: 'assigned', officeId: '5001', targetId: id, targetType: 'user', areaCode: null };
        }),
      deleteUser: (id) => this.call('deleteUser', id, null, () => this.patch(id, { state: 'deleted' })),
    };
  }

  private number(): string {
    return `+1212555${String(this.nextNumber++).padStart(4, '0')}`;
  }

  private patch(id: string, input: UpdateUserInput | Partial<DialpadUser>): DialpadUser {
    const user = this.users.get(id);
    if (!user) throw new DialpadError({ code: 'not_found', status: 404, method: 'PATCH', path: `/api/v2/users/${id}` });
    const { keepPaidNumbers: _keep, ...fields } = input as UpdateUserInput & Partial<DialpadUser>;
    const updated = { ...user, ...fields };
    this.users.set(id, updated);
    return updated;
  }

  private async call<T>(method: Method, id: string | null, input: unknown, run: () => T): Promise<T> {
    const verdict = this.intercept(method, id, input);
    if (verdict instanceof Error) {
      this.calls.push(`${method} refused`);
      throw verdict;
    }
    if (verdict) await verdict;
    this.calls.push(method);
    return run();
  }
}

/** A Dialpad 400, as the client reports one. */
export function refused(message: string, method = 'PATCH', path = '/api/v2/users/1'): DialpadError {
  return new DialpadError({ code: 'bad_request', status: 400, method, path, apiMessage: message });
}

/** Called before each Okta profile write with the user's id: return an error to refuse it, a promise to hold it. */
export type OktaInterceptor = (oktaUserId: string) => Error | Promise<void> | undefined;

export class FakeOkta {
  readonly written = new Map<string, string | null>();
  intercept: OktaInterceptor = () => undefined;

  gateway(): OktaGateway {
    return new Proxy({} as OktaGateway, {
      get: (_target, name) => {
        if (name === 'writeProfileAttribute') {
          return async (oktaUserId: string, _target: unknown, _attribute: string, value: string | null) => {
            const verdict = this.intercept(oktaUserId);
            if (verdict instanceof Error) throw verdict;
            if (verdict) await verdict;
            this.written.set(oktaUserId, value);
          };
        }
        return () => Promise.reject(new Error(`${String(name)} is not expected in apply`));
      },
    });
  }
}
