// What a step that went through wrote to the fields the drift policies watch (docs: README, Drift): the value
// written, with Okta's value, which is the same (dialsync writes only Okta's values). Recorded after the write, so
// the next run tells a later edit in Dialpad's portal from a change in Okta.
import type { AppliedField, AppliedRecord, FieldChange } from '../plan/types.js';
import type { Step } from './action-graph.js';

const WATCHED: ReadonlySet<string> = new Set<AppliedField>(['first_name', 'last_name', 'job_title', 'license']);

/** The records of the update changes that were applied (all, or those Dialpad took when it refused some). */
export function appliedChanges(dialpadUserId: string, changes: readonly FieldChange[]): AppliedRecord[] {
  return changes.flatMap((change) => {
    if (!WATCHED.has(change.field) || Array.isArray(change.to)) return [];
    return [{ dialpadUserId, field: change.field as AppliedField, applied: change.to, okta: change.to }];
  });
}

/**
 * The applied values a step wrote to Dialpad user `dialpadUserId` once it went through: a create's names, office
 * and license, the title PATCH after it, an update's names, title and license, a move's office. Other steps write
 * none of these fields. Pure.
 *
 * A create also records the title it left empty, as written empty for an empty Okta value: the title is its own
 * PATCH after the create, and if that PATCH fails or the process stops before it, the next run must see Okta's
 * title as a change still to write, never as an edit made in Dialpad (which report and adopt would leave as it is).
 */
export function appliedRecordsOf(step: Step, dialpadUserId: string): AppliedRecord[] {
  const record = (field: AppliedField, value: string | null): AppliedRecord => ({ dialpadUserId, field, applied: value, okta: value });
  switch (step.kind) {
    case 'create': {
      const names = [step.firstName === '' ? [] : [record('first_name', step.firstName)], step.lastName === '' ? [] : [record('last_name', step.lastName)]].flat();
      return [...names, record('office', step.officeId), record('license', step.license), record('job_title', null)];
    }
    case 'set_job_title':
      return [record('job_title', step.jobTitle)];
    case 'update':
      return appliedChanges(dialpadUserId, step.changes);
    case 'move_office':
      return [record('office', step.toOfficeId)];
    default:
      return [];
  }
}
