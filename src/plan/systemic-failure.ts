// Systemic failures: a cause the users of a run share (the write-back attribute missing from the Okta profile, a
// credential or permission refused, an outage, the rate limit used up) is nobody's own fault. It never counts toward
// any user's quarantine; the run reports it once, with what to do. Pure: the run's failed actions come in (each with
// the typed cause the client gave its error), the verdict goes out.
//
// A cause is a failure's code (`okta.E0000001`, `dialpad.unavailable`, ...); for data errors (a 4xx other than
// 401/403/429) also the action and the API's own explanation, so that two users refused for their own different
// values are two causes. A cause is systemic in a run when
//   1. it is a credential or permission refusal (401/403): at any count, as a key is the same for every user;
//   2. it is shared: at least 3 users failed with it and at least 50 % of the run's failed users did; for an outage
//      or a rate limit also when every user the run acted on failed with it (at least 2 of them), so a small org is
//      not held to 3. A data refusal (a 400: Dialpad's message is often generic, "Invalid job_title") is usually
//      each user's own data, so it needs the 3 users and the 50 % whatever the org's size;
//   3. it is known, in a targeted run: an earlier run found it systemic and no run has seen it clear yet (a targeted
//      run of one user cannot reach rule 2). A full run decides by rules 1 and 2 alone: a known cause it sees fail
//      for too few users stops being known (`lapsed`), so it excuses nobody for ever.
// An error without a typed code (`dialsync.error`) is never systemic: nothing but its text could tell two apart.
// A failure that is not systemic counts toward its user's quarantine, except an outage or a rate limit (5xx,
// timeout, refused connection, 429 after the retries) that struck only a few users: that is a passing fault, not
// the user's data, so it is neither counted nor reported as systemic (the user is retried by the next run).
//
// Worked example: 14 users planned; 11 write-backs fail with Okta's 400 E0000001 "Property name 'dialpadPhone' is not
// defined in profile schema" and 1 create with Dialpad's 400 "invalid email". 12 users failed; the E0000001 cause is
// in 11 ≥ 3 of them and 11 / 12 = 92 % ≥ 50 %: systemic, reported once, counted for nobody. The Dialpad 400 is in
// 1 user: it counts toward that user's quarantine. Had only 2 of 40 users failed with the E0000001 cause, each of the
// two would count it (2 < 3), as would 2 users whose job titles Dialpad refused with the same message in a 2-user run.
// A single Dialpad 503 in that run would be passing (neither counted nor systemic).
import type { ActionKind, Rules } from './types.js';

/** What failed: one of the plan's actions, or the job-title PATCH apply sends right after a create. */
export type FailedKind = ActionKind | 'set_job_title';

/** The side a failure came from: the two APIs, dialsync's own database, or dialsync itself. */
export type FailureService = 'okta' | 'dialpad' | 'store' | 'dialsync';

/**
 * How a failure relates to the user: `auth` (401/403: credentials or permissions), `outage` (5xx, timeout, refused
 * or dropped connection, the database failing), `rate_limit` (429 after the retries), `data` (anything else: the
 * API refused this request, perhaps for this user's data).
 */
export type FailureClass = 'auth' | 'outage' | 'rate_limit' | 'data';

/** A failed action's cause, read from the typed error the client threw (never from its message). */
export interface FailureCause {
  /**
   * Stable code, recorded with each user's failure and accepted by `dialsync release --cause`: `okta.unauthorized`,
   * `okta.forbidden`, `okta.rate_limited`, `okta.unavailable`, `okta.<Okta error code>` (e.g. `okta.E0000001`) or
   * `okta.<client code>`; `dialpad.unauthorized`, `dialpad.forbidden`, `dialpad.rate_limited`, `dialpad.unavailable`,
   * `dialpad.<client code>` (e.g. `dialpad.bad_request`); `store.failed`; `dialsync.error`.
   */
  code: string;
  service: FailureService;
  class: FailureClass;
  /** HTTP status, or null when none arrived. */
  status: number | null;
  /** The API's own explanation for a data error (Okta's errorCauses, Dialpad's message); null otherwise. */
  detail: string | null;
}

/** One failed action of a run. */
export interface FailedAction {
  /** The key failures are recorded under (plan/user-key.ts). */
  userKey: string;
  email: string;
  oktaUserId: string | null;
  kind: FailedKind;
  cause: FailureCause;
  /** The one-line description of the error (describeError). */
  message: string;
}

/** A cause an earlier run found systemic and no run has seen clear yet (kept in the store). */
export interface KnownSystemicCause {
  key: string;
  code: string;
  class: FailureClass;
  service: FailureService;
  /** The action a data cause concerns (null for the other classes: they concern every action on the service). */
  kind: FailedKind | null;
}

