// A builder for the safety pipeline's facts: a full run with nothing on record, tests override what they care about.
import type { SafetyFacts } from '../../../src/plan/safety/pipeline.js';
import { defaultSafety, type Safety } from '../../../src/plan/safety/safety.js';
import { planInput } from '../fixtures.js';

/** Facts of a full run with no failure records, no earlier listing, no free lines read, nothing allowed and nothing approved. */
export function safetyFacts(overrides: Partial<SafetyFacts> = {}): SafetyFacts {
  return {
    input: planInput(),
    failures: [],
    fingerprints: new Map(),
    freeLines: { available: {}, unreadable: {} },
    lastHealthyAssignments: null,
    repinned: false,
    allowMassChanges: false,
    approvals: [],
    ...overrides,
  };
}

/** The default safety settings with some replaced. */
export function safetySettings(overrides: Partial<Safety> = {}): Safety {
  return { ...defaultSafety(), ...overrides };
}
