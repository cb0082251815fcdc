#!/usr/bin/env node
import { EXIT } from './exit-codes.js';
import { runCli } from './program.js';

// A reader that stops early (`dialsync reconcile | head`) closes the pipe: what is left to print has nowhere to go,
// and the command goes on to its end (a run is never cut short by its output) instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** How long a clean stop may take after the first SIGTERM or SIGINT before the process ends anyway (ms). */
const STOP_DEADLINE_MS = 20_000;

// The command handles the first SIGTERM or SIGINT (a clean stop: the write in flight finishes and is journaled).
// Here, the backstops: a second signal ends the process at once, and a clean stop held up past the deadline by a
// database or an API that stopped answering ends it too; the next run settles what this one left pending.
let signals = 0;
for (const name of ['SIGTERM', 'SIGINT'] as const) {
  process.on(name, () => {
    signals += 1;
    if (signals > 1) process.exit(128 + (name === 'SIGINT' ? 2 : 15));
    setTimeout(() => {
      process.stderr.write(`dialsync: still not stopped ${STOP_DEADLINE_MS / 1000} s after ${name} (a database or an API not answering): exiting now; the next run settles what this one left\n`);
      process.exit(EXIT.runFailed);
    }, STOP_DEADLINE_MS).unref();
  });
}

process.exitCode = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
// The command is done and its store closed. A connection to a database that stopped answering may still hold the
// event loop: the process ends anyway, with the command's exit code, once all its output is written (a reader
// that is slow to take it, `| less`, keeps it waiting as long as it needs).
setInterval(() => {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}, 2_000).unref();