/** A systemic failure, reported once per run. */
export interface SystemicFailure {
  /** Identifies the cause across runs: the code, plus for data errors the action and the API's explanation. */
  key: string;
  code: string;
  class: FailureClass;
  service: FailureService;
  /** The action it concerns for a data cause, else null. */
  kind: FailedKind | null;
  status: number | null;
  detail: string | null;
  /** Users of this run that failed with it. */
  users: number;
  /** Which rule made it systemic. */
  rule: 'auth' | 'shared' | 'known';
  /** One line: what failed, for how many users. */
  summary: string;
  /** What to do about it. */
  hint: string;
}

/** A run's failures sorted: systemic causes, the failures that count toward a user's quarantine, passing faults. */
export interface FailureVerdict {
  systemic: SystemicFailure[];
  /** userKey → the user's first failure that counts toward its quarantine. */
  counted: Map<string, FailedAction>;
  /** Users that failed only for systemic causes or passing faults: their failure counts stay as they were. */
  excused: Set<string>;
  /** Keys of known causes this full run saw fail for too few users to be systemic: no longer known (rule 3). */
  lapsed: string[];
}

/** What classifyFailures needs besides the failures: the run's size and kind, and the causes already known. */
export interface ClassifyOptions {
  /** Users the run acted on (planned users that were applied), for rule 2's "every user". */
  attemptedUsers: number;
  known: readonly KnownSystemicCause[];
  /** The run read only some users (--user, incremental cycle, event hook): rule 3 applies to it alone. */
  targeted: boolean;
  writeBack: Pick<Rules['writeBack'], 'attribute' | 'target'>;
}

/** At least this many users share a cause before rule 2 calls it systemic... */
export const SYSTEMIC_MIN_USERS = 3;
/** ...and at least this share (percent) of the run's failed users. */
export const SYSTEMIC_MIN_PERCENT = 50;

/** The key a cause is grouped and remembered under. */
export function causeKey(cause: FailureCause, kind: FailedKind): string {
  return cause.class === 'data' ? `${cause.code}|${kind}|${cause.detail ?? ''}` : cause.code;
}

/** The system an action writes to: write-backs go to Okta, adoptions only to dialsync's store, the rest to Dialpad. */
export function serviceOfAction(kind: FailedKind): FailureService {
  return kind === 'write_back' ? 'okta' : kind === 'adopt' ? 'store' : 'dialpad';
}

/** Sorts a run's failed actions by the rules above (docs/rules.md#safety). Pure; does not throw. */
export function classifyFailures(failed: readonly FailedAction[], options: ClassifyOptions): FailureVerdict {
  const failedUsers = new Set(failed.map((f) => f.userKey));
  const groups = new Map<string, { first: FailedAction; users: Set<string> }>();
  for (const failure of failed) {
    const key = causeKey(failure.cause, failure.kind);
    const group = groups.get(key) ?? { first: failure, users: new Set<string>() };
    group.users.add(failure.userKey);
    groups.set(key, group);
  }
  const known = new Set(options.known.map((cause) => cause.key));
  const systemic: SystemicFailure[] = [];
  const lapsed: string[] = [];
  for (const [key, { first, users }] of groups) {
    const rule = systemicRule(first.cause, users.size, failedUsers.size, options.attemptedUsers, known.has(key) && options.targeted);
    if (rule === null && known.has(key)) lapsed.push(key);
    if (rule === null) continue;
    systemic.push(describeSystemic(key, first, users.size, rule, options.writeBack));
  }
  const systemicKeys = new Set(systemic.map((s) => s.key));
  const counted = new Map<string, FailedAction>();
  for (const failure of failed) {
    if (counted.has(failure.userKey)) continue;
    if (systemicKeys.has(causeKey(failure.cause, failure.kind))) continue;
    if (failure.cause.class === 'outage' || failure.cause.class === 'rate_limit') continue;
    counted.set(failure.userKey, failure);
  }
  const excused = new Set([...failedUsers].filter((userKey) => !counted.has(userKey)));
  systemic.sort((a, b) => b.users - a.users || (a.key < b.key ? -1 : 1));
  return { systemic, counted, excused, lapsed };
}

/** Rules 1 to 3; `known` is true only for a known cause in a targeted run. */
function systemicRule(cause: FailureCause, users: number, failedUsers: number, attemptedUsers: number, known: boolean): SystemicFailure['rule'] | null {
  if (cause.class === 'auth') return 'auth';
  if (cause.service === 'dialsync') return null;
  const shared = users >= SYSTEMIC_MIN_USERS && users * 100 >= SYSTEMIC_MIN_PERCENT * failedUsers;
  // A small org's outage is every user's; two users' refused data is more likely each one's own.
  const everyone = cause.class !== 'data' && users >= 2 && users >= attemptedUsers;
  if (shared || everyone) return 'shared';
  return known ? 'known' : null;
}

/**
 * The known causes this run saw clear: not seen failing, while an action they concern went through (`done`). A data
 * cause concerns its own action; the others every action on their service. Users quarantined with a cleared cause's
 * code are released (the store does that). A lapsed cause was seen failing: it is forgotten, not cleared.
 */
