// STUB until the web part lands (its file replaces this one on merge): the console's per-route preHandlers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import './principal.js';

/** Lets any signed-in principal through (viewer or admin); 401 otherwise. */
export async function requireViewer(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.principal) await reply.code(401).send({ error: 'sign in first' });
}

/** Lets only an admin through (403 for a viewer, 401 for nobody). */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.principal) await reply.code(401).send({ error: 'sign in first' });
  else if (request.principal.role !== 'admin') await reply.code(403).send({ error: 'admins only' });
}
