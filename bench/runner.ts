// How the benchmark runs dialsync: in a child process (clean CPU and RSS numbers: the default), or in-process
// (the smoke test; CPU and RSS then include the sandboxes).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openIncrementalDaemon, runFullJob, startHookDaemon, type CpuSample, type DialsyncJob, type JobOutcome } from './dialsync-job.js';

export interface Resources {
  wallMs?: number;
  cpu: CpuSample;
  maxRssMb: number;
}

export interface DialsyncRunner {
  readonly isolated: boolean;
  full(job: DialsyncJob): Promise<JobOutcome>;
  /** Anchors the System Log cursor, runs `between` (the changes), then one incremental cycle. */
  incremental(job: DialsyncJob, between: () => Promise<void>): Promise<Resources & { wallMs: number }>;
  /** Starts the hook daemon, runs `during` with its port, stops it. */
  hook(job: DialsyncJob, during: (port: number) => Promise<void>): Promise<Resources>;
}

export const inProcessRunner: DialsyncRunner = {
  isolated: false,
  full: (job) => runFullJob(job),
  async incremental(job, between) {
    const { daemon, store } = await openIncrementalDaemon(job);
    try {
      await daemon.pollOnce();
      await between();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await daemon.pollOnce();
      const wallMs = performance.now() - t0;
      const usage = process.cpuUsage(cpu0);
      return { wallMs, cpu: { userMs: usage.user / 1000, systemMs: usage.system / 1000 }, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    } finally {
      await daemon.stop('benchmark done');
      await store.close();
    }
  },
  async hook(job, during) {
    const { daemon, store, port } = await startHookDaemon(job);
    const cpu0 = process.cpuUsage();
    try {
      await during(port);
    } finally {
      await daemon.stop('benchmark done');
      await store.close();
    }
    const usage = process.cpuUsage(cpu0);
    return { cpu: { userMs: usage.user / 1000, systemMs: usage.system / 1000 }, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  },
};

/** The child's entry point, next to this file once built (build/bench/dialsync-child.js). */
const CHILD_SCRIPT = fileURLToPath(new URL('./dialsync-child.js', import.meta.url));

class ChildSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly messages: AsyncIterator<string>;
  private stderr = '';

  constructor(mode: string, job: DialsyncJob, nodeArgs: readonly string[]) {
    this.child = spawn(process.execPath, [...nodeArgs, CHILD_SCRIPT, mode, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    this.messages = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async expect(event: string): Promise<Record<string, unknown>> {
    for (;;) {
      const next = await this.messages.next();
      if (next.done === true) throw new Error(`dialsync child ended before "${event}": ${this.stderr}`);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(next.value) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (message.event === 'error') throw new Error(`dialsync child failed: ${String(message.message)}`);
      if (message.event === event) return message;
    }
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

/** dialsync in a child process; `nodeArgs` go to its node (e.g. --cpu-prof --cpu-prof-dir=...). */
export function childProcessRunner(nodeArgs: readonly string[] = []): DialsyncRunner {
  return {
    isolated: true,
    async full(job) {
      const session = new ChildSession('full', job, nodeArgs);
      try {
        return (await session.expect('done')).outcome as JobOutcome;
      } finally {
        await session.close();
      }
    },
    async incremental(job, between) {
      const session = new ChildSession('incremental', job, nodeArgs);
      try {
        await session.expect('anchored');
        await between();
        session.send('go');
        return (await session.expect('done')).outcome as Resources & { wallMs: number };
      } finally {
        await session.close();
      }
    },
    async hook(job, during) {
      const session = new ChildSession('hook', job, nodeArgs);
      try {
        const { port } = await session.expect('listening');
        await during(Number(port));
        session.send('stop');
        return (await session.expect('done')).outcome as Resources;
      } finally {
        await session.close();
      }
    },
  };
}
