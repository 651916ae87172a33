import type { Clock } from '../../core/clock.js';
import { ConflictError, LimitExceededError, NotFoundError, ValidationError } from '../../core/errors.js';
import { ids } from '../../core/ids.js';
import { decodePageToken, type Page, toPage } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { applyAttributeOperations, GROUP_TARGET, USER_TARGET } from './attribute-paths.js';
import {
  concurrentModification,
  groupNotFound,
  identityStoreNotFound,
  membershipNotFound,
  userNotFound,
} from './identity-store.errors.js';
import type {
  GroupMemberCount,
  IdentityStoreRepository,
  PrincipalType,
  StoreScope,
} from './identity-store.repository.js';
import {
  type AlternateIdentifier,
  type AttributeOperation,
  type ExternalId,
  type Group,
  type GroupMembership,
  type GroupProfile,
  type IdentityStore,
  type ListFilter,
  lookupKey,
  type MembershipExistence,
  type NestedGroupMembership,
  type User,
  type UserProfile,
  type UserStatus,
} from './identity-store.types.js';
import {
  checkExtensionNames,
  checkGroupProfile,
  checkUserProfile,
  withRequestedExtensions,
} from './profile-rules.js';
import {
  checkGroupConstraints,
  checkUserConstraints,
  groupProfileFromWire,
  groupProfileToWire,
  userProfileFromWire,
  userProfileToWire,
  type WireGroupProfile,
  type WireUserProfile,
} from './user-attributes.js';

export interface IdentityStoreRepositories {
  identityStore: IdentityStoreRepository;
}

export interface PageRequest {
  /** Page size; AWS leaves the default to the service, which is DEFAULT_PAGE_SIZE here. */
  limit?: number;
  nextToken?: string;
}

export interface ListUsersRequest extends PageRequest {
  filter?: ListFilter;
  /** Extensions to include in each user (DescribeUser's `Extensions`). */
  extensions?: readonly string[];
}

export interface ListGroupsRequest extends PageRequest {
  filter?: ListFilter;
}

export const DEFAULT_PAGE_SIZE = 100;
/** A model limit on ExternalIds in DescribeUser/DescribeGroup. */
const MAX_EXTERNAL_IDS = 10;
/** Compare-and-set retries of one update before it gives up with CONCURRENT_MODIFICATION. */
const MAX_UPDATE_ATTEMPTS = 10;

const storeScope = (scope: Scope, identityStoreId: string): StoreScope => ({
  identityStoreId,
  accountId: scope.accountId,
  region: scope.region,
});

/** What a caller can set on the user: everything but its identity, status and audit fields. */
const userProfileOf = (user: User): UserProfile => {
  const {
    userId: _userId,
    identityStoreId: _identityStoreId,
    status: _status,
    externalIds: _externalIds,
    createdAt: _createdAt,
    createdBy: _createdBy,
    updatedAt: _updatedAt,
    updatedBy: _updatedBy,
    ...profile
  } = user;
  return profile;
};

const filterKey = (
  filter: ListFilter | undefined,
  attributePath: 'UserName' | 'DisplayName',
  operation: string,
) => {
  if (filter === undefined) return undefined;
  if (filter.attributePath !== attributePath) {
    throw new ValidationError(
      `${filter.attributePath} is not a valid filter attribute path: ${operation} filters only by ${attributePath}.`,
      'INVALID_FILTER',
    );
  }
  return lookupKey(filter.attributeValue);
};

const uniqueAttributeValue = (path: string, value: unknown): string => {
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(
      `The AttributeValue for ${path} must be a non-empty string.`,
      'INVALID_ATTRIBUTE_VALUE',
    );
  }
  return value;
};

const notUniqueAttribute = (path: string, allowed: string): ValidationError =>
  new ValidationError(
    `The attribute ${path} is not a unique attribute; use ${allowed}.`,
    'INVALID_ATTRIBUTE_PATH',
  );

