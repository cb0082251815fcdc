#!/usr/bin/env node
import { runCli } from './program.js';

// A reader that stops early (`dialsync reconcile | head`) closes the pipe: what is left to print has nowhere to go,
// and the command goes on to its end (a run is never cut short by its output) instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
