// A `dialsync daemon` replica as a real child process of the built CLI (test/e2e/built-cli.ts), so tests can
// SIGKILL, SIGSTOP and SIGCONT it: its port (read from its log), its /metrics and /readyz, its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { BuiltCli } from './built-cli.js';

/** How a replica ended. */
export interface ReplicaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running daemon replica. */
export class ReplicaProcess {
  private output = '';
  readonly exited: Promise<ReplicaExit>;
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** The replica's HTTP port, once it logged that it listens. */
  port = 0;

  /**
   * Starts `dialsync daemon --config <file>` with exactly `env` (plus PATH), the config written from `config` into
   * `dir`; resolves once it listens. Throws when it exits first or does not listen within 30 s.
   */
  static async start(cli: BuiltCli, name: string, dir: string, env: NodeJS.ProcessEnv, config: Record<string, unknown>): Promise<ReplicaProcess> {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, stringify(config));
    const child = spawn(process.execPath, [cli.main, 'daemon', '--config', file], {
      cwd: cli.dir,
      env: { PATH: process.env.PATH ?? '', OKTA_CLIENT_ORGURL: '', OKTA_CLIENT_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const replica = new ReplicaProcess(name, child);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const listening = /"port":(\d+)[^\n]*dialsync daemon listening/.exec(replica.output);
      if (listening?.[1]) {
        replica.port = Number(listening[1]);
        return replica;
      }
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before listening:\n${replica.output}`);
      if (Date.now() > deadline) throw new Error(`${name} did not listen within 30 s:\n${replica.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Everything it wrote on stdout and stderr so far (JSON log lines). */
  get logs(): string {
    return this.output;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** dialsync_leader from /metrics: 1 leading, 0 following; null when it does not answer within 2 s. */
  async leader(): Promise<number | null> {
    try {
      const response = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
      const match = /^dialsync_leader (\d)/m.exec(await response.text());
      return match?.[1] === undefined ? null : Number(match[1]);
    } catch {
      return null;
    }
  }

  /** /readyz's status code, or null when it does not answer within 2 s. */
  async readyz(): Promise<number | null> {
    try {
      return (await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })).status;
    } catch {
      return null;
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, and SIGKILL if it has not exited within 15 s (a stopped process is continued first). */
  async stop(): Promise<ReplicaExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }
}
