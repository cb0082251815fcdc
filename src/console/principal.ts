// STUB until the web part lands (its file replaces this one on merge): who is asking, per the shared interface.

/** The signed-in person (session) or API token behind a request, with its role and its audit actor. */
export interface Principal {
  kind: 'session' | 'token';
  /** The email (session) or token name. */
  name: string;
  role: 'admin' | 'viewer';
  /** The audit actor: `okta:<email>` or `token:<name>`. */
  actor: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's authentication; null when nobody is signed in. */
    principal: Principal | null;
  }
}
