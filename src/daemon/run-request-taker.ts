// The leader's side of "Run now": a console on any replica writes a run request to the store; the leader looks for
// one each time it renews its lease (no poll loop of its own), takes it (exactly one replica can), starts a full run
// through the daemon's run lock and records the run that carried it out. A request the leader could not carry out
// (it stopped, or lost the lead, before the run started) is handed back for the next leader.
import { describeError } from '../errors/describe-error.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

/** What the taker needs: the store, this replica's name, and how to start a full run. */
export interface RunRequestTakerOptions {
  store: Store;
  /** This replica, as the request records who took it (`daemon@<host>:<pid>/<lease holder id>`). */
  replica: string;
  /**
   * Starts a full run, or joins the one going or waiting (the run lock coalesces them), and resolves with the id of
   * the full run that covered the request once it has ended; null when none did (shutdown, the lead lost first).
   * Never rejects.
   */
  runFull: () => Promise<string | null>;
  logger: Logger;
}

/**
 * Takes and carries out run requests, one at a time: a request written while one is being carried out waits for
 * the next check after that run.
 */
export class RunRequestTaker {
  private carrying: Promise<void> | null = null;

  constructor(private readonly options: RunRequestTakerOptions) {}

  /**
   * Takes the waiting request, if any, and carries it out; resolves once its run has ended (at once when none
   * waits, or while one is being carried out: that promise is returned). Never rejects: a store that fails is
   * logged, and the request waits for the next check.
   */
  check(): Promise<void> {
    this.carrying ??= this.takeAndRun().finally(() => {
      this.carrying = null;
    });
    return this.carrying;
  }

  /** Resolves when the request being carried out (if any) is done with: its run ended, its row updated. */
  idle(): Promise<void> {
    return this.carrying ?? Promise.resolve();
  }

  private async takeAndRun(): Promise<void> {
    const { store, replica, logger } = this.options;
    let request;
    try {
      // A read first: most renewals find nothing, and on SQLite even an UPDATE of no row takes the write lock.
      request = (await store.runRequests.pending()) === null ? null : await store.runRequests.take(replica);
    } catch (error) {
      logger.warn({ err: { message: describeError(error) } }, 'could not read the run requests; the next lease renewal looks again');
      return;
    }
    if (request === null) return;
    const log = logger.child({ runRequest: request.id });
    log.info({ requestedBy: request.requestedBy, requestedAt: request.requestedAt }, `a full run was requested by ${request.requestedBy}: starting it`);
    const runId = await this.options.runFull();
    try {
      if (runId === null) {
        await store.runRequests.release(request.id, replica);
        log.info('the requested full run did not start here; the request waits for the next leader');
      } else {
        await store.runRequests.finish(request.id, runId);
        log.info({ runId }, `the requested full run ${runId} has ended`);
      }
    } catch (error) {
      log.warn({ err: { message: describeError(error) } }, 'could not record what became of the run request');
    }
  }
}
