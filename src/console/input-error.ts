// A query string or body the console refuses, naming the field: the console's routes answer it 400.
import type { z } from 'zod';

/** A request whose query or body failed its schema; `field` names the first field at fault ('' for the whole). */
export class ConsoleInputError extends Error {
  /** The answer's status (also what fastify's default error handler would read). */
  readonly statusCode = 400;
  /** A stable code for clients. */
  readonly code = 'invalid_input';

  constructor(
    /** The dotted path of the field at fault. */
    readonly field: string,
    message: string,
  ) {
    super(`${field || 'request'}: ${message}`);
    this.name = 'ConsoleInputError';
  }
}

/** `value` parsed by `schema`; throws ConsoleInputError naming the first field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConsoleInputError(issue?.path.join('.') ?? '', issue?.message ?? 'invalid');
}
