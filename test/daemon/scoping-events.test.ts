// The daemon with scope.groups: joining or leaving a scoping group (not a group assigned to the app) is a relevant
// System Log event, so the incremental cycle brings the user into scope or takes it out without waiting for a full run.
import { afterEach, describe, expect, it } from 'vitest';
import { dialpadUsersWithEmail, eventually, hire, startDaemon, useSandboxes, type RunningDaemon } from './harness.js';

const given = useSandboxes();
let running: RunningDaemon | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await given().stop();
});

describe('daemon: scoping groups', () => {
  it("runs a user whose scoping group membership changed: created on joining, suspended on leaving", async () => {
    const sandboxes = given();
    const ann = hire(sandboxes.okta, 'ann@acme.com', 'Ann', 'Lee');
    const pilot = sandboxes.okta.createGroup('Dialpad pilot');
    running = await startDaemon(sandboxes, { daemon: { pollIntervalSeconds: 5 }, rest: { scope: { groups: ['Dialpad pilot'] } } });
    const daemon = running;
    await eventually(async () => (await daemon.store.runs.recent(10)).some((run) => run.kind === 'full' && run.outcome !== 'running'), 10_000, 'the first full run');
    expect(dialpadUsersWithEmail(sandboxes.dialpad, 'ann@acme.com')).toEqual([]);

    const stateOfAnn = (): string => dialpadUsersWithEmail(sandboxes.dialpad, 'ann@acme.com').map((user) => user.state).join(',');

    sandboxes.okta.addToGroup(pilot, ann);
    await daemon.daemon.pollOnce();
    await eventually(() => stateOfAnn() === 'active', 10_000, 'Ann created on joining the pilot group');

    sandboxes.okta.removeFromGroup(pilot, ann);
    await daemon.daemon.pollOnce();
    await eventually(() => stateOfAnn() === 'suspended', 10_000, 'Ann suspended on leaving it');
    // Both by incremental runs: the only full run was the first.
    const runs = await daemon.store.runs.recent(10);
    expect(runs.filter((run) => run.kind === 'full')).toHaveLength(1);
    expect(runs.filter((run) => run.kind === 'incremental').length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});