/**
 * The identity store (AWS identitystore): users, groups and direct group memberships of the
 * caller's identity stores. A store is visible only to the account that owns it, in its Region;
 * to anyone else it does not exist.
 */
export class IdentityStoreService {
  constructor(
    private readonly uow: UnitOfWork<IdentityStoreRepositories>,
    private readonly clock: Clock,
  ) {}

  private get repository(): IdentityStoreRepository {
    return this.uow.repositories.identityStore;
  }

  // Users

  async createUser(scope: Scope, identityStoreId: string, draft: Partial<UserProfile>): Promise<User> {
    const profile = checkUserProfile(draft);
    await this.requireStore(scope, identityStoreId);
    const now = this.clock.now();
    const user: User = {
      ...profile,
      userId: ids.directoryObjectId(identityStoreId),
      identityStoreId,
      status: 'ENABLED',
      externalIds: [],
      createdAt: now,
      createdBy: scope.principalArn,
      updatedAt: now,
      updatedBy: scope.principalArn,
    };
    // Uniqueness of the user name is the database's to decide: a concurrent create of the same
    // name in another case fails on the unique index, never on a check made before.
    await this.repository.insertUser(user);
    return user;
  }

  /** The user with every attribute; `extensions` only names asked for (`aws:identitystore:enterprise`). */
  async describeUser(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    options: { extensions?: readonly string[] } = {},
  ): Promise<User> {
    const requested = checkExtensionNames(options.extensions);
    return withRequestedExtensions(await this.existingUser(scope, identityStoreId, userId), requested);
  }

