// Comments cite only what a clone of the repository holds: every `docs/<file>` they name exists, and every
// `docs/rules.md#anchor` is an anchor docs/rules.md declares (`<a id="...">`), so renaming a section breaks a test,
// not a reader's trail.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// This file names the patterns it looks for, so it is left out.
const files = ['src', 'test', 'sandbox', 'bench', 'demo'].flatMap((dir) => (existsSync(join(root, dir)) ? sourceFiles(join(root, dir)) : [])).filter((file) => !file.endsWith('citations.test.ts'));
const anchors = new Set([...readFileSync(join(root, 'docs/rules.md'), 'utf8').matchAll(/<a id="([^"]+)"><\/a>/g)].map((match) => match[1]));

describe('citations of docs/ in the code and its tests', () => {
  it('finds the anchors of docs/rules.md', () => {
    expect([...anchors]).toEqual(expect.arrayContaining(['scope', 'office', 'license', 'number', 'lifecycle', 'rehire', 'write-back', 'ownership']));
  });

  it('cites only docs that exist, and only anchors docs/rules.md declares', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?<!:\/\/[\w.-]+\/)docs\/([\w./-]*\w)(?:#([\w-]+))?/g)) {
        const [cited, path, anchor] = match;
        const missing = !existsSync(join(root, 'docs', path ?? '')) || (path === 'rules.md' && anchor !== undefined && !anchors.has(anchor));
        if (missing) broken.push(`${relative(root, file)}: ${cited}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('cites no issue of this project and no file outside the repository', () => {
    const outside = /domain-rules|\/work\/|shared\/api\/|\bissue[- ]#?\d+|\(#\d+\)/i;
    const stale = files.filter((file) => outside.test(readFileSync(file, 'utf8')));
    expect(stale.map((file) => relative(root, file))).toEqual([]);
  });

  it('names only files that exist, in the README and docs/ : a moved file breaks a test, not a reader', () => {
    const prose = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)];
    const missing: string[] = [];
    for (const doc of prose) {
      for (const match of readFileSync(join(root, doc), 'utf8').matchAll(/\b(?:src|sandbox|bench|demo|test|scripts|migrations)\/[\w./-]*\.(?:ts|js|md|json|sh)\b/g)) {
        if (!existsSync(join(root, match[0]))) missing.push(`${doc}: ${match[0]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
