// The comparison `dialsync apply` makes between a user's actions in the file and those planned now: an edited value,
// an added, removed or reordered action differ; a reason's words, an approver, the pool number picked and a pending
// write-back's value do not.
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/plan/types.js';
import { sameActions } from '../../src/plan-file/same-actions.js';

const title = (to: string): Action => ({ kind: 'update', changes: [{ field: 'job_title', from: 'Engineer', to }], reason: `title ${to}` });
const create: Action = { kind: 'create', email: 'ann@acme.com', firstName: 'Ann', lastName: 'Lee', officeId: '1', license: 'talk', autoAssign: true, jobTitle: null, reason: 'assigned' };
const number = (n: string | null, areaCode: string | null): Action => ({ kind: 'assign_number', number: n, areaCode, reason: 'no number yet' });
const writeBack = (to: string | null, pending: boolean): Action => ({ kind: 'write_back', from: null, to, pending, reason: 'number' });
const suspend = (approvedBy?: string): Action => ({ kind: 'suspend', reason: approvedBy ? `approved by ${approvedBy}: unassigned` : 'unassigned', ...(approvedBy ? { approvedBy } : {}) });

describe('sameActions(file, now)', () => {
  it.each<[string, Action[], Action[], boolean]>([
    ['the same update', [title('CTO')], [title('CTO')], true],
    ["an update's value edited (Evil Overlord)", [title('Evil Overlord')], [title('CTO')], false],
    ['only the reason differs', [{ ...title('CTO'), reason: 'edited words' } as Action], [title('CTO')], true],
    ['an action added', [title('CTO'), suspend()], [title('CTO')], false],
    ['an action removed', [create], [create, writeBack(null, true)], false],
    ['reordered', [writeBack(null, true), create], [create, writeBack(null, true)], false],
    ["a create's license edited", [{ ...create, license: 'agents' } as Action], [create], false],
    ['another pool number picked now', [create, number('+12125550111', null)], [create, number('+12125550112', null)], true],
    ['the pool empty now: asked by area code', [create, number('+12125550111', null)], [create, number(null, '212')], true],
    ['a pending write-back', [writeBack(null, true)], [writeBack('+12125550111', true)], true],
    ["a write-back's value edited", [writeBack('+19995550000', false)], [writeBack('+12125550111', false)], false],
    ['a suspend approved by someone else', [suspend('cli:eve@host')], [suspend()], true],
    ['a suspend turned into a delete', [{ kind: 'delete', reason: 'unassigned' }], [suspend()], false],
    ['nothing planned now', [title('CTO')], [], false],
  ])('%s → %s', (_situation, file, now, same) => {
    expect(sameActions(file, now)).toBe(same);
  });
});
