// Where the console's JSON API lives: its refusals are JSON, never a redirect or a page.

/** The path requests for the JSON API start with: refusals there are JSON, never a redirect. */
export const API_PREFIX = '/api/';
