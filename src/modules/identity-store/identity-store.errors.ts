import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js';

/**
 * The identity store's errors, worded once. Clients match on the conflict messages (`Duplicate
 * GroupDisplayName`, `Member and Group relationship already exists`), so those are AWS's exact text.
 */
const UNIQUENESS = 'UNIQUENESS_CONSTRAINT_VIOLATION';

export const identityStoreNotFound = (identityStoreId: string): NotFoundError =>
  new NotFoundError('IDENTITY_STORE_NOT_FOUND', `Identity store ${identityStoreId} does not exist.`, {
    resourceType: 'IDENTITY_STORE',
    resourceId: identityStoreId,
  });

/** Without an ID: nothing matched an alternate identifier (GetUserId). */
export const userNotFound = (userId?: string): NotFoundError =>
  userId === undefined
    ? new NotFoundError('USER_NOT_FOUND', 'No user matches the alternate identifier.', {
        resourceType: 'USER',
      })
    : new NotFoundError('USER_NOT_FOUND', `User ${userId} does not exist.`, {
        resourceType: 'USER',
        resourceId: userId,
      });

export const groupNotFound = (groupId?: string): NotFoundError =>
  groupId === undefined
    ? new NotFoundError('GROUP_NOT_FOUND', 'No group matches the alternate identifier.', {
        resourceType: 'GROUP',
      })
    : new NotFoundError('GROUP_NOT_FOUND', `Group ${groupId} does not exist.`, {
        resourceType: 'GROUP',
        resourceId: groupId,
      });

export const membershipNotFound = (membershipId?: string): NotFoundError =>
  new NotFoundError(
    'GROUP_MEMBERSHIP_NOT_FOUND',
    membershipId === undefined
      ? 'Group membership does not exist.'
      : `Group membership ${membershipId} does not exist.`,
    { resourceType: 'GROUP_MEMBERSHIP', ...(membershipId === undefined ? {} : { resourceId: membershipId }) },
  );

export const duplicateUserName = (): ConflictError =>
  new ConflictError('USER_NAME_EXISTS', 'Duplicate UserName', { reason: UNIQUENESS });

export const duplicateGroupDisplayName = (): ConflictError =>
  new ConflictError('GROUP_DISPLAY_NAME_EXISTS', 'Duplicate GroupDisplayName', { reason: UNIQUENESS });

export const duplicateMembership = (): ConflictError =>
  new ConflictError('MEMBERSHIP_EXISTS', 'Member and Group relationship already exists', {
    reason: UNIQUENESS,
  });

export const duplicateExternalId = (): ConflictError =>
  new ConflictError('EXTERNAL_ID_EXISTS', 'Duplicate ExternalId', { reason: UNIQUENESS });

export const concurrentModification = (): ConflictError =>
  new ConflictError(
    'CONCURRENT_MODIFICATION',
    'The resource was modified by another request at the same time. Try again.',
    { reason: 'CONCURRENT_MODIFICATION' },
  );

export const invalidAttribute = (message: string): ValidationError =>
  new ValidationError(message, 'INVALID_ATTRIBUTE');
