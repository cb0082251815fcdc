// The paragraph under the plan when a gate held suspends back: a dry run records no hold (`dialsync held` has nothing
// to approve yet), so it must not tell the reader to approve them now; an applying run recorded them, and says so.
import { describe, expect, it } from 'vitest';
import { renderHeldBack } from '../../src/cli/held-back-text.js';
import { releaseForDryRun, type HeldBack } from '../../src/plan/safety/held-back.js';
import { MASS_CHANGE_RELEASE } from '../../src/plan/safety/mass-change-guard.js';
import { SOURCE_HEALTH_RELEASE } from '../../src/plan/safety/source-health-gate.js';

const held = (gate: HeldBack['gate'], release: string): HeldBack => ({ gate, counts: { suspend: 12, write_back: 12 }, users: 12, reason: 'mass-change guard: 12 suspends exceed safety.massSuspend', release });

describe('renderHeldBack', () => {
  it.each([
    ['mass-change', MASS_CHANGE_RELEASE],
    ['source-health', SOURCE_HEALTH_RELEASE],
  ] as const)('%s, dry run: an applying run records them for approval first, then `dialsync approve`', (gate, release) => {
    const text = renderHeldBack([held(gate, release)], false);
    expect(text).toContain('would not be applied');
    expect(text).toContain('an applying run (`dialsync reconcile --apply` or the daemon) records them as held for approval, then approve exactly these with `dialsync approve` or on the console\'s Held changes page');
    expect(text).not.toContain('approve exactly these on the console\'s Held changes page or with `dialsync approve` (the next run applies them)');
    expect(text).not.toContain('`dialsync held` lists them');
    expect(text).toContain('`dialsync reconcile --apply --allow-mass-changes` once');
  });

  it.each([
    ['mass-change', MASS_CHANGE_RELEASE],
    ['source-health', SOURCE_HEALTH_RELEASE],
  ] as const)('%s, applying run: the text as it was (approve exactly these now; `dialsync held` lists them)', (gate, release) => {
    const text = renderHeldBack([held(gate, release)], true);
    expect(text).toContain(`  To let them through: ${release}.`);
    expect(text).toContain('approve exactly these on the console\'s Held changes page or with `dialsync approve` (the next run applies them)');
    expect(text).toContain('Or approve exactly these suspends and deletes: `dialsync held` lists them, `dialsync approve EMAIL... | --all` lets them through in the next run.');
    expect(text).not.toContain('an applying run');
  });

  it('a withheld action\'s reason quoting the advice reads the dry-run way too; other text is left alone', () => {
    const reason = `held back by the mass-change guard; to let them through, ${MASS_CHANGE_RELEASE}: left the Okta app`;
    expect(releaseForDryRun(reason)).toBe(
      'held back by the mass-change guard; to let them through, an applying run (`dialsync reconcile --apply` or the daemon) records them as held for approval, then approve exactly these with `dialsync approve` or on the console\'s Held changes page (the run after that applies them), or run `dialsync reconcile --apply --allow-mass-changes` once (re-planned: lets every such change through), or set safety.allowMassChanges: true (or raise safety.massSuspend / safety.massDelete): left the Okta app',
    );
    expect(releaseForDryRun('quarantined: 3 failures')).toBe('quarantined: 3 failures');
  });
});
