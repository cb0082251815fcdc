// Deterministic fault injection for the sandboxes: a seeded PRNG decides, request by request in arrival order,
// whether a request meets a fault. With the same seed and the same request order, the same faults happen.
import type { SandboxRequest } from './request.js';
import { mulberry32 } from '../seeded-random.js';

export const FAULT_KINDS = ['429', '500', '503', 'slow', 'malformed', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Probability that a request meets a fault, 0..1 (default 0.1). */
  rate?: number;
  kinds: readonly FaultKind[];
  /** PRNG seed (default 1). */
  seed?: number;
  /** Delay of a 'slow' fault, default 2000 ms. The request still takes effect after the delay. */
  slowMs?: number;
  /**
   * Share (0..1, default 0) of 500, 503 and 'reset' faults that strike AFTER the request took effect, as real APIs
   * can: the write happened but the client sees an error. 429 always strikes before (a refusal does nothing);
   * 'malformed' always after (the request was carried out, its answer is garbled); 'slow' delays the effect itself.
   */
  afterEffect?: number;
  /** Which requests may meet a fault (default: all). */
  applies?: (request: SandboxRequest) => boolean;
}

export interface FaultDecision {
  kind: FaultKind;
  /** True: the request is carried out first, then the fault replaces its answer. */
  afterEffect: boolean;
}

export class FaultInjector {
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number> = { '429': 0, '500': 0, '503': 0, slow: 0, malformed: 0, reset: 0 };
  readonly slowMs: number;
  private readonly rate: number;
  private readonly kinds: readonly FaultKind[];
  private readonly afterEffectShare: number;
  private readonly applies: (request: SandboxRequest) => boolean;
  private readonly random: () => number;

  constructor(options: FaultOptions) {
    this.rate = options.rate ?? 0.1;
    if (!(this.rate >= 0 && this.rate <= 1)) throw new RangeError(`faults.rate must be within 0..1, got ${this.rate}`);
    if (options.kinds.length === 0) throw new RangeError('faults.kinds must name at least one kind');
    this.kinds = options.kinds;
    this.slowMs = options.slowMs ?? 2_000;
    this.afterEffectShare = options.afterEffect ?? 0;
    this.applies = options.applies ?? (() => true);
    this.random = mulberry32(options.seed ?? 1);
  }

  get total(): number {
    return Object.values(this.injected).reduce((sum, n) => sum + n, 0);
  }

  /** Null: the request is served normally. Draws from the PRNG for every request, so the sequence stays stable. */
  decide(request: SandboxRequest): FaultDecision | null {
    const roll = this.random();
    const pick = this.random();
    const after = this.random();
    if (!this.applies(request) || roll >= this.rate) return null;
    const kind = this.kinds[Math.min(this.kinds.length - 1, Math.floor(pick * this.kinds.length))] as FaultKind;
    this.injected[kind] += 1;
    const afterEffect =
      kind === 'malformed' ? true : kind === '500' || kind === '503' || kind === 'reset' ? after < this.afterEffectShare : false;
    return { kind, afterEffect };
  }
}

