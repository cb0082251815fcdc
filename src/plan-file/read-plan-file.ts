// `dialsync apply plan.json` reading its file: looked at before it is read, so a missing path or a folder is a
// usage error in words (not ENOENT or EISDIR) and a file too large to be a plan is refused without reading it.
//
// Example: `dialsync apply plans/` → "plans/ is a folder, not a plan file" (exit 2); a 300 MiB file → refused as
// too large (exit 10); `{"hello": 1}` → parsed, then refused by checkPlanFile as not a plan file.
import { readFile, stat } from 'node:fs/promises';
import { PlanFileRefusedError } from './plan-file.js';

/** Largest plan file read, in bytes (256 MiB): about a million planned users; anything larger is not one of ours. */
export const PLAN_FILE_MAX_BYTES = 256 * 1024 * 1024;

/** The plan file's path names nothing readable: a usage error (the CLI exits 2), nothing was contacted. */
export class PlanFilePathError extends Error {
  readonly code = 'plan_file_path';
  constructor(message: string) {
    super(message);
    this.name = 'PlanFilePathError';
  }
}

/**
 * The parsed JSON of the plan file at `path`, not yet checked (checkPlanFile does that). `maxBytes` defaults to
 * PLAN_FILE_MAX_BYTES.
 * @throws PlanFilePathError when nothing is there, it is a folder or not a regular file, or it cannot be read
 * (permissions); PlanFileRefusedError `too_large` when it is larger than `maxBytes` (not read), `not_a_plan_file`
 * when it is not JSON.
 */
export async function readPlanFileJson(path: string, maxBytes: number = PLAN_FILE_MAX_BYTES): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new PlanFilePathError(`${path} is a folder, not a plan file: name the file \`reconcile --out\` wrote`);
    if (!info.isFile()) throw new PlanFilePathError(`${path} is not a regular file: name the file \`reconcile --out\` wrote`);
    size = info.size;
  } catch (error) {
    throw error instanceof PlanFilePathError ? error : pathError(path, error);
  }
  if (size > maxBytes) {
    throw new PlanFileRefusedError('too_large', `${path} is ${mebibytes(size)} MiB, more than a plan file can be (${mebibytes(maxBytes)} MiB): it was not read`);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw pathError(path, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PlanFileRefusedError('not_a_plan_file', `${path} is not JSON (${(error as Error).message}); make a plan file with \`dialsync reconcile --out plan.json\``);
  }
}

function pathError(path: string, error: unknown): PlanFilePathError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new PlanFilePathError(`no plan file at ${path}: nothing there (make one with \`dialsync reconcile --out ${path}\`)`);
  if (code === 'EACCES' || code === 'EPERM') return new PlanFilePathError(`cannot read the plan file ${path}: permission denied`);
  return new PlanFilePathError(`cannot read the plan file ${path}: ${(error as Error).message}`);
}

function mebibytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1);
}
