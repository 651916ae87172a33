import type { ApplicationStatus, GroupRef } from './applications.types.js';

/**
 * THE access decision: may this user open this application, and why. Everything that asks (the
 * portal, SageMaker's CreateUserProfile, the console, `studio-sso explain-access`) gets its answer
 * from `decideAccess` here, fed by AccessService with facts read fresh from the database (no cache:
 * removing a user from a group takes the access away on the next question).
 *
 * The rule, as IAM Identity Center has it: an enabled user may open an enabled application when the
 * application does not require assignment, when the user is assigned directly, or when the user is a
 * DIRECT member of an assigned group. Membership through a nested group never counts; it is only
 * reported, so that people see why they were refused.
 *
 * Pure functions only: no I/O, no clock, so they can be tested exhaustively.
 */

export type AccessReason =
  | 'assignment-not-required'
  | 'direct'
  | 'group'
  | 'nested-group-only'
  | 'not-assigned'
  | 'user-disabled'
  | 'application-disabled';

export interface AccessUser {
  userId: string;
  userName: string;
  identityStoreId: string;
  status: 'ENABLED' | 'DISABLED';
}

export interface AccessApplication {
  applicationArn: string;
  applicationId: string;
  name: string;
  status: ApplicationStatus;
  assignmentRequired: boolean;
}

/** At most this many granting groups are named in a decision; `moreGroups` tells there are others. */
export const NAMED_GROUPS = 10;

/** What the decision is made from: everything the database knows that matters. */
export interface AccessFacts {
  application: AccessApplication;
  user: AccessUser;
  /** A USER assignment of this user to the application exists. */
  directlyAssigned: boolean;
  /**
   * Granting groups: groups the user is a DIRECT member of that are assigned to the application,
   * the first ones in group-ID order (a user in a thousand assigned groups is not read in full).
   */
  grantingGroups: readonly GroupRef[];
  /** Whether there are granting groups beyond `grantingGroups`. */
  moreGrantingGroups: boolean;
  /**
   * Read only when nothing else decides (see `needsNesting`): the shortest chain of groups from one
   * of the user's direct groups H up, through nested groups, to an assigned group G ([H, …, G]);
   * undefined when there is none. Without it a refusal is `not-assigned`.
   */
  nestedPath?: readonly GroupRef[];
}

export interface AccessDecision {
  allowed: boolean;
  reason: AccessReason;
  user: { userId: string; userName: string };
  application: { applicationArn: string; name: string };
  /**
   * Granting groups (direct membership, assigned), in group-ID order, at most NAMED_GROUPS of them:
   * for `group`, the first is the one the decision names; for `direct` (and the refusals of disabled
   * users and applications), those that would grant too.
   */
  groups: GroupRef[];
  /** There are granting groups beyond `groups`. */
  moreGroups: boolean;
  /** For `nested-group-only`: [H, …, G], from the user's direct group H up to the assigned group G. */
  nestedPath?: GroupRef[];
}

const byGroupId = (a: GroupRef, b: GroupRef): number =>
  a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0;

/** Whether the decision depends on nested groups at all: only when nothing else decides it. */
export const needsNesting = (facts: AccessFacts): boolean =>
  facts.application.status === 'ENABLED' &&
  facts.user.status === 'ENABLED' &&
  facts.application.assignmentRequired &&
  !facts.directlyAssigned &&
  facts.grantingGroups.length === 0;

/** The decision the facts call for. */
export const decideAccess = (facts: AccessFacts): AccessDecision => {
  const sorted = [...facts.grantingGroups].sort(byGroupId);
  const groups = sorted.slice(0, NAMED_GROUPS);
  const base = {
    user: { userId: facts.user.userId, userName: facts.user.userName },
    application: { applicationArn: facts.application.applicationArn, name: facts.application.name },
    groups,
    moreGroups: facts.moreGrantingGroups || sorted.length > groups.length,
  };
  if (facts.application.status !== 'ENABLED')
    return { ...base, allowed: false, reason: 'application-disabled' };
  if (facts.user.status !== 'ENABLED') return { ...base, allowed: false, reason: 'user-disabled' };
  if (!facts.application.assignmentRequired)
    return { ...base, allowed: true, reason: 'assignment-not-required' };
  if (facts.directlyAssigned) return { ...base, allowed: true, reason: 'direct' };
  if (groups.length > 0) return { ...base, allowed: true, reason: 'group' };
  const nestedPath = facts.nestedPath;
  return nestedPath === undefined || nestedPath.length < 2
    ? { ...base, allowed: false, reason: 'not-assigned' }
    : { ...base, allowed: false, reason: 'nested-group-only', nestedPath: [...nestedPath] };
};

/**
 * The decision in one line, as people read it: `direct`, `group G`, `denied: only through nested
 * group H inside assigned group G`, `denied: not assigned`, `allowed: assignment not required`,
 * `denied: user disabled`, `denied: application disabled`.
 */
export const describeAccess = (decision: AccessDecision): string => {
  switch (decision.reason) {
    case 'direct':
      return 'direct';
    case 'group':
      return `group ${decision.groups[0]?.displayName ?? '?'}`;
    case 'nested-group-only': {
      const path = decision.nestedPath ?? [];
      return `denied: only through nested group ${path[0]?.displayName ?? '?'} inside assigned group ${path[path.length - 1]?.displayName ?? '?'}`;
    }
    case 'not-assigned':
      return 'denied: not assigned';
    case 'assignment-not-required':
      return 'allowed: assignment not required';
    case 'user-disabled':
      return 'denied: user disabled';
    case 'application-disabled':
      return 'denied: application disabled';
  }
};
