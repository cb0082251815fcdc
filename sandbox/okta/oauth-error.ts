// An OAuth 2.0 error answer (RFC 6749 sections 4.1.2.1 and 5.2; RFC 6750 section 3.1 for bearer tokens).

/**
 * A refusal of the authorization server: `error` is the RFC 6749 code (invalid_request, invalid_client,
 * invalid_grant, unsupported_grant_type, invalid_scope, access_denied, login_required, invalid_token, ...),
 * `description` Okta's human-readable `error_description`, `status` the HTTP status of a direct answer.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}
