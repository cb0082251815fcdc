// A bare HTML page for the sign-in answers (a refusal, a failed or expired sign-in, signed out): no script, no
// inline style, so it passes the console's Content-Security-Policy as the console's own pages do.
import { escapeHtml } from './html.js';

/** A whole HTML document titled `title` (escaped here) around `bodyHtml` (already safe HTML), in the console's stylesheet. */
export function plainPage(title: string, bodyHtml: string): string {
  const heading = escapeHtml(title);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${heading} · dialsync</title><link rel="stylesheet" href="/assets/console.css"></head><body><main><h1>${heading}</h1>${bodyHtml}</main></body></html>\n`;
}
