// How the Okta sandbox's routes read a JSON request body, and answer one they cannot use as Okta does: 400 E0000003
// for a body that is not JSON, 400 E0000001 (Api validation failed) for one that does not fit the operation.
import { z } from 'zod';
import { OktaSandboxError } from './errors.js';

/** A profile attribute's value in a request body: a string, number, boolean, null, or an array of the first three. */
export const profileValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);

/**
 * The request body `text` parsed as JSON (an empty body reads as {}) and then with `schema`. Throws
 * OktaSandboxError 400 E0000003 when it is not JSON, 400 E0000001 "Api validation failed: `subject`" with one cause
 * per zod issue (`path: message`, `body` for the body itself) when it does not fit the schema.
 */
export function parseRequestBody<T>(text: string, schema: z.ZodType<T>, subject: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw OktaSandboxError.badJson();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw OktaSandboxError.validation(
      subject,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
