import { describe, expect, it } from 'vitest';
import { roleFromGroups } from '../../src/console/group-role.js';

const groups = { adminGroup: 'dialsync-admins', viewerGroup: 'dialsync-viewers' };

describe('roleFromGroups', () => {
  it.each([
    [['dialsync-admins'], 'admin'],
    [['dialsync-viewers', 'dialsync-admins'], 'admin'],
    [['dialsync-viewers'], 'viewer'],
    ['dialsync-viewers', 'viewer'],
    [['Everyone', 'dialsync-admins-old'], null],
    [['DIALSYNC-ADMINS'], null],
    [undefined, null],
    [[42, null], null],
  ])('gives %j the role %s', (claim, role) => {
    expect(roleFromGroups(claim, groups)).toBe(role);
  });

  it('gives no viewer role when no viewer group is set', () => {
    expect(roleFromGroups(['dialsync-viewers'], { adminGroup: 'dialsync-admins', viewerGroup: null })).toBeNull();
  });
});
