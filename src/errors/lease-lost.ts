// The one error a process that lost the run lock meets wherever it tries to write: thrown by the journal's fence and
// by the clients' write gates (store/leases.ts, lease/run-lease.ts), and passed through unchanged by every adapter,
// so apply tells "not sent: another process leads" apart from a failed write.

/**
 * The lease is no longer this process's (code `lease_lost`): another process took it over, or it could not be
 * renewed in time. Nothing is written under it any more; what was left undone is the new holder's.
 */
export class LeaseLostError extends Error {
  readonly code = 'lease_lost';
  constructor(message = 'the run lock was lost (another process leads now, or it could not be renewed in time): nothing more is written by this process') {
    super(message);
    this.name = 'LeaseLostError';
  }
}
