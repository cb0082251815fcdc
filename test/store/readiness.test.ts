import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/log/redactor.js';
import { Store } from '../../src/store/store.js';
import { STORE_BACKENDS, useStores } from './backends.js';
import { rawDatabase } from './raw-database.js';

const SECRET = 'dialpad-key-0123456789abcdefghij';
const opened: Store[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function open(filename: string): Promise<Store> {
  const store = await Store.open(filename, () => new Date('2026-11-30T12:00:00.000Z'), new Redactor([SECRET]));
  opened.push(store);
  return store;
}

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'dialsync-readiness-')), 'dialsync.sqlite');
}

describe.each(STORE_BACKENDS)('ReadinessStore on %s', (backend) => {
  const openStore = useStores(backend);

  it("keeps each replica's verdict under its own name, lists the recent ones newest first, and prunes those long gone", async () => {
    let now = new Date('2026-11-30T10:00:00.000Z');
    const store = await openStore(() => now);
    await store.readiness.record('daemon@gone-pod:1', []);
    now = new Date('2026-11-30T12:00:00.000Z');
    await store.readiness.record('daemon@pod-a-with-a-host-name-longer-than-thirty-two-characters:7', []);
    now = new Date('2026-11-30T12:00:05.000Z');
    await store.readiness.record('daemon@pod-b:7', [{ reason: 'okta_unreachable', detail: 'ECONNRESET' }]);
    await store.readiness.record('daemonic-other', []);
    const recent = await store.readiness.named('daemon', new Date('2026-11-30T11:00:00.000Z'));
    expect(recent.map((record) => record.name)).toEqual(['daemon@pod-b:7', 'daemon@pod-a-with-a-host-name-longer-than-thirty-two-characters:7']);
    expect(await store.readiness.prune('daemon', new Date('2026-11-30T11:00:00.000Z'))).toBe(1);
    expect((await store.readiness.named('daemon', new Date(0))).map((record) => record.name)).not.toContain('daemon@gone-pod:1');
    expect(await store.readiness.last('daemonic-other')).not.toBeNull();
  });

  it('keeps the last verdict per name, its details redacted', async () => {
    const store = await openStore(() => new Date('2026-11-30T12:00:00.000Z'), new Redactor([SECRET]));
    expect(await store.readiness.last('daemon')).toBeNull();
    await store.readiness.record('daemon', [{ reason: 'dialpad_credentials', detail: `Dialpad said: Bearer ${SECRET} is revoked` }]);
    expect(await store.readiness.last('daemon')).toEqual({
      name: 'daemon',
      ready: false,
      problems: [{ reason: 'dialpad_credentials', detail: 'Dialpad said: Bearer [redacted] is revoked' }],
      checkedAt: '2026-11-30T12:00:00.000Z',
    });
    await store.readiness.record('daemon', []);
    expect(await store.readiness.last('daemon')).toMatchObject({ ready: true, problems: [] });
  });
});

describe('ReadinessStore on SQLite', () => {
  it('rejects the write when the database no longer takes writes', async () => {
    const store = await open(tempFile());
    await rawDatabase(store).raw('PRAGMA query_only = ON');
    await expect(store.readiness.record('daemon', [])).rejects.toThrow(/SQLITE_READONLY|readonly/i);
  });
});

describe('Store.fileReplaced', () => {
  it('is null while the file at the path is the one opened (and for an in-memory database)', async () => {
    expect((await open(':memory:')).fileReplaced()).toBeNull();
    expect((await open(tempFile())).fileReplaced()).toBeNull();
  });

  it('says so when the file was deleted, though the open handle still takes writes', async () => {
    const file = tempFile();
    const store = await open(file);
    rmSync(file);
    await store.readiness.record('daemon', []);
    expect(store.fileReplaced()).toMatch(/was deleted/);
  });

  it('says so when another file was put at its path (a restore from backup)', async () => {
    const file = tempFile();
    const store = await open(file);
    copyFileSync(file, `${file}.restored`);
    renameSync(`${file}.restored`, file);
    expect(store.fileReplaced()).toMatch(/was replaced/);
  });
});
