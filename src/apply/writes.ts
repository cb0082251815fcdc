// The writes apply makes, each paired with the request its adapter describes for it (dialpad/write-requests.ts,
// okta/profile-write-request.ts, store/links.ts): what the journal records is what is sent, from the same arguments.
// Each is carried out through journaled().
import type { AssignNumberInput, CreateUserInput, DialpadGateway, DialpadNumber, DialpadUser, UpdateUserInput } from '../dialpad/types.js';
import { assignNumberRequest, createUserRequest, deleteUserRequest, moveOfficeRequest, updateUserRequest } from '../dialpad/write-requests.js';
import { profileWriteRequest } from '../okta/profile-write-request.js';
import type { OktaGateway, WriteBackTarget } from '../okta/types.js';
import { transferRequest, type LinkTransfer } from '../store/links.js';
import type { Store } from '../store/store.js';
import type { JournaledWrite } from './journaled.js';

/** Dialpad's writes through `dialpad`, each with its request: create, update, move office, assign number, delete. */
export function dialpadWrites(dialpad: DialpadGateway) {
  return {
    createUser: (input: CreateUserInput): JournaledWrite<DialpadUser> => ({
      target: 'dialpad',
      dialpadUserId: null,
      request: createUserRequest(input),
      send: () => dialpad.createUser(input),
    }),
    updateUser: (id: string, input: UpdateUserInput): JournaledWrite<DialpadUser> => ({
      target: 'dialpad',
      dialpadUserId: id,
      request: updateUserRequest(id, input),
      send: () => dialpad.updateUser(id, input),
    }),
    moveOffice: (id: string, officeId: string): JournaledWrite<DialpadUser> => ({
      target: 'dialpad',
      dialpadUserId: id,
      request: moveOfficeRequest(id, officeId),
      send: () => dialpad.moveOffice(id, officeId),
    }),
    assignNumber: (id: string, input: AssignNumberInput): JournaledWrite<DialpadNumber> => ({
      target: 'dialpad',
      dialpadUserId: id,
      request: assignNumberRequest(id, input),
      send: () => dialpad.assignNumber(id, input),
    }),
    deleteUser: (id: string): JournaledWrite<DialpadUser | null> => ({
      target: 'dialpad',
      dialpadUserId: id,
      request: deleteUserRequest(id),
      send: () => dialpad.deleteUser(id),
    }),
  };
}

/** The write-back: `attribute` of Okta user `oktaUserId` (its profile or its app-user's) set to `value`, null clears. */
export function profileWrite(
  okta: OktaGateway,
  write: { oktaUserId: string; target: WriteBackTarget; attribute: string; value: string | null; dialpadUserId: string | null },
): JournaledWrite<void> {
  const { oktaUserId, target, attribute, value } = write;
  return {
    target: 'okta',
    dialpadUserId: write.dialpadUserId,
    request: profileWriteRequest(oktaUserId, target, attribute, value),
    send: () => okta.writeProfileAttribute(oktaUserId, target, attribute, value),
  };
}

/** A re-hire's relink in dialsync's own store (LinkStore.transfer), journaled like an API write. */
export function linkTransfer(store: Store, move: LinkTransfer, email: string): JournaledWrite<void> {
  return { target: 'store', dialpadUserId: move.dialpadUserId, request: transferRequest(move), send: () => store.links.transfer(move, email) };
}
