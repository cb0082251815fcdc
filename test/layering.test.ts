// The layering of src/, checked from the import statements (type-only imports included): no import cycle, and no
// import that runs back up. okta/ reads the desired side, dialpad/ the current side, plan/ decides without I/O,
// apply/ carries out, store/ remembers, reconcile/ runs one reconciliation, daemon/ decides when, cli/ is the
// command line, and wiring/ builds what they run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every .ts file under src/, as a path relative to it ('daemon/daemon.ts'). */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative(SRC, path)] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^;]*?\bfrom\s+'([^']+)'|(?:^|[\s;])import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g;

/** What a file imports: other files of src/ ('store/store.ts') and packages or node built-ins ('node:fs', 'knex'). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec === undefined) continue;
    if (!spec.startsWith('.')) {
      found.add(spec);
      continue;
    }
    const target = resolve(SRC, dirname(file), spec);
    const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.d.ts'), join(target, 'index.ts')];
    const hit = candidates.find((candidate) => existsSync(candidate));
    found.add(relative(SRC, hit ?? target));
  }
  return [...found];
}

const graph = new Map(sourceFiles().map((file) => [file, importsOf(file)]));

/** The cycles of the import graph, each as the files on it (Tarjan's strongly connected components). */
function cycles(): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    indexOf.set(file, index);
    low.set(file, index);
    index += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!indexOf.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, indexOf.get(next) as number));
      }
    }
    if (low.get(file) !== indexOf.get(file)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!indexOf.has(file)) visit(file);
  return found;
}

/** Every import from a file under `from` that `forbidden` matches, as 'file → import'. */
function importsFrom(from: string, forbidden: (target: string) => boolean): string[] {
  return [...graph].flatMap(([file, targets]) => (file.startsWith(`${from}/`) ? targets.filter(forbidden).map((target) => `${file} → ${target}`) : []));
}

/** importsFrom for every folder of src/ but `except`. */
function importsFromAllBut(except: string, forbidden: (target: string) => boolean): string[] {
  const folders = new Set([...graph.keys()].map((file) => file.split('/')[0] as string));
  folders.delete(except);
  return [...folders].flatMap((folder) => importsFrom(folder, forbidden));
}

const under = (...folders: string[]) => (target: string): boolean => folders.some((folder) => target.startsWith(`${folder}/`));

describe('the layering of src/', () => {
  it('reads the imports it checks', () => {
    expect(graph.get('daemon/build-daemon.ts')).toContain('daemon/daemon.ts');
    expect(graph.get('cli/commands/reconcile-command.ts')).toContain('wiring/build.ts');
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('has no import that runs back up: the service does not import the command line', () => {
    expect(importsFromAllBut('cli', under('cli'))).toEqual([]);
  });

  it('keeps the adapters off the store: okta/ and dialpad/ declare what they need of it', () => {
    expect(importsFrom('okta', under('store'))).toEqual([]);
    expect(importsFrom('dialpad', under('store'))).toEqual([]);
  });

  it('keeps the adapters below the planner: okta/ and dialpad/ read and write, plan/ decides', () => {
    expect(importsFrom('okta', under('plan', 'apply', 'reconcile'))).toEqual([]);
    expect(importsFrom('dialpad', under('plan', 'apply', 'reconcile'))).toEqual([]);
  });

  it('keeps plan/ pure: it imports nothing that does I/O', () => {
    const io = (target: string): boolean =>
      under('store', 'reconcile', 'apply', 'daemon', 'cli', 'wiring')(target) ||
      target === 'okta/client.ts' ||
      target === 'okta/source.ts' ||
      target === 'okta/system-log.ts' ||
      target === 'dialpad/client.ts' ||
      /^node:(fs|http|https|net|child_process)(\/|$)/.test(target);
    expect(importsFrom('plan', io)).toEqual([]);
  });

  it('builds in one place: only the command line and the daemon import the composition root', () => {
    expect(importsFrom('reconcile', under('wiring', 'daemon'))).toEqual([]);
    expect(importsFrom('apply', under('wiring', 'daemon', 'reconcile'))).toEqual([]);
    expect(importsFrom('store', under('wiring', 'daemon', 'reconcile', 'apply'))).toEqual([]);
  });

  it('keeps the settings below what they configure: config/ imports no run, daemon, store or command line', () => {
    expect(importsFrom('config', under('daemon', 'cli', 'reconcile', 'apply', 'wiring', 'store'))).toEqual([]);
  });

  it('keeps the database behind the store: nothing outside store/ imports knex', () => {
    expect(importsFromAllBut('store', (target) => target === 'knex')).toEqual([]);
  });

  it('holds only the product: nothing in src/ imports the sandbox, the benchmark, the demo or the tests', () => {
    const outside = [...graph].flatMap(([file, targets]) => targets.filter((target) => /^\.\.\/(sandbox|bench|demo|test)\//.test(target)).map((target) => `${file} → ${target}`));
    expect(outside).toEqual([]);
  });
});
