// The CLI as users run it: compiled once with the build config into a private folder, then started as a real
// child process (so it can be SIGKILLed). The private folder keeps dist/ untouched while other work goes on.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

export interface BuiltCli {
  /** The package-like folder: dist/, migrations and node_modules (links), package.json. The child's cwd. */
  dir: string;
  main: string;
  remove(): void;
}

export async function buildCli(): Promise<BuiltCli> {
  const dir = mkdtempSync(join(tmpdir(), 'dialsync-built-'));
  const outDir = join(dir, 'dist');
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // tsc still emits when it reports type errors; only a missing entry point is fatal here.
    if (!existsSync(join(outDir, 'cli/main.js'))) throw error;
  }
  // dist/store finds ../../migrations; ESM needs "type": "module"; packages resolve through node_modules.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dialsync-built', private: true, type: 'module' }));
  symlinkSync(join(ROOT, 'migrations'), join(dir, 'migrations'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { dir, main: join(outDir, 'cli/main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Builds the CLI once before the tests of the file (or describe block) it is called in, removes it after them, and
 * returns the accessor to it. The build gets three minutes: tsc over the whole project on a shared machine.
 */
export function useBuiltCli(): () => BuiltCli {
  let cli: BuiltCli | undefined;
  beforeAll(async () => {
    cli = await buildCli();
  }, 180_000);
  afterAll(() => {
    cli?.remove();
  });
  return () => {
    if (!cli) throw new Error('useBuiltCli: the CLI is built only for the tests of the block that called useBuiltCli');
    return cli;
  };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with exactly this environment (nothing inherited but PATH). */
export function runBuiltCli(cli: BuiltCli, args: string[], env: NodeJS.ProcessEnv, onStart?: (child: ChildProcess) => void): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli.main, ...args], {
      cwd: cli.dir,
      env: { PATH: process.env.PATH ?? '', OKTA_CLIENT_ORGURL: '', OKTA_CLIENT_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    onStart?.(child);
  });
}
