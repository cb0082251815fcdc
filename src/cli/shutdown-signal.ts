// SIGTERM and SIGINT for the commands that run long: the first one asks for a clean stop; the listeners are
// registered once, so a second signal finds none and ends the process at once (Node's default).
/**
 * Waits for the first SIGTERM or SIGINT. `promise` resolves with the signal's name; `dispose()` removes the
 * listeners (call it when the command ends, signalled or not). Never rejects.
 */
export function waitForSignal(): { promise: Promise<NodeJS.Signals>; dispose: () => void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

/** A command stopped by a signal before its run began (nothing was read or changed); the CLI exits 4 for it. */
export class ShutdownError extends Error {
  readonly code = 'shutdown';
  constructor(signal: NodeJS.Signals, during: string) {
    super(`stopped by ${signal} ${during}: nothing was read or changed`);
    this.name = 'ShutdownError';
  }
}