export function clearedCauses(
  known: readonly KnownSystemicCause[],
  outcomes: readonly { kind: FailedKind; outcome: string }[],
  verdict: Pick<FailureVerdict, 'systemic' | 'lapsed'>,
): KnownSystemicCause[] {
  const stillFailing = new Set([...verdict.systemic.map((s) => s.key), ...verdict.lapsed]);
  return known.filter((cause) => {
    if (stillFailing.has(cause.key)) return false;
    return outcomes.some(
      (result) => result.outcome === 'done' && (cause.kind === null ? serviceOfAction(result.kind) === cause.service : result.kind === cause.kind),
    );
  });
}

const SERVICE_NAMES: Record<FailureService, string> = { okta: 'Okta', dialpad: 'Dialpad', store: "dialsync's database", dialsync: 'dialsync' };

function describeSystemic(
  key: string,
  first: FailedAction,
  users: number,
  rule: SystemicFailure['rule'],
  writeBack: ClassifyOptions['writeBack'],
): SystemicFailure {
  const { cause, kind } = first;
  const who = `${users} user${users === 1 ? '' : 's'}`;
  const answer = [cause.status === null ? null : `HTTP ${cause.status}`, cause.detail].filter((part) => part !== null).join(': ');
  const said = answer === '' ? '' : ` (${answer})`;
  const summary = `${SERVICE_NAMES[cause.service]} ${cause.class === 'data' ? `refused ${kind}` : CLASS_WORDS[cause.class]} for ${who} [${cause.code}]${said}`;
  return {
    key,
    code: cause.code,
    class: cause.class,
    service: cause.service,
    kind: cause.class === 'data' ? kind : null,
    status: cause.status,
    detail: cause.detail,
    users,
    rule,
    summary,
    hint: hintFor(cause, kind, writeBack),
  };
}

const CLASS_WORDS: Record<Exclude<FailureClass, 'data'>, string> = {
  auth: 'refused dialsync\'s credentials or permissions',
  outage: 'failed or could not be reached',
  rate_limit: 'kept answering 429 (rate limit used up)',
};

function hintFor(cause: FailureCause, kind: FailedKind, writeBack: ClassifyOptions['writeBack']): string {
  const profile = writeBack.target === 'user' ? 'Okta user profile' : 'Dialpad app user profile';
  if (cause.service === 'okta') {
    if (cause.class === 'data' && kind === 'write_back') {
      return `add the attribute ${writeBack.attribute} to the ${profile} (Directory → Profile Editor) as a string, or correct its definition there; dialsync tries again on the next run`;
    }
    if (cause.code === 'okta.unauthorized') return 'check the Okta credentials (OKTA_API_TOKEN, or the service app\'s key): Okta no longer accepts them';
    if (cause.code === 'okta.forbidden') {
      return `give dialsync's Okta admin or service app the right to ${kind === 'write_back' ? `update users (okta.users.manage${writeBack.target === 'user' ? '' : ', okta.apps.manage'})` : 'do this'}; an app profile mapping that defines ${writeBack.attribute} also refuses writes to it`;
    }
  }
  if (cause.service === 'dialpad') {
    if (cause.code === 'dialpad.unauthorized') return 'check DIALPAD_API_KEY: Dialpad no longer accepts it (revoked or expired?)';
    if (cause.code === 'dialpad.forbidden') return 'use a Dialpad company-admin API key: this one may not manage users';
  }
  if (cause.service === 'store') return 'check the database file (DIALSYNC_DATABASE): its disk, its permissions';
  if (cause.class === 'outage') return `nothing to change on dialsync's side: ${SERVICE_NAMES[cause.service]} is failing; dialsync tries again (the daemon backs off)`;
  if (cause.class === 'rate_limit') {
    return `${SERVICE_NAMES[cause.service]}'s rate limit is shared with other integrations: dialsync tries again later${cause.service === 'okta' ? '; lower okta.rateLimitShare to leave the others more' : ''}`;
  }
  if (cause.service === 'dialpad') {
    const said = cause.detail === null ? 'the same 400' : `the same 400 "${cause.detail}"`;
    return `Dialpad refused the ${ACTION_WORDS[kind]} of these users with ${said}: check the value they share for what it names in Okta (the run's output lists them), or the Dialpad company setting it refers to (office, license, number pool); dialsync tries again on the next run`;
  }
  return `${SERVICE_NAMES[cause.service]} gave these users the same answer${cause.detail === null ? '' : ` ("${cause.detail}")`}: check what it names for the ${ACTION_WORDS[kind]}`;
}

/** What each action does, for hints. */
const ACTION_WORDS: Record<FailedKind, string> = {
  create: 'create (POST /api/v2/users)',
  update: 'update (PATCH /api/v2/users/{id}: name, job title, email, license)',
  set_job_title: 'job title (PATCH /api/v2/users/{id} job_title, after the create)',
  move_office: 'office move (PATCH /api/v2/users/{id}/move_office)',
  suspend: 'suspension',
  reactivate: 'reactivation',
  delete: 'deletion',
  adopt: 'adoption',
  relink: 'relink',
  assign_number: 'number assignment',
  write_back: 'number write-back',
};
