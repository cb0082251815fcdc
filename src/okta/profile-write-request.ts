// Okta's one write, described once: the partial profile update that writes an attribute (the user's Dialpad number)
// back to the user's profile or to the app-user's. OktaSource sends it; the action journal records it, so no Okta
// path is spelled outside this folder.
import { pathSegment } from './client.js';
import type { WriteBackTarget } from './types.js';

/** One write to Okta's Management API, as sent. */
export interface OktaWriteRequest {
  method: 'POST';
  /** Below the org URL, ids encoded; no query string. */
  path: string;
  body: { profile: Record<string, string | null> };
}

/**
 * POST /api/v1/users/{userId} (`updateUser`, a partial update) or POST /api/v1/apps/{appId}/users/{userId}
 * (`updateApplicationUser`): `attribute` set to `value` (null clears it), every other attribute left alone. The
 * user's PUT would null every attribute not sent, so it is never used. Without `appId` the path keeps the
 * placeholder `{appId}`: the journal describes the write before the app is known to it (one app per store).
 */
export function profileWriteRequest(oktaUserId: string, target: WriteBackTarget, attribute: string, value: string | null, appId?: string): OktaWriteRequest {
  const user = pathSegment(oktaUserId);
  const path = target === 'user' ? `/api/v1/users/${user}` : `/api/v1/apps/${appId === undefined ? '{appId}' : pathSegment(appId)}/users/${user}`;
  return { method: 'POST', path, body: { profile: { [attribute]: value } } };
}
