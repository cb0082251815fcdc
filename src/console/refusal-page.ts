// What a browser sees when a form it posted is refused: a page in the console's style saying what happened and
// what to do, rather than the JSON or bare text an API client gets. /api keeps its JSON answers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from './api-prefix.js';
import { escapeHtml } from './html.js';
import { plainPage } from './plain-page.js';
import { returnToFromReferer } from './return-to.js';

/** Whether `request` is a browser's (its Accept names text/html) and not to the JSON API. */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !request.url.startsWith(API_PREFIX);
}

/** Answers 403 with "This form has expired": a CSRF token missing, wrong, or of a session that has ended. */
export function sendFormExpired(reply: FastifyReply): FastifyReply {
  return sendRefusal(reply, 403, 'This form has expired', '<p>This form has expired — reload the page and try again.</p>');
}

/**
 * Answers 401 with "Your session ended" and a link to sign in again that returns to the page the form was on
 * (its Referer, when a page of the console at `publicUrl`; else the overview).
 */
export function sendSessionEnded(request: FastifyRequest, reply: FastifyReply, publicUrl: string | undefined): FastifyReply {
  const returnTo = publicUrl === undefined ? '/' : returnToFromReferer(request.headers.referer, publicUrl);
  const href = `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
  return sendRefusal(reply, 401, 'Your session ended', `<p>Your session ended — <a href="${escapeHtml(href)}">sign in again</a>, then send the form once more.</p>`);
}

/** Answers 403 with "Not allowed" and why (`message`, escaped here), with a link back to the overview. */
export function sendNotAllowed(reply: FastifyReply, message: string): FastifyReply {
  return sendRefusal(reply, 403, 'Not allowed', `<p>${escapeHtml(message)}.</p><p><a href="/">Back to the overview</a></p>`);
}

function sendRefusal(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(plainPage(title, body));
}
