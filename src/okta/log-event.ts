// Okta System Log events (LogEvent in the Management API spec), parsed at the boundary into our own shape.
// Used by both the System Log poll and the Event Hook endpoint, which carry the same LogEvent objects.
import { z } from 'zod';

/** One of a LogEvent's targets (LogTarget): the user, app or group the event concerns. */
export interface OktaLogTarget {
  id: string;
  /** User, AppInstance, UserGroup, ... */
  type: string;
  /** A user's login or an app's name; null when Okta sent none. */
  alternateId: string | null;
}

/** A System Log event (LogEvent) as dialsync reads it. */
export interface OktaLogEvent {
  /** Unique per event: the Event Hook's redeliveries are dropped by it. */
  uuid: string;
  /** ISO 8601, as Okta sent it. */
  published: string;
  /** Such as application.user_membership.add (see relevant-events.ts). */
  eventType: string;
  /** The actor's id: a user id (00u…) for an admin or an API token's owner, a client id (0oa…) for a service app. */
  actorId: string | null;
  targets: OktaLogTarget[];
  /** outcome.result (SUCCESS, FAILURE, …), or null when Okta sent none. */
  outcome: string | null;
}

const targetSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  alternateId: z.string().nullish(),
});

/** Lenient about everything dialsync does not read; fields may be null in Okta's answers. */
const logEventSchema = z.object({
  uuid: z.string().min(1),
  published: z.string().min(1),
  eventType: z.string().min(1),
  actor: z.object({ id: z.string().nullish() }).nullish(),
  target: z.array(z.unknown()).nullish(),
  outcome: z.object({ result: z.string().nullish() }).nullish(),
});

/** The events of a System Log page or an Event Hook delivery, and how many items were not events. */
export interface ParsedLogEvents {
  events: OktaLogEvent[];
  /** How many items were not LogEvents (no uuid, eventType or published); they are skipped. */
  rejected: number;
}

/** Parses a list of LogEvent JSON objects; malformed items are skipped, malformed targets dropped. */
export function parseLogEvents(items: readonly unknown[]): ParsedLogEvents {
  const events: OktaLogEvent[] = [];
  let rejected = 0;
  for (const item of items) {
    const parsed = logEventSchema.safeParse(item);
    if (!parsed.success) {
      rejected += 1;
      continue;
    }
    const { data } = parsed;
    const targets: OktaLogTarget[] = [];
    for (const raw of data.target ?? []) {
      const target = targetSchema.safeParse(raw);
      if (target.success) targets.push({ id: target.data.id, type: target.data.type, alternateId: target.data.alternateId ?? null });
    }
    events.push({
      uuid: data.uuid,
      published: data.published,
      eventType: data.eventType,
      actorId: data.actor?.id ?? null,
      targets,
      outcome: data.outcome?.result ?? null,
    });
  }
  return { events, rejected };
}
