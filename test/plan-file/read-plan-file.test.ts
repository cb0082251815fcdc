// Reading a plan file's path: nothing there or a folder is a usage error in words (no ENOENT, no EISDIR); a file
// larger than the cap is refused without being read; text that is not JSON is not a plan file.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanFileRefusedError } from '../../src/plan-file/plan-file.js';
import { PLAN_FILE_MAX_BYTES, PlanFilePathError, readPlanFileJson } from '../../src/plan-file/read-plan-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dialsync-read-plan-'));

async function outcome(path: string, maxBytes?: number): Promise<{ error: string; reason: string | null; message: string } | { value: unknown }> {
  try {
    return { value: await readPlanFileJson(path, maxBytes) };
  } catch (error) {
    if (error instanceof PlanFilePathError) return { error: 'path', reason: null, message: error.message };
    if (error instanceof PlanFileRefusedError) return { error: 'refused', reason: error.refusal, message: error.message };
    throw error;
  }
}

describe('readPlanFileJson', () => {
  it('reads a JSON file', async () => {
    writeFileSync(join(dir, 'plan.json'), '{"format": "dialsync-plan"}');
    expect(await outcome(join(dir, 'plan.json'))).toEqual({ value: { format: 'dialsync-plan' } });
  });

  it('says nothing is there, in words', async () => {
    const result = await outcome(join(dir, 'missing.json'));
    expect(result).toMatchObject({ error: 'path', message: expect.stringMatching(/^no plan file at .*missing\.json: nothing there/) });
    expect(JSON.stringify(result)).not.toMatch(/ENOENT/);
  });

  it('says a folder is a folder, in words', async () => {
    mkdirSync(join(dir, 'plans'));
    const result = await outcome(join(dir, 'plans'));
    expect(result).toMatchObject({ error: 'path', message: expect.stringMatching(/plans is a folder, not a plan file/) });
    expect(JSON.stringify(result)).not.toMatch(/EISDIR/);
  });

  it('refuses a file larger than the cap without reading it (too_large); the cap is 256 MiB', async () => {
    writeFileSync(join(dir, 'big.json'), `"${'x'.repeat(2000)}"`);
    expect(await outcome(join(dir, 'big.json'), 1024)).toMatchObject({ error: 'refused', reason: 'too_large', message: expect.stringMatching(/more than a plan file can be .*it was not read/) });
    expect(PLAN_FILE_MAX_BYTES).toBe(256 * 1024 * 1024);
  });

  it('refuses text that is not JSON as not a plan file', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'reviewed by eve');
    expect(await outcome(join(dir, 'notes.txt'))).toMatchObject({ error: 'refused', reason: 'not_a_plan_file' });
  });
});
