import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import {
  type AccessDecision,
  type AccessFacts,
  decideAccess,
  describeAccess,
  NAMED_GROUPS,
  needsNesting,
} from './access-decision.js';
import type { GroupRef } from './applications.types.js';

const group = (n: number): GroupRef => ({
  groupId: `g${String(n).padStart(2, '0')}`,
  displayName: `Group ${n}`,
});

const facts = (overrides: Partial<AccessFacts> = {}): AccessFacts => ({
  application: {
    applicationArn: 'arn:aws:sso::123456789012:application/ssoins-0000000000000000/apl-0000000000000000',
    applicationId: 'apl-0000000000000000',
    name: 'App',
    status: 'ENABLED',
    assignmentRequired: true,
  },
  user: { userId: 'u1', userName: 'alice', identityStoreId: 'd-0000000000', status: 'ENABLED' },
  directlyAssigned: false,
  grantingGroups: [],
  moreGrantingGroups: false,
  ...overrides,
});

describe('describeAccess', () => {
  const base = decideAccess(facts());
  const G = group(1);
  const H = group(2);
  it.each<[Partial<AccessDecision>, string]>([
    [{ allowed: true, reason: 'direct' }, 'direct'],
    [{ allowed: true, reason: 'group', groups: [G, H] }, 'group Group 1'],
    [
      { allowed: false, reason: 'nested-group-only', nestedPath: [H, group(3), G] },
      'denied: only through nested group Group 2 inside assigned group Group 1',
    ],
    [{ allowed: false, reason: 'not-assigned' }, 'denied: not assigned'],
    [{ allowed: true, reason: 'assignment-not-required' }, 'allowed: assignment not required'],
    [{ allowed: false, reason: 'user-disabled' }, 'denied: user disabled'],
    [{ allowed: false, reason: 'application-disabled' }, 'denied: application disabled'],
  ])('%o reads %s', (decision, text) => {
    expect(describeAccess({ ...base, ...decision })).toBe(text);
  });
});

describe('decideAccess', () => {
  it('decides in the documented order', () => {
    expect(decideAccess(facts({ directlyAssigned: true })).reason).toBe('direct');
    expect(decideAccess(facts({ grantingGroups: [group(2), group(1)] }))).toMatchObject({
      allowed: true,
      reason: 'group',
      groups: [group(1), group(2)],
      moreGroups: false,
    });
    expect(decideAccess(facts()).reason).toBe('not-assigned');
    expect(decideAccess(facts({ nestedPath: [group(1), group(2)] }))).toMatchObject({
      allowed: false,
      reason: 'nested-group-only',
      nestedPath: [group(1), group(2)],
    });
    const disabledApp = facts({ directlyAssigned: true });
    disabledApp.application.status = 'DISABLED';
    expect(decideAccess(disabledApp).reason).toBe('application-disabled');
    const disabledUser = facts({ directlyAssigned: true });
    disabledUser.user.status = 'DISABLED';
    expect(decideAccess(disabledUser).reason).toBe('user-disabled');
    const open = facts();
    open.application.assignmentRequired = false;
    expect(decideAccess(open)).toMatchObject({ allowed: true, reason: 'assignment-not-required' });
  });

  it('grants exactly by the direct edges, whatever the nesting (5,000 random cases)', () => {
    const pattern =
      /^(direct|group .+|denied: only through nested group .+ inside assigned group .+|denied: not assigned|allowed: assignment not required|denied: (user|application) disabled)$/;
    for (let seed = 1; seed <= 5000; seed++) {
      const r = prng(seed);
      const granting = r.subset(
        Array.from({ length: r.int(0, 14) }, (_, i) => group(i)),
        0.5,
      );
      const base = facts({
        directlyAssigned: r.chance(0.25),
        grantingGroups: [...granting].reverse(),
        moreGrantingGroups: r.chance(0.1),
      });
      base.application.status = r.chance(0.1) ? 'DISABLED' : 'ENABLED';
      base.application.assignmentRequired = !r.chance(0.15);
      base.user.status = r.chance(0.1) ? 'DISABLED' : 'ENABLED';
      // A nested path is only ever looked up when nothing else decides; it never grants.
      const nestedPath = r.chance(0.5)
        ? [group(90), ...(r.chance(0.5) ? [group(91)] : []), group(92)]
        : undefined;
      const decision = decideAccess({ ...base, nestedPath: needsNesting(base) ? nestedPath : undefined });
      const expected =
        base.application.status === 'ENABLED' &&
        base.user.status === 'ENABLED' &&
        (!base.application.assignmentRequired || base.directlyAssigned || granting.length > 0);
      expect(decision.allowed, `seed ${seed}`).toBe(expected);
      expect(decideAccess({ ...base, nestedPath }).allowed, `seed ${seed}`).toBe(expected);
      expect(decision.groups.length).toBeLessThanOrEqual(NAMED_GROUPS);
      expect(decision.groups).toEqual(
        [...granting].sort((a, b) => (a.groupId < b.groupId ? -1 : 1)).slice(0, NAMED_GROUPS),
      );
      expect(decision.moreGroups).toBe(base.moreGrantingGroups || granting.length > NAMED_GROUPS);
      expect(decision.reason === 'nested-group-only', `seed ${seed}`).toBe(
        needsNesting(base) && nestedPath !== undefined,
      );
      expect(describeAccess(decision)).toMatch(pattern);
      if (decision.reason === 'group')
        expect(describeAccess(decision)).toBe(`group ${decision.groups[0]?.displayName}`);
    }
  });
});
