// `node build/bench/dialsync-child.js <mode> '<job json>'`: dialsync alone in its own process, so the benchmark
// reads CPU time and peak RSS that are dialsync's and not the sandboxes'. Speaks JSON lines on stdout and reads
// commands ("go", "stop") as lines on stdin.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { openIncrementalDaemon, runFullJob, startHookDaemon, type DialsyncJob } from './dialsync-job.js';

const jobSchema = z.object({
  env: z.record(z.string(), z.string()),
  configFile: z.string().optional(),
  timeScale: z.number().positive(),
});

function emit(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function resources(): { cpu: { userMs: number; systemMs: number }; maxRssMb: number } {
  const usage = process.cpuUsage();
  return { cpu: { userMs: usage.user / 1000, systemMs: usage.system / 1000 }, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const job: DialsyncJob = jobSchema.parse(JSON.parse(process.argv[3] ?? '{}'));
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const waitFor = async (command: string): Promise<void> => {
    for (;;) {
      const next = await lines.next();
      if (next.done === true) throw new Error(`stdin closed before "${command}"`);
      if (next.value.trim() === command) return;
    }
  };

  if (mode === 'full') {
    emit({ event: 'done', outcome: await runFullJob(job) });
  } else if (mode === 'incremental') {
    const { daemon, store } = await openIncrementalDaemon(job);
    await daemon.pollOnce();
    emit({ event: 'anchored' });
    await waitFor('go');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await daemon.pollOnce();
    const wallMs = performance.now() - t0;
    const usage = process.cpuUsage(cpu0);
    await daemon.stop('benchmark done');
    await store.close();
    emit({ event: 'done', outcome: { wallMs, cpu: { userMs: usage.user / 1000, systemMs: usage.system / 1000 }, maxRssMb: resources().maxRssMb } });
  } else if (mode === 'hook') {
    const { daemon, store, port } = await startHookDaemon(job);
    emit({ event: 'listening', port });
    await waitFor('stop');
    await daemon.stop('benchmark done');
    await store.close();
    emit({ event: 'done', outcome: resources() });
  } else {
    throw new Error(`unknown mode ${String(mode)}`);
  }
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
});
