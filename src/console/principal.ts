// Who a console request is made by: a signed-in Okta user (a session) or an API token, with the role it has.
import type { ConsoleRole } from '../store/console-sessions.js';

/**
 * The signed-in party of a console or /api request. `name` is the session's email or the token's name; `actor`
 * is how the audit table names it: `okta:<email>` for a session, `token:<name>` for an API token.
 */
export interface Principal {
  kind: 'session' | 'token';
  name: string;
  role: ConsoleRole;
  actor: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's sign-in check before any console route runs; null when nobody is signed in. */
    principal: Principal | null;
    /**
     * The request's server-side session as the CSRF plugin reads it: `_csrf` is the session's CSRF secret (derived
     * from the session id, never stored); an empty object when there is no session.
     */
    session: { _csrf?: string };
  }
}

/** The principal of a console session signed in as `email`. */
export function sessionPrincipal(email: string, role: ConsoleRole): Principal {
  return { kind: 'session', name: email, role, actor: `okta:${email}` };
}

/** The principal of the API token named `name`. */
export function tokenPrincipal(name: string, role: ConsoleRole): Principal {
  return { kind: 'token', name, role, actor: `token:${name}` };
}
