// Progress of a one-shot reconcile on a terminal: one line on stderr, rewritten in place, erased at the end.
// Only large or slow runs show anything: a phase appears once it has lasted a moment, the apply counter
// once the plan holds enough users. Pipes, files and --json get nothing from here.
import type { ReconcileOptions } from '../reconcile/reconcile.js';

/** The phases reconcile() reports through onPhase: settling, reading, planning, applying. */
export type ReconcilePhase = Parameters<NonNullable<ReconcileOptions['onPhase']>>[0];

/** How the terminal progress line behaves; every field has a default (tests shorten the times). */
export interface ProgressOptions {
  /** The apply counter appears from this many planned users on; default PROGRESS_THRESHOLD. */
  threshold?: number;
  /** A phase is shown once it has lasted this long, in ms (fast runs print nothing); default 1000. */
  phaseDelayMs?: number;
  /** The counter is redrawn at most this often, in ms; default 100. */
  redrawMs?: number;
  /** The clock in ms (default Date.now). */
  now?: () => number;
}

/** Planned users from which the apply counter is shown (a smaller plan applies too fast to need it). */
export const PROGRESS_THRESHOLD = 200;

const PHASE_TEXT: Record<ReconcilePhase, string> = {
  settling: 'settling unfinished writes…',
  reading: 'reading Okta and Dialpad…',
  planning: 'planning…',
  applying: 'applying…',
};

/** The callbacks reconcile() takes, plus finish() to erase the line before the plan is printed. */
export interface Progress {
  onPhase(phase: ReconcilePhase): void;
  onProgress(done: number, total: number): void;
  finish(): void;
}

const SILENT: Progress = { onPhase: () => {}, onProgress: () => {}, finish: () => {} };

/** Progress for this stream: silent unless it is a terminal and the output is not JSON. */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, json: boolean, options: ProgressOptions = {}): Progress {
  if (json || stream.isTTY !== true) return SILENT;
  return new TerminalProgress(stream, options);
}

class TerminalProgress implements Progress {
  private readonly threshold: number;
  private readonly phaseDelayMs: number;
  private readonly redrawMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private shown = false;
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    options: ProgressOptions,
  ) {
    this.threshold = options.threshold ?? PROGRESS_THRESHOLD;
    this.phaseDelayMs = options.phaseDelayMs ?? 1000;
    this.redrawMs = options.redrawMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  onPhase(phase: ReconcilePhase): void {
    this.cancelTimer();
    const text = PHASE_TEXT[phase];
    if (this.shown) {
      this.draw(text);
      return;
    }
    // Applying is shown by its counter, and only for large plans.
    if (phase === 'applying') return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw(text);
    }, this.phaseDelayMs);
    // A pending phase line must never keep the process alive.
    this.timer.unref();
  }

  onProgress(done: number, total: number): void {
    if (total < this.threshold) return;
    this.cancelTimer();
    const at = this.now();
    if (done < total && at - this.lastDraw < this.redrawMs) return;
    this.lastDraw = at;
    this.draw(`applying ${done}/${total} users (${Math.floor((done / total) * 100)}%)`);
  }

  finish(): void {
    this.cancelTimer();
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  private draw(text: string): void {
    this.stream.write(`\r\x1b[2Kdialsync: ${text}`);
    this.shown = true;
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