  /**
   * Applies every operation or none. The result must satisfy the same constraints as CreateUser's
   * input and still have the required attributes; renaming onto another user's name (in any case)
   * is a ConflictError.
   */
  async updateUser(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    operations: readonly AttributeOperation[],
  ): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.existingUser(scope, identityStoreId, userId);
      const wire = applyAttributeOperations(
        USER_TARGET,
        { ...userProfileToWire(userProfileOf(current)) },
        operations,
      );
      checkUserConstraints(identityStoreId, wire);
      const profile = checkUserProfile(userProfileFromWire(wire as WireUserProfile));
      const updated: User = {
        ...profile,
        userId: current.userId,
        identityStoreId: current.identityStoreId,
        status: current.status,
        externalIds: current.externalIds,
        createdAt: current.createdAt,
        createdBy: current.createdBy,
        updatedAt: this.nextUpdatedAt(current.updatedAt),
        updatedBy: scope.principalArn,
      };
      if (await this.repository.replaceUser(updated, current.updatedAt)) return updated;
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw concurrentModification();
    }
  }

  /**
   * Enables or disables the user (the console's Disable user and Enable user; DescribeUser shows it
   * as UserStatus). The portal refuses a disabled user; ending the user's portal sessions is the
   * caller's part (UserLifecycleService does both in one transaction). Setting the status the user
   * already has changes nothing.
   */
  async setUserStatus(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    status: UserStatus,
  ): Promise<User> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.existingUser(scope, identityStoreId, userId);
      if (current.status === status) return current;
      const updated: User = {
        ...current,
        status,
        updatedAt: this.nextUpdatedAt(current.updatedAt),
        updatedBy: scope.principalArn,
      };
      if (await this.repository.replaceUser(updated, current.updatedAt)) return updated;
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw concurrentModification();
    }
  }

  /** Deletes the user and its group memberships. */
  async deleteUser(scope: Scope, identityStoreId: string, userId: string): Promise<void> {
    await this.requireStore(scope, identityStoreId);
    const deleted = await this.uow.transaction(({ identityStore }) =>
      identityStore.deleteUser(identityStoreId, userId),
    );
    if (!deleted) throw userNotFound(userId);
  }

  async listUsers(
    scope: Scope,
    identityStoreId: string,
    request: ListUsersRequest = {},
  ): Promise<Page<User>> {
    const requested = checkExtensionNames(request.extensions);
    const userNameKey = filterKey(request.filter, 'UserName', 'ListUsers');
    const listing = `users:${identityStoreId}`;
    const after = decodePageToken(listing, request.nextToken);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const store = storeScope(scope, identityStoreId);
    const rows = await this.repository.listUsers(store, { after, limit: limit + 1 }, userNameKey);
    // The listing checks ownership itself; only an empty one leaves open whether the store exists.
    if (rows.length === 0) await this.requireStore(scope, identityStoreId);
    const page = toPage(listing, rows, limit, (user) => user.userId);
    return { ...page, items: page.items.map((user) => withRequestedExtensions(user, requested)) };
  }

  /**
   * A page of the store's users in user name order regardless of case (the console's tables); with
   * a `prefix`, those whose user name starts with it in any case.
   */
  async listUsersByName(
    scope: Scope,
    identityStoreId: string,
    request: { prefix?: string; nextToken?: string; limit?: number } = {},
  ): Promise<Page<User>> {
    const prefixKey = lookupKey(request.prefix ?? '');
    const listing = `users-by-name:${identityStoreId}:${prefixKey}`;
    const after = decodePageToken(listing, request.nextToken);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const store = storeScope(scope, identityStoreId);
    const rows = await this.repository.listUsersByName(store, { after, limit: limit + 1 }, prefixKey);
    if (rows.length === 0) await this.requireStore(scope, identityStoreId);
    return toPage(listing, rows, limit, (user) => lookupKey(user.userName));
  }

  /**
   * The user an alternate identifier names: `userName` (any case), `emails.value` (any case), or an
   * external ID. E-mail addresses need not be unique (CreateUser allows duplicates); when several
   * users share the address, the answer would be a guess, so it is a ConflictError instead.
   */
  async getUserId(scope: Scope, identityStoreId: string, identifier: AlternateIdentifier): Promise<string> {
    await this.requireStore(scope, identityStoreId);
    let userId: string | undefined;
    if (identifier.kind === 'externalId') {
      userId = await this.repository.findPrincipalIdByExternalId(
        identityStoreId,
        'USER',
        identifier.externalId,
      );
    } else if (identifier.path === 'userName') {
      const value = uniqueAttributeValue(identifier.path, identifier.value);
      userId = await this.repository.findUserIdByUserName(identityStoreId, lookupKey(value));
    } else if (identifier.path === 'emails.value') {
      const value = uniqueAttributeValue(identifier.path, identifier.value);
      const found = await this.repository.findUserIdsByEmail(identityStoreId, lookupKey(value), 2);
      if (found.length > 1) {
        throw new ConflictError(
          'AMBIGUOUS_EMAIL',
          `More than one user has the e-mail address ${value}; identify the user by userName or an external ID.`,
          { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' },
        );
      }
      userId = found[0];
    } else {
      throw notUniqueAttribute(identifier.path, 'userName or emails.value');
    }
    if (userId === undefined) throw userNotFound();
    return userId;
  }

  // Groups

  async createGroup(scope: Scope, identityStoreId: string, draft: Partial<GroupProfile>): Promise<Group> {
    const profile = checkGroupProfile(draft);
    await this.requireStore(scope, identityStoreId);
    const now = this.clock.now();
    const group: Group = {
      ...profile,
      groupId: ids.directoryObjectId(identityStoreId),
      identityStoreId,
      externalIds: [],
      createdAt: now,
      createdBy: scope.principalArn,
      updatedAt: now,
      updatedBy: scope.principalArn,
    };
    await this.repository.insertGroup(group);
    return group;
  }

  async describeGroup(scope: Scope, identityStoreId: string, groupId: string): Promise<Group> {
    return this.existingGroup(scope, identityStoreId, groupId);
  }

  /** Paths `displayName` (required, unique in any case) and `description`. */
  async updateGroup(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    operations: readonly AttributeOperation[],
  ): Promise<Group> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.existingGroup(scope, identityStoreId, groupId);
      const wire = applyAttributeOperations(
        GROUP_TARGET,
        { ...groupProfileToWire({ displayName: current.displayName, description: current.description }) },
        operations,
      );
      checkGroupConstraints(identityStoreId, wire);
      const profile = checkGroupProfile(groupProfileFromWire(wire as WireGroupProfile));
      const updated: Group = {
        ...profile,
        groupId: current.groupId,
        identityStoreId: current.identityStoreId,
        externalIds: current.externalIds,
        createdAt: current.createdAt,
        createdBy: current.createdBy,
        updatedAt: this.nextUpdatedAt(current.updatedAt),
        updatedBy: scope.principalArn,
      };
      if (await this.repository.replaceGroup(updated, current.updatedAt)) return updated;
      if (attempt >= MAX_UPDATE_ATTEMPTS) throw concurrentModification();
    }
  }

  /** Deletes the group and its memberships. */
  async deleteGroup(scope: Scope, identityStoreId: string, groupId: string): Promise<void> {
    await this.requireStore(scope, identityStoreId);
    const deleted = await this.uow.transaction(({ identityStore }) =>
      identityStore.deleteGroup(identityStoreId, groupId),
    );
    if (!deleted) throw groupNotFound(groupId);
  }

  async listGroups(
    scope: Scope,
    identityStoreId: string,
    request: ListGroupsRequest = {},
  ): Promise<Page<Group>> {
    const displayNameKey = filterKey(request.filter, 'DisplayName', 'ListGroups');
    const listing = `groups:${identityStoreId}`;
    const after = decodePageToken(listing, request.nextToken);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const store = storeScope(scope, identityStoreId);
    const rows = await this.repository.listGroups(store, { after, limit: limit + 1 }, displayNameKey);
    if (rows.length === 0) await this.requireStore(scope, identityStoreId);
    return toPage(listing, rows, limit, (group) => group.groupId);
  }

  /** A page of the store's groups whose display name starts with `prefix` in any case (the console's search). */
  async searchGroupsByNamePrefix(
    scope: Scope,
    identityStoreId: string,
    prefix: string,
    request: PageRequest = {},
  ): Promise<Page<Group>> {
    const listing = `groups-prefix:${identityStoreId}:${lookupKey(prefix)}`;
    const after = decodePageToken(listing, request.nextToken);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const store = storeScope(scope, identityStoreId);
    const rows = await this.repository.listGroupsByNamePrefix(
      store,
      { after, limit: limit + 1 },
      lookupKey(prefix),
    );
    if (rows.length === 0) await this.requireStore(scope, identityStoreId);
    return toPage(listing, rows, limit, (group) => group.groupId);
  }

  /** How many users and groups are directly in each group, from one query; a group without members counts 0. */
  async countGroupMembers(
    scope: Scope,
    identityStoreId: string,
    groupIds: readonly string[],
  ): Promise<Map<string, GroupMemberCount>> {
    await this.requireStore(scope, identityStoreId);
    const counts = await this.repository.countMembersOfGroups(identityStoreId, [...new Set(groupIds)]);
    return new Map(groupIds.map((id) => [id, counts.get(id) ?? { users: 0, groups: 0 }]));
  }

  /** The group named by `displayName` (any case) or by an external ID. */
  async getGroupId(scope: Scope, identityStoreId: string, identifier: AlternateIdentifier): Promise<string> {
    await this.requireStore(scope, identityStoreId);
    let groupId: string | undefined;
    if (identifier.kind === 'externalId') {
      groupId = await this.repository.findPrincipalIdByExternalId(
        identityStoreId,
        'GROUP',
        identifier.externalId,
      );
    } else if (identifier.path === 'displayName') {
      const value = uniqueAttributeValue(identifier.path, identifier.value);
      groupId = await this.repository.findGroupIdByDisplayName(identityStoreId, lookupKey(value));
    } else {
      throw notUniqueAttribute(identifier.path, 'displayName');
    }
    if (groupId === undefined) throw groupNotFound();
    return groupId;
  }

  // Memberships

  /** Makes the user a direct member of the group; both must be in the store. Groups cannot be members. */
  async createGroupMembership(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    userId: string,
  ): Promise<GroupMembership> {
    await this.existingGroup(scope, identityStoreId, groupId);
    await this.existingUser(scope, identityStoreId, userId);
    const now = this.clock.now();
    const membership: GroupMembership = {
      membershipId: ids.directoryObjectId(identityStoreId),
      identityStoreId,
      groupId,
      userId,
      createdAt: now,
      createdBy: scope.principalArn,
      updatedAt: now,
      updatedBy: scope.principalArn,
    };
    await this.repository.insertMembership(membership);
    return membership;
  }

  /**
   * Moves the user from one group to another in one transaction: never in neither group, never in
   * both. The removal comes first; whatever then makes the addition fail (the target group missing,
   * the user already in it) rolls the removal back.
   */
  async moveUserToGroup(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    fromGroupId: string,
    toGroupId: string,
  ): Promise<GroupMembership> {
    if (fromGroupId === toGroupId) {
      throw new ValidationError(
        'The user is already in that group: pick another group to move to.',
        'SAME_GROUP',
      );
    }
    await this.requireStore(scope, identityStoreId);
    const now = this.clock.now();
    const membership: GroupMembership = {
      membershipId: ids.directoryObjectId(identityStoreId),
      identityStoreId,
      groupId: toGroupId,
      userId,
      createdAt: now,
      createdBy: scope.principalArn,
      updatedAt: now,
      updatedBy: scope.principalArn,
    };
    await this.uow.transaction(async ({ identityStore }) => {
      const current = await identityStore.findMembershipId(identityStoreId, fromGroupId, userId);
      if (current === undefined || !(await identityStore.deleteMembership(identityStoreId, current))) {
        throw new NotFoundError(
          'GROUP_MEMBERSHIP_NOT_FOUND',
          `User ${userId} is not a member of group ${fromGroupId}.`,
          { resourceType: 'GROUP_MEMBERSHIP' },
        );
      }
      // The foreign key only knows that a group exists; it must be one of this store.
      if ((await identityStore.findGroup(storeScope(scope, identityStoreId), toGroupId)) === undefined) {
        throw groupNotFound(toGroupId);
      }
      await identityStore.insertMembership(membership);
    });
    return membership;
  }

  async describeGroupMembership(
    scope: Scope,
    identityStoreId: string,
    membershipId: string,
  ): Promise<GroupMembership> {
    const membership = await this.repository.findMembership(storeScope(scope, identityStoreId), membershipId);
    if (membership !== undefined) return membership;
    await this.requireStore(scope, identityStoreId);
    throw membershipNotFound(membershipId);
  }

  async deleteGroupMembership(scope: Scope, identityStoreId: string, membershipId: string): Promise<void> {
    await this.requireStore(scope, identityStoreId);
    if (!(await this.repository.deleteMembership(identityStoreId, membershipId)))
      throw membershipNotFound(membershipId);
  }

  /** The membership of the user in the group; a missing group or user is named as such. */
  async getGroupMembershipId(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    userId: string,
  ): Promise<string> {
    await this.requireStore(scope, identityStoreId);
    const membershipId = await this.repository.findMembershipId(identityStoreId, groupId, userId);
    if (membershipId !== undefined) return membershipId;
    await this.existingGroup(scope, identityStoreId, groupId);
    await this.existingUser(scope, identityStoreId, userId);
    throw membershipNotFound();
  }

  /** The group's user members (direct members only: the API cannot nest groups). */
  async listGroupMemberships(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    request: PageRequest = {},
  ): Promise<Page<GroupMembership>> {
    const listing = `group-memberships:${groupId}`;
    const after = decodePageToken(listing, request.nextToken);
    await this.existingGroup(scope, identityStoreId, groupId);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.listMembershipsOfGroup(groupId, { after, limit: limit + 1 });
    return toPage(listing, rows, limit, (m) => m.membershipId);
  }

  /** The groups the user is a direct member of. */
  async listGroupMembershipsForMember(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    request: PageRequest = {},
  ): Promise<Page<GroupMembership>> {
    const listing = `memberships-of:${userId}`;
    const after = decodePageToken(listing, request.nextToken);
    await this.existingUser(scope, identityStoreId, userId);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.listMembershipsOfUser(userId, { after, limit: limit + 1 });
    return toPage(listing, rows, limit, (m) => m.membershipId);
  }

  /**
   * One answer per requested group, in the order asked, from one query. Direct membership only,
   * as effective access counts it. An unknown user is ResourceNotFound; an unknown group simply
   * has no members.
   */
  async isMemberInGroups(
    scope: Scope,
    identityStoreId: string,
    userId: string,
    groupIds: readonly string[],
  ): Promise<MembershipExistence[]> {
    await this.existingUser(scope, identityStoreId, userId);
    const member = new Set(await this.repository.findGroupIdsWithMember(userId, [...new Set(groupIds)]));
    return groupIds.map((groupId) => ({ groupId, userId, membershipExists: member.has(groupId) }));
  }

  // Nested groups: no AWS operation makes or shows them (CreateGroupMembership takes a UserId only);
  // directory synchronization, SCIM, the console and the admin API do. They never grant access to
  // applications; the access decision reports them.

  /**
   * Puts the group `memberGroupId` inside the group `groupId`. Refuses a group inside itself and
   * any nesting that would close a cycle, also against a concurrent nesting of the same store:
   * the check and the insert run under the store's nesting lock.
   */
  async addGroupToGroup(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    memberGroupId: string,
  ): Promise<NestedGroupMembership> {
    if (groupId === memberGroupId) {
      throw new ValidationError('A group cannot be a member of itself.', 'GROUP_NESTING_CYCLE');
    }
    const group = await this.existingGroup(scope, identityStoreId, groupId);
    const member = await this.existingGroup(scope, identityStoreId, memberGroupId);
    const now = this.clock.now();
    const membership: NestedGroupMembership = {
      membershipId: ids.directoryObjectId(identityStoreId),
      identityStoreId,
      groupId,
      memberGroupId,
      createdAt: now,
      createdBy: scope.principalArn,
      updatedAt: now,
      updatedBy: scope.principalArn,
    };
    await this.uow.transaction(async ({ identityStore }) => {
      await identityStore.lockGroupNesting(identityStoreId);
      if (await identityStore.groupContains(memberGroupId, groupId)) {
        throw new ConflictError(
          'GROUP_NESTING_CYCLE',
          `Group ${group.displayName} is already inside group ${member.displayName}: nesting ${member.displayName} in ${group.displayName} would make a cycle.`,
        );
      }
      await identityStore.insertNestedGroup(membership);
    });
    return membership;
  }

  async removeGroupFromGroup(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    memberGroupId: string,
  ): Promise<void> {
    await this.requireStore(scope, identityStoreId);
    if (!(await this.repository.deleteNestedGroup(identityStoreId, groupId, memberGroupId))) {
      throw membershipNotFound();
    }
  }

  /** The groups the group is directly inside ("member of"), by the containing group's ID. */
  async listGroupsContaining(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    request: PageRequest = {},
  ): Promise<Page<NestedGroupMembership>> {
    const listing = `groups-containing:${groupId}`;
    const after = decodePageToken(listing, request.nextToken);
    await this.existingGroup(scope, identityStoreId, groupId);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.listGroupsContaining(groupId, { after, limit: limit + 1 });
    return toPage(listing, rows, limit, (m) => m.groupId);
  }

  /** The groups directly inside the group (not their members, nor deeper groups). */
  async listNestedGroups(
    scope: Scope,
    identityStoreId: string,
    groupId: string,
    request: PageRequest = {},
  ): Promise<Page<NestedGroupMembership>> {
    const listing = `nested-groups:${groupId}`;
    const after = decodePageToken(listing, request.nextToken);
    await this.existingGroup(scope, identityStoreId, groupId);
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.listNestedGroups(groupId, { after, limit: limit + 1 });
    return toPage(listing, rows, limit, (m) => m.membershipId);
  }

  // External IDs: no AWS operation sets them; directory synchronization (SCIM) will.

  async linkExternalId(
    scope: Scope,
    identityStoreId: string,
    principal: { type: PrincipalType; id: string },
    externalId: ExternalId,
  ): Promise<void> {
    const existing =
      principal.type === 'USER'
        ? await this.existingUser(scope, identityStoreId, principal.id)
        : await this.existingGroup(scope, identityStoreId, principal.id);
    if (existing.externalIds.length >= MAX_EXTERNAL_IDS) {
      throw new LimitExceededError(
        `A ${principal.type.toLowerCase()} can have at most ${MAX_EXTERNAL_IDS} external IDs.`,
      );
    }
    await this.repository.insertExternalId(identityStoreId, principal.type, principal.id, externalId);
  }

  // Names people use: the studio-sso commands and the console name users and groups either way.

  /** The user named by its user name (any case) or, failing that, by its ID. */
  async resolveUser(scope: Scope, identityStoreId: string, userNameOrId: string): Promise<User> {
    await this.requireStore(scope, identityStoreId);
    const byName = await this.repository.findUserIdByUserName(identityStoreId, lookupKey(userNameOrId));
    return this.existingUser(scope, identityStoreId, byName ?? userNameOrId);
  }

  /** The group named by its display name (any case) or, failing that, by its ID. */
  async resolveGroup(scope: Scope, identityStoreId: string, displayNameOrId: string): Promise<Group> {
    await this.requireStore(scope, identityStoreId);
    const byName = await this.repository.findGroupIdByDisplayName(
      identityStoreId,
      lookupKey(displayNameOrId),
    );
    return this.existingGroup(scope, identityStoreId, byName ?? displayNameOrId);
  }

  // Lookups shared by the use cases

  /** The store, if the caller's account owns it in the caller's Region; else IDENTITY_STORE not found. */
  async requireStore(scope: Scope, identityStoreId: string): Promise<IdentityStore> {
    const store = await this.repository.findIdentityStore(identityStoreId);
    if (store === undefined || store.accountId !== scope.accountId || store.region !== scope.region) {
      throw identityStoreNotFound(identityStoreId);
    }
    return store;
  }

  /** One query when the user exists; a second only to tell a missing store from a missing user. */
  private async existingUser(scope: Scope, identityStoreId: string, userId: string): Promise<User> {
    const user = await this.repository.findUser(storeScope(scope, identityStoreId), userId);
    if (user !== undefined) return user;
    await this.requireStore(scope, identityStoreId);
    throw userNotFound(userId);
  }

  private async existingGroup(scope: Scope, identityStoreId: string, groupId: string): Promise<Group> {
    const group = await this.repository.findGroup(storeScope(scope, identityStoreId), groupId);
    if (group !== undefined) return group;
    await this.requireStore(scope, identityStoreId);
    throw groupNotFound(groupId);
  }

  /**
   * Now, but strictly after the previous write: `updated_at` is the compare-and-set version of a
   * row, so two writes in one millisecond must still differ.
   */
  private nextUpdatedAt(previous: Date): Date {
    return new Date(Math.max(this.clock.now().getTime(), previous.getTime() + 1));
  }
}
