// Okta Event Hooks as the sandbox org sends them: a one-time verification GET, then POSTs of the matching
// System Log events shortly after they happen, a few per delivery; 3 s timeout, one retry on a 5xx or a
// timeout, none on a 4xx; the secret in one header (Authorization by default). No signature: Okta has none.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxLogEvent } from './system-log.js';

/** The event types the sandbox emits that Okta's catalog marks event-hook-eligible. */
export const HOOK_ELIGIBLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'application.user_membership.add',
  'application.user_membership.remove',
  'application.user_membership.update',
  'group.user_membership.add',
  'group.user_membership.remove',
  'user.account.update_profile',
  'user.lifecycle.create',
  'user.lifecycle.activate',
  'user.lifecycle.reactivate',
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.lifecycle.unsuspend',
  'user.lifecycle.delete.initiated',
]);

export interface EventHookRegistration {
  url: string;
  /** The header carrying the secret; default Authorization. */
  authHeader?: string;
  secret: string;
  eventTypes: readonly string[];
  /** Sends every delivery a second time (Okta delivers at least once), to test deduplication. */
  deliverTwice?: boolean;
}

export interface HookDelivery {
  hookId: string;
  eventId: string;
  eventUuids: string[];
  /** 1, or 2 for Okta's one retry. */
  attempt: number;
  /** The second copy of a deliverTwice delivery. */
  duplicate: boolean;
  /** The HTTP status, or null when no answer came (timeout, connection refused). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export class EventHookVerificationError extends Error {
  readonly code = 'event_hook_verification_failed';
}

interface Hook {
  id: string;
  registration: EventHookRegistration;
  authHeader: string;
  eventTypes: ReadonlySet<string>;
  pending: SandboxLogEvent[];
  timer: NodeJS.Timeout | undefined;
}

export interface OktaEventHooksOptions {
  /** The org's base URL (for the delivery's `source`). */
  orgUrl: () => string;
  now: () => Date;
  /** How long events gather before a delivery. Default 100 ms. */
  batchWindowMs?: number;
  /** Okta's timeout per request. Default 3000 ms. */
  timeoutMs?: number;
}

export class OktaEventHooks {
  readonly deliveries: HookDelivery[] = [];
  private readonly hooks: Hook[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly batchWindowMs: number;
  private readonly timeoutMs: number;
  private stopped = false;

  constructor(private readonly options: OktaEventHooksOptions) {
    this.batchWindowMs = options.batchWindowMs ?? 100;
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  /** Creates, verifies and activates a hook; rejects (and keeps nothing) when verification fails. */
  async register(registration: EventHookRegistration): Promise<string> {
    if (registration.eventTypes.length === 0) throw new RangeError('an event hook needs at least one event type');
    const ineligible = registration.eventTypes.filter((type) => !HOOK_ELIGIBLE_EVENT_TYPES.has(type));
    if (ineligible.length > 0) throw new RangeError(`not event-hook-eligible: ${ineligible.join(', ')}`);
    const hook: Hook = {
      id: `who${randomAlphanumeric(17)}`,
      registration,
      authHeader: registration.authHeader ?? 'Authorization',
      eventTypes: new Set(registration.eventTypes),
      pending: [],
      timer: undefined,
    };
    await this.verify(hook);
    this.hooks.push(hook);
    return hook.id;
  }

  /** Called for every new System Log event. */
  notify(event: SandboxLogEvent): void {
    if (this.stopped) return;
    for (const hook of this.hooks) {
      if (!hook.eventTypes.has(event.eventType)) continue;
      hook.pending.push(event);
      hook.timer ??= setTimeout(() => {
        hook.timer = undefined;
        const events = hook.pending.splice(0);
        this.track(this.deliver(hook, events));
      }, this.batchWindowMs);
    }
  }

  /** Resolves once nothing is waiting or being delivered. */
  async settled(): Promise<void> {
    for (;;) {
      const waiting = this.hooks.some((hook) => hook.timer !== undefined);
      if (!waiting && this.inFlight.size === 0) return;
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, this.batchWindowMs));
    }
  }

  /** Drops what waits and cuts deliveries short. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const hook of this.hooks) {
      if (hook.timer !== undefined) clearTimeout(hook.timer);
      hook.timer = undefined;
      hook.pending.length = 0;
    }
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async verify(hook: Hook): Promise<void> {
    const challenge = randomBytes(24).toString('base64url');
    let failure = '';
    // Okta tries twice, 3 s each, then the verify call fails.
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const answer = await this.send(hook, 'GET', undefined, { 'x-okta-verification-challenge': challenge });
      if (answer.status === 200) {
        let verification: unknown;
        try {
          verification = (JSON.parse(answer.body) as { verification?: unknown }).verification;
        } catch {
          verification = undefined;
        }
        if (verification === challenge) return;
        throw new EventHookVerificationError('event hook verification failed: the answer did not echo the challenge');
      }
      failure = answer.status === null ? (answer.error ?? 'no answer') : `HTTP ${answer.status}`;
      if (answer.status !== null && answer.status < 500) break;
    }
    throw new EventHookVerificationError(`event hook verification failed: ${failure}`);
  }

  private async deliver(hook: Hook, events: SandboxLogEvent[]): Promise<void> {
    if (events.length === 0) return;
    const copies = hook.registration.deliverTwice === true ? 2 : 1;
    for (let copy = 1; copy <= copies; copy += 1) {
      if (this.stopped) return;
      const eventId = randomUUID();
      const body = JSON.stringify({
        eventType: 'com.okta.event_hook',
        eventTypeVersion: '1.0',
        cloudEventsVersion: '0.1',
        source: `${this.options.orgUrl()}/api/v1/eventHooks/${hook.id}`,
        eventId,
        eventTime: this.options.now().toISOString(),
        contentType: 'application/json',
        data: { events },
      });
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        if (this.stopped) return;
        const answer = await this.send(hook, 'POST', body, { 'Content-Type': 'application/json' });
        this.deliveries.push({
          hookId: hook.id,
          eventId,
          eventUuids: events.map((event) => event.uuid),
          attempt,
          duplicate: copy > 1,
          status: answer.status,
          error: answer.error,
          durationMs: answer.durationMs,
        });
        // One retry, on a timeout, a connection failure or a 5xx; a 4xx is the endpoint's final word.
        if (answer.status !== null && answer.status < 500) break;
      }
    }
  }

  private async send(
    hook: Hook,
    method: 'GET' | 'POST',
    body: string | undefined,
    extra: Record<string, string>,
  ): Promise<{ status: number | null; body: string; error: string | null; durationMs: number }> {
    const started = Date.now();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'Okta-Integrations',
      'X-Okta-Request-Id': randomAlphanumeric(24),
      ...extra,
      [hook.authHeader]: hook.registration.secret,
    };
    try {
      const response = await fetch(hook.registration.url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.abort.signal]),
      });
      const text = await response.text();
      return { status: response.status, body: text, error: null, durationMs: Date.now() - started };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return { status: null, body: '', error: timedOut ? 'timeout' : error instanceof Error ? error.message : String(error), durationMs: Date.now() - started };
    }
  }
}

function randomAlphanumeric(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}
