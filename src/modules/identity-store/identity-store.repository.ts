import type {
  ExternalId,
  Group,
  GroupMembership,
  IdentityStore,
  NestedGroupMembership,
  User,
} from './identity-store.types.js';

/**
 * An identity store as a caller names it. Reads that take one find the object only when the store
 * belongs to that account and Region, in the same query (no separate ownership look-up).
 */
export interface StoreScope {
  identityStoreId: string;
  accountId: string;
  region: string;
}

export type PrincipalType = 'USER' | 'GROUP';

/** How many users and groups are direct members of a group. */
export interface GroupMemberCount {
  users: number;
  groups: number;
}

export interface PageQuery {
  /** Sort key (ID) of the last item already returned. */
  after?: string;
  limit: number;
}

/**
 * Storage port of the identity store. Uniqueness (user names, group display names, memberships)
 * is decided by the database's unique indexes: inserts and updates that break one throw the core's
 * ConflictError, never a driver error. IDs are compared exactly; `*Key` arguments are the
 * lower-cased values the case-insensitive indexes hold (see `lookupKey`).
 *
 * Writes that replace an object are compare-and-set on `updatedAt`: every write moves a row's
 * `updated_at` strictly forward, so an unchanged `updated_at` means nobody wrote in between.
 */
export interface IdentityStoreRepository {
  findIdentityStore(identityStoreId: string): Promise<IdentityStore | undefined>;

  /** Throws ConflictError USER_NAME_EXISTS when the store has the user name in any case. */
  insertUser(user: User): Promise<void>;
  /** The user with its external IDs, in one query. */
  findUser(store: StoreScope, userId: string): Promise<User | undefined>;
  /** Replaces every attribute of the user unless it changed since `expectedUpdatedAt`; false then (or when gone). */
  replaceUser(user: User, expectedUpdatedAt: Date): Promise<boolean>;
  /** Deletes the user, its memberships (cascade) and its external IDs; false when there was none. Run in a transaction. */
  deleteUser(identityStoreId: string, userId: string): Promise<boolean>;
  /**
   * Users of the store ordered by ID, with their external IDs; `userNameKey` narrows to the one
   * user with that name (in one query). Empty when the store is not the caller's.
   */
  listUsers(store: StoreScope, page: PageQuery, userNameKey?: string): Promise<User[]>;
  /**
   * Users of the store in user name order regardless of case: by user name key, after the key
   * `page.after`; with a non-empty `userNamePrefixKey`, only those whose key starts with it.
   */
  listUsersByName(store: StoreScope, page: PageQuery, userNamePrefixKey: string): Promise<User[]>;
  findUserIdByUserName(identityStoreId: string, userNameKey: string): Promise<string | undefined>;
  /** Up to `limit` IDs of users with that e-mail address, ordered by ID (e-mail addresses need not be unique). */
  findUserIdsByEmail(identityStoreId: string, emailKey: string, limit: number): Promise<string[]>;

  /** Throws ConflictError GROUP_DISPLAY_NAME_EXISTS when the store has the display name in any case. */
  insertGroup(group: Group): Promise<void>;
  findGroup(store: StoreScope, groupId: string): Promise<Group | undefined>;
  replaceGroup(group: Group, expectedUpdatedAt: Date): Promise<boolean>;
  /** Deletes the group, its memberships (cascade) and its external IDs. Run in a transaction. */
  deleteGroup(identityStoreId: string, groupId: string): Promise<boolean>;
  /** Groups of the store ordered by ID; empty when the store is not the caller's. */
  listGroups(store: StoreScope, page: PageQuery, displayNameKey?: string): Promise<Group[]>;
  findGroupIdByDisplayName(identityStoreId: string, displayNameKey: string): Promise<string | undefined>;
  /** Groups of the store whose display name key starts with `displayNamePrefixKey`, ordered by ID (the console's search). */
  listGroupsByNamePrefix(store: StoreScope, page: PageQuery, displayNamePrefixKey: string): Promise<Group[]>;
  /** The direct members of each of the store's groups, counted in one query; groups without any are absent. */
  countMembersOfGroups(
    identityStoreId: string,
    groupIds: readonly string[],
  ): Promise<Map<string, GroupMemberCount>>;

  /** Links an external identity provider's ID to a user or group; ConflictError when the ID is taken. */
  insertExternalId(
    identityStoreId: string,
    principalType: PrincipalType,
    principalId: string,
    externalId: ExternalId,
  ): Promise<void>;
  /** The user or group (still existing) that the external ID names. */
  findPrincipalIdByExternalId(
    identityStoreId: string,
    principalType: PrincipalType,
    externalId: ExternalId,
  ): Promise<string | undefined>;

  /**
   * Throws ConflictError MEMBERSHIP_EXISTS when the user is already a direct member, and
   * NotFoundError when the group or the user was deleted meanwhile.
   */
  insertMembership(membership: GroupMembership): Promise<void>;
  /** A user membership (rows of nested group members are not memberships of the AWS API). */
  findMembership(store: StoreScope, membershipId: string): Promise<GroupMembership | undefined>;
  findMembershipId(identityStoreId: string, groupId: string, userId: string): Promise<string | undefined>;
  deleteMembership(identityStoreId: string, membershipId: string): Promise<boolean>;
  /** User memberships of the group, ordered by membership ID. */
  listMembershipsOfGroup(groupId: string, page: PageQuery): Promise<GroupMembership[]>;
  /** Direct group memberships of the user, ordered by membership ID. */
  listMembershipsOfUser(userId: string, page: PageQuery): Promise<GroupMembership[]>;
  /** Which of `groupIds` the user is a direct member of, in one query. */
  findGroupIdsWithMember(userId: string, groupIds: readonly string[]): Promise<string[]>;

  /**
   * Serializes changes to the store's group nesting until the transaction ends: a lock on the
   * store's row on PostgreSQL, the database's write lock on SQLite. Two concurrent nestings that
   * would close a cycle together then see each other. Run in a transaction.
   */
  lockGroupNesting(identityStoreId: string): Promise<void>;
  /** Whether `groupId` is `containerId` or nested in it at any depth (one recursive query). */
  groupContains(containerId: string, groupId: string): Promise<boolean>;
  /** Throws ConflictError MEMBERSHIP_EXISTS when already nested, NotFoundError when a group is gone. */
  insertNestedGroup(membership: NestedGroupMembership): Promise<void>;
  deleteNestedGroup(identityStoreId: string, groupId: string, memberGroupId: string): Promise<boolean>;
  /** The groups directly inside the group, ordered by membership ID. */
  listNestedGroups(groupId: string, page: PageQuery): Promise<NestedGroupMembership[]>;
  /** The groups the group is directly inside (the other way round), ordered by the containing group's ID. */
  listGroupsContaining(memberGroupId: string, page: PageQuery): Promise<NestedGroupMembership[]>;
}
