import { pino, type Logger } from 'pino';
import { REDACTED, type Redactor } from './redactor.js';

/** pino's Logger: `logger.info({ field }, 'message')`; child loggers with `logger.child({ ... })`. */
export type { Logger };

/**
 * Paths pino blanks wherever they appear in a log object: a first line of defence by field name, behind which
 * the Redactor catches a secret by its value. Secrets are also never put in messages.
 */
export const REDACT_PATHS = [
  'apiKey',
  'token',
  'privateKey',
  'authorization',
  'Authorization',
  '*.apiKey',
  '*.token',
  '*.privateKey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'config.okta.token',
  'config.okta.privateKey',
  'config.dialpad.apiKey',
  // The Okta event hook secret (daemon mode).
  'secret',
  '*.secret',
  'config.daemon.hooks.secret',
  // The admin console's OIDC client secret and session signing secret.
  'clientSecret',
  '*.clientSecret',
  'sessionSecret',
  '*.sessionSecret',
  'config.console.clientSecret',
  'config.console.sessionSecret',
];

/**
 * A pino logger writing one JSON line per event (`level` as a number, `time` in ms since the epoch, `msg`,
 * `service: "dialsync"`) to `destination` (stderr by default). `level` is one of LOG_LEVELS (config/schema.ts).
 * With a redactor, every finished line passes through it before it is written, whatever field or message a secret
 * turned up in (the pretty stream formats lines that were already redacted).
 * @throws Error from pino when `level` is not a level it knows (the config loader checks it first).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, redactor?: Redactor): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    base: { service: 'dialsync' },
    ...(redactor ? { hooks: { streamWrite: (line: string) => redactor.redact(line) } } : {}),
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options, pino.destination(2));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
