import { pino, type Logger } from 'pino';

export type { Logger };

// Paths pino blanks wherever they appear in a log object; secrets are also never put in messages.
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
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'dialsync' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options, pino.destination(2));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
