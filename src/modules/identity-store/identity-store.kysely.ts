import { type CompiledQuery, type Kysely, type Selectable, sql } from 'kysely';
import { bindSlots, slot } from '../../storage/compiled-query.js';
import { onForeignKeyViolation, onUniqueViolation } from '../../storage/constraint-violations.js';
import type { Schema } from '../../storage/schema.js';
import {
  duplicateExternalId,
  duplicateGroupDisplayName,
  duplicateMembership,
  duplicateUserName,
  groupNotFound,
  identityStoreNotFound,
} from './identity-store.errors.js';
import type {
  GroupMemberCount,
  IdentityStoreRepository,
  PageQuery,
  PrincipalType,
  StoreScope,
} from './identity-store.repository.js';
import type { GroupMembershipsTable, GroupsTable, UsersTable } from './identity-store.tables.js';
import {
  type ExternalId,
  type Group,
  type GroupMembership,
  type IdentityStore,
  lookupKey,
  type NestedGroupMembership,
  type User,
  type UserProfile,
  type UserStatus,
} from './identity-store.types.js';

/** What the `attributes` JSON column holds: the profile minus the attributes that have columns. */
type StoredAttributes = Omit<UserProfile, 'userName' | 'displayName'>;

/** A user row with one of its external IDs (or none): the shape of the one-query user reads. */
type UserRow = Selectable<UsersTable> & { ext_issuer: string | null; ext_id: string | null };

const byIssuerAndId = (a: ExternalId, b: ExternalId): number =>
  a.issuer < b.issuer ? -1 : a.issuer > b.issuer ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const toUser = (row: Selectable<UsersTable>, externalIds: ExternalId[]): User => {
  const attributes = JSON.parse(row.attributes) as StoredAttributes;
  return {
    ...attributes,
    userId: row.user_id,
    identityStoreId: row.identity_store_id,
    userName: row.user_name,
    ...(row.display_name === null ? {} : { displayName: row.display_name }),
    status: row.status as UserStatus,
    externalIds,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by ?? undefined,
    updatedAt: new Date(row.updated_at),
    updatedBy: row.updated_by ?? undefined,
  };
};

/** The e-mail address GetUserId's `emails.value` finds the user by: the primary one, else the first. */
const emailKeyOf = (user: UserProfile): string | null => {
  const email = user.emails?.find((e) => e.primary === true) ?? user.emails?.[0];
  return email?.value === undefined ? null : lookupKey(email.value);
};

/** Every column a user's profile decides, for inserts and replacements alike. */
const userColumns = (user: User) => {
  const {
    userId: _userId,
    identityStoreId: _identityStoreId,
    userName,
    displayName,
    status,
    externalIds: _externalIds,
    createdAt: _createdAt,
    createdBy: _createdBy,
    updatedAt,
    updatedBy,
    ...attributes
  } = user;
  const stored: StoredAttributes = attributes;
  return {
    user_name: userName,
    user_name_key: lookupKey(userName),
    display_name: displayName ?? null,
    email_key: emailKeyOf(user),
    attributes: JSON.stringify(stored),
    status,
    updated_at: updatedAt.getTime(),
    updated_by: updatedBy ?? null,
  };
};

/** Users from rows that repeat each user once per external ID, in the rows' order. */
const usersFromRows = (rows: UserRow[]): User[] => {
  const users: User[] = [];
  let current: { row: UserRow; externalIds: ExternalId[] } | undefined;
  const flush = () => {
    if (current !== undefined) users.push(toUser(current.row, current.externalIds.sort(byIssuerAndId)));
  };
  for (const row of rows) {
    if (current?.row.user_id !== row.user_id) {
      flush();
      current = { row, externalIds: [] };
    }
    if (row.ext_issuer !== null && row.ext_id !== null)
      current.externalIds.push({ issuer: row.ext_issuer, id: row.ext_id });
  }
  flush();
  return users;
};

const toGroup = (row: Selectable<GroupsTable>, externalIds: ExternalId[]): Group => ({
  groupId: row.group_id,
  identityStoreId: row.identity_store_id,
  displayName: row.display_name,
  ...(row.description === null ? {} : { description: row.description }),
  externalIds,
  createdAt: new Date(row.created_at),
  createdBy: row.created_by ?? undefined,
  updatedAt: new Date(row.updated_at),
  updatedBy: row.updated_by ?? undefined,
});

const groupColumns = (group: Group) => ({
  display_name: group.displayName,
  display_name_key: lookupKey(group.displayName),
  description: group.description ?? null,
  updated_at: group.updatedAt.getTime(),
  updated_by: group.updatedBy ?? null,
});

const toMembership = (row: Selectable<GroupMembershipsTable>): GroupMembership => ({
  membershipId: row.membership_id,
  identityStoreId: row.identity_store_id,
  groupId: row.group_id,
  // Callers select user memberships only (member_user_id IS NOT NULL).
  userId: row.member_user_id ?? '',
  createdAt: new Date(row.created_at),
  createdBy: row.created_by ?? undefined,
  updatedAt: new Date(row.updated_at),
  updatedBy: row.updated_by ?? undefined,
});

const toNestedGroupMembership = (row: Selectable<GroupMembershipsTable>): NestedGroupMembership => ({
  membershipId: row.membership_id,
  identityStoreId: row.identity_store_id,
  groupId: row.group_id,
  // Callers select nested rows only (member_group_id IS NOT NULL).
  memberGroupId: row.member_group_id ?? '',
  createdAt: new Date(row.created_at),
  createdBy: row.created_by ?? undefined,
  updatedAt: new Date(row.updated_at),
  updatedBy: row.updated_by ?? undefined,
});

/** The identity store on SQLite and PostgreSQL alike: portable SQL only, every read on an index. */
export class IdentityStoreKysely implements IdentityStoreRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findIdentityStore(identityStoreId: string): Promise<IdentityStore | undefined> {
    const row = await this.db
      .selectFrom('identity_stores')
      .selectAll()
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          identityStoreId: row.identity_store_id,
          accountId: row.account_id,
          region: row.region,
          createdAt: new Date(row.created_at),
        };
  }

  // Users

  async insertUser(user: User): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('users')
              .values({
                user_id: user.userId,
                identity_store_id: user.identityStoreId,
                ...userColumns(user),
                created_at: user.createdAt.getTime(),
                created_by: user.createdBy ?? null,
              })
              .execute(),
          duplicateUserName,
        ),
      () => identityStoreNotFound(user.identityStoreId),
    );
  }

  async findUser(store: StoreScope, userId: string): Promise<User | undefined> {
    this.userQueries ??= this.compileUserQueries();
    const { rows } = await this.db.executeQuery(bindSlots(this.userQueries.byId, { ...store, userId }));
    return usersFromRows(rows)[0];
  }

  private userQueries: { byId: CompiledQuery<UserRow>; byName: CompiledQuery<UserRow> } | undefined;

  /**
   * DescribeUser's and ListUsers-by-UserName's queries: one round trip each. The ownership check
   * rides on the store's primary key, and the (usually absent) external IDs on their principal
   * index; a user has at most 10 of them. A name matches at most one user (unique index), so the
   * name query needs no ORDER BY or LIMIT that could tempt a planner into walking the paging
   * index of a million-user store instead.
   */
  private compileUserQueries() {
    const owned = this.db
      .selectFrom('users')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'users.identity_store_id')
      .leftJoin('external_ids', (join) =>
        join
          .onRef('external_ids.principal_id', '=', 'users.user_id')
          .on('external_ids.principal_type', '=', 'USER'),
      )
      .selectAll('users')
      .select(['external_ids.issuer as ext_issuer', 'external_ids.external_id as ext_id'])
      .where('users.identity_store_id', '=', slot('identityStoreId'))
      .where('identity_stores.account_id', '=', slot('accountId'))
      .where('identity_stores.region', '=', slot('region'));
    return {
      byId: owned.where('users.user_id', '=', slot('userId')).compile(),
      byName: owned
        .where('users.user_name_key', '=', slot('userNameKey'))
        .where('users.user_id', '>', slot('after'))
        .compile(),
    };
  }

  async replaceUser(user: User, expectedUpdatedAt: Date): Promise<boolean> {
    const result = await onUniqueViolation(
      () =>
        this.db
          .updateTable('users')
          .set(userColumns(user))
          .where('user_id', '=', user.userId)
          .where('identity_store_id', '=', user.identityStoreId)
          .where('updated_at', '=', expectedUpdatedAt.getTime())
          .executeTakeFirst(),
      duplicateUserName,
    );
    return result.numUpdatedRows > 0n;
  }

  async deleteUser(identityStoreId: string, userId: string): Promise<boolean> {
    await this.deleteExternalIdsOf(identityStoreId, 'USER', userId);
    // Memberships go with the user: ON DELETE CASCADE (SQLite runs with foreign_keys=ON).
    const result = await this.db
      .deleteFrom('users')
      .where('user_id', '=', userId)
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listUsers(store: StoreScope, page: PageQuery, userNameKey?: string): Promise<User[]> {
    if (userNameKey !== undefined) {
      this.userQueries ??= this.compileUserQueries();
      // Every ID is greater than '' in either database's ordering.
      const values = { ...store, userNameKey, after: page.after ?? '' };
      const { rows } = await this.db.executeQuery(bindSlots(this.userQueries.byName, values));
      return usersFromRows(rows).slice(0, page.limit);
    }
    let query = this.db
      .selectFrom('users')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'users.identity_store_id')
      .selectAll('users')
      .where('users.identity_store_id', '=', store.identityStoreId)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region);
    if (page.after !== undefined) query = query.where('users.user_id', '>', page.after);
    const rows = await query.orderBy('users.user_id').limit(page.limit).execute();
    const externalIds = await this.externalIdsOf(
      'USER',
      rows.map((r) => r.user_id),
    );
    return rows.map((row) => toUser(row, externalIds.get(row.user_id) ?? []));
  }

  async listUsersByName(store: StoreScope, page: PageQuery, userNamePrefixKey: string): Promise<User[]> {
    // The (identity_store_id, user_name_key) index gives the order and the keyset: user name keys
    // are unique in a store, so the key alone says where the next page starts.
    let query = this.db
      .selectFrom('users')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'users.identity_store_id')
      .selectAll('users')
      .where('users.identity_store_id', '=', store.identityStoreId)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region);
    if (userNamePrefixKey !== '') {
      const length = [...userNamePrefixKey].length;
      query = query.where(sql<string>`substr(users.user_name_key, 1, ${length})`, '=', userNamePrefixKey);
    }
    if (page.after !== undefined) query = query.where('users.user_name_key', '>', page.after);
    const rows = await query.orderBy('users.user_name_key').limit(page.limit).execute();
    const externalIds = await this.externalIdsOf(
      'USER',
      rows.map((r) => r.user_id),
    );
    return rows.map((row) => toUser(row, externalIds.get(row.user_id) ?? []));
  }

  async findUserIdByUserName(identityStoreId: string, userNameKey: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select('user_id')
      .where('identity_store_id', '=', identityStoreId)
      .where('user_name_key', '=', userNameKey)
      .executeTakeFirst();
    return row?.user_id;
  }

  async findUserIdsByEmail(identityStoreId: string, emailKey: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('user_id')
      .where('identity_store_id', '=', identityStoreId)
      .where('email_key', '=', emailKey)
      .orderBy('user_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.user_id);
  }

  // Groups

  async insertGroup(group: Group): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('groups')
              .values({
                group_id: group.groupId,
                identity_store_id: group.identityStoreId,
                ...groupColumns(group),
                created_at: group.createdAt.getTime(),
                created_by: group.createdBy ?? null,
              })
              .execute(),
          duplicateGroupDisplayName,
        ),
      () => identityStoreNotFound(group.identityStoreId),
    );
  }

  async findGroup(store: StoreScope, groupId: string): Promise<Group | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'groups.identity_store_id')
      .selectAll('groups')
      .where('groups.group_id', '=', groupId)
      .where('groups.identity_store_id', '=', store.identityStoreId)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const externalIds = await this.externalIdsOf('GROUP', [groupId]);
    return toGroup(row, externalIds.get(groupId) ?? []);
  }

  async replaceGroup(group: Group, expectedUpdatedAt: Date): Promise<boolean> {
    const result = await onUniqueViolation(
      () =>
        this.db
          .updateTable('groups')
          .set(groupColumns(group))
          .where('group_id', '=', group.groupId)
          .where('identity_store_id', '=', group.identityStoreId)
          .where('updated_at', '=', expectedUpdatedAt.getTime())
          .executeTakeFirst(),
      duplicateGroupDisplayName,
    );
    return result.numUpdatedRows > 0n;
  }

  async deleteGroup(identityStoreId: string, groupId: string): Promise<boolean> {
    await this.deleteExternalIdsOf(identityStoreId, 'GROUP', groupId);
    const result = await this.db
      .deleteFrom('groups')
      .where('group_id', '=', groupId)
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listGroups(store: StoreScope, page: PageQuery, displayNameKey?: string): Promise<Group[]> {
    let query = this.db
      .selectFrom('groups')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'groups.identity_store_id')
      .selectAll('groups')
      .where('groups.identity_store_id', '=', store.identityStoreId)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region);
    if (page.after !== undefined) query = query.where('groups.group_id', '>', page.after);
    // As for users: the unique display-name index yields at most one row.
    const rows =
      displayNameKey === undefined
        ? await query.orderBy('groups.group_id').limit(page.limit).execute()
        : await query.where('groups.display_name_key', '=', displayNameKey).execute();
    const externalIds = await this.externalIdsOf(
      'GROUP',
      rows.map((r) => r.group_id),
    );
    return rows.map((row) => toGroup(row, externalIds.get(row.group_id) ?? []));
  }

  async findGroupIdByDisplayName(
    identityStoreId: string,
    displayNameKey: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .select('group_id')
      .where('identity_store_id', '=', identityStoreId)
      .where('display_name_key', '=', displayNameKey)
      .executeTakeFirst();
    return row?.group_id;
  }

  async listGroupsByNamePrefix(
    store: StoreScope,
    page: PageQuery,
    displayNamePrefixKey: string,
  ): Promise<Group[]> {
    const length = [...displayNamePrefixKey].length;
    let query = this.db
      .selectFrom('groups')
      .innerJoin('identity_stores', 'identity_stores.identity_store_id', 'groups.identity_store_id')
      .selectAll('groups')
      .where('groups.identity_store_id', '=', store.identityStoreId)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region)
      .where(sql<string>`substr(groups.display_name_key, 1, ${length})`, '=', displayNamePrefixKey);
    if (page.after !== undefined) query = query.where('groups.group_id', '>', page.after);
    const rows = await query.orderBy('groups.group_id').limit(page.limit).execute();
    const externalIds = await this.externalIdsOf(
      'GROUP',
      rows.map((r) => r.group_id),
    );
    return rows.map((row) => toGroup(row, externalIds.get(row.group_id) ?? []));
  }

  async countMembersOfGroups(
    identityStoreId: string,
    groupIds: readonly string[],
  ): Promise<Map<string, GroupMemberCount>> {
    const counts = new Map<string, GroupMemberCount>();
    if (groupIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('group_memberships')
      .select((eb) => [
        'group_id',
        eb.fn.count<number | string>('member_user_id').as('users'),
        eb.fn.count<number | string>('member_group_id').as('groups'),
      ])
      .where('identity_store_id', '=', identityStoreId)
      .where('group_id', 'in', [...groupIds])
      .groupBy('group_id')
      .execute();
    // PostgreSQL counts in bigint, which pg hands over as text.
    for (const row of rows)
      counts.set(row.group_id, { users: Number(row.users), groups: Number(row.groups) });
    return counts;
  }

  // External IDs

  async insertExternalId(
    identityStoreId: string,
    principalType: PrincipalType,
    principalId: string,
    externalId: ExternalId,
  ): Promise<void> {
    await onUniqueViolation(
      () =>
        this.db
          .insertInto('external_ids')
          .values({
            identity_store_id: identityStoreId,
            issuer: externalId.issuer,
            external_id: externalId.id,
            principal_type: principalType,
            principal_id: principalId,
          })
          .execute(),
      duplicateExternalId,
    );
  }

  async findPrincipalIdByExternalId(
    identityStoreId: string,
    principalType: PrincipalType,
    externalId: ExternalId,
  ): Promise<string | undefined> {
    // The join ignores links whose principal is gone (external_ids has no foreign key).
    const query = this.db
      .selectFrom('external_ids')
      .where('external_ids.identity_store_id', '=', identityStoreId)
      .where('external_ids.issuer', '=', externalId.issuer)
      .where('external_ids.external_id', '=', externalId.id)
      .where('external_ids.principal_type', '=', principalType);
    const row =
      principalType === 'USER'
        ? await query
            .innerJoin('users', 'users.user_id', 'external_ids.principal_id')
            .select('users.user_id as id')
            .executeTakeFirst()
        : await query
            .innerJoin('groups', 'groups.group_id', 'external_ids.principal_id')
            .select('groups.group_id as id')
            .executeTakeFirst();
    return row?.id;
  }

  private async externalIdsOf(
    principalType: PrincipalType,
    principalIds: string[],
  ): Promise<Map<string, ExternalId[]>> {
    const byPrincipal = new Map<string, ExternalId[]>();
    if (principalIds.length === 0) return byPrincipal;
    const rows = await this.db
      .selectFrom('external_ids')
      .select(['principal_id', 'issuer', 'external_id'])
      .where('principal_id', 'in', principalIds)
      .where('principal_type', '=', principalType)
      .execute();
    for (const row of rows) {
      const list = byPrincipal.get(row.principal_id) ?? [];
      list.push({ issuer: row.issuer, id: row.external_id });
      byPrincipal.set(row.principal_id, list);
    }
    for (const list of byPrincipal.values()) list.sort(byIssuerAndId);
    return byPrincipal;
  }

  private async deleteExternalIdsOf(
    identityStoreId: string,
    principalType: PrincipalType,
    principalId: string,
  ): Promise<void> {
    await this.db
      .deleteFrom('external_ids')
      .where('principal_id', '=', principalId)
      .where('principal_type', '=', principalType)
      .where('identity_store_id', '=', identityStoreId)
      .execute();
  }

  // Memberships

  async insertMembership(membership: GroupMembership): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('group_memberships')
              .values({
                membership_id: membership.membershipId,
                identity_store_id: membership.identityStoreId,
                group_id: membership.groupId,
                member_user_id: membership.userId,
                member_group_id: null,
                created_at: membership.createdAt.getTime(),
                created_by: membership.createdBy ?? null,
                updated_at: membership.updatedAt.getTime(),
                updated_by: membership.updatedBy ?? null,
              })
              .execute(),
          duplicateMembership,
        ),
      // Which one vanished is not worth a second query in a race this narrow; the group is the
      // membership's parent, so it is named.
      () => groupNotFound(membership.groupId),
    );
  }

  async findMembership(store: StoreScope, membershipId: string): Promise<GroupMembership | undefined> {
    const row = await this.db
      .selectFrom('group_memberships')
      .innerJoin(
        'identity_stores',
        'identity_stores.identity_store_id',
        'group_memberships.identity_store_id',
      )
      .selectAll('group_memberships')
      .where('group_memberships.membership_id', '=', membershipId)
      .where('group_memberships.identity_store_id', '=', store.identityStoreId)
      .where('group_memberships.member_user_id', 'is not', null)
      .where('identity_stores.account_id', '=', store.accountId)
      .where('identity_stores.region', '=', store.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toMembership(row);
  }

  async findMembershipId(
    identityStoreId: string,
    groupId: string,
    userId: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('group_memberships')
      .select('membership_id')
      .where('group_id', '=', groupId)
      .where('member_user_id', '=', userId)
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return row?.membership_id;
  }

  async deleteMembership(identityStoreId: string, membershipId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('group_memberships')
      .where('membership_id', '=', membershipId)
      .where('identity_store_id', '=', identityStoreId)
      .where('member_user_id', 'is not', null)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listMembershipsOfGroup(groupId: string, page: PageQuery): Promise<GroupMembership[]> {
    let query = this.db
      .selectFrom('group_memberships')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('member_user_id', 'is not', null);
    if (page.after !== undefined) query = query.where('membership_id', '>', page.after);
    return (await query.orderBy('membership_id').limit(page.limit).execute()).map(toMembership);
  }

  async listMembershipsOfUser(userId: string, page: PageQuery): Promise<GroupMembership[]> {
    let query = this.db.selectFrom('group_memberships').selectAll().where('member_user_id', '=', userId);
    if (page.after !== undefined) query = query.where('membership_id', '>', page.after);
    return (await query.orderBy('membership_id').limit(page.limit).execute()).map(toMembership);
  }

  async findGroupIdsWithMember(userId: string, groupIds: readonly string[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_memberships')
      .select('group_id')
      .where('member_user_id', '=', userId)
      .where('group_id', 'in', [...groupIds])
      .execute();
    return rows.map((r) => r.group_id);
  }

  // Nested groups

  async lockGroupNesting(identityStoreId: string): Promise<void> {
    // A write that changes nothing: on PostgreSQL it takes the row's lock (held to the end of the
    // transaction, without blocking the foreign-key checks of inserts into the store), on SQLite
    // it takes the database's write lock at once instead of at the insert, after the cycle check.
    await this.db
      .updateTable('identity_stores')
      .set((eb) => ({ created_at: eb.ref('created_at') }))
      .where('identity_store_id', '=', identityStoreId)
      .execute();
  }

  async groupContains(containerId: string, groupId: string): Promise<boolean> {
    if (containerId === groupId) return true;
    // UNION stops at groups already seen, so even a cycle could not make it run forever.
    const { rows } = await sql<{ found: number }>`
      with recursive inside(group_id) as (
        select cast(${containerId} as text)
        union
        select gm.member_group_id
          from inside cross join group_memberships gm
         where gm.group_id = inside.group_id and gm.member_group_id is not null
      )
      select 1 as found from inside where group_id = ${groupId}
    `.execute(this.db);
    return rows.length > 0;
  }

  async insertNestedGroup(membership: NestedGroupMembership): Promise<void> {
    await onForeignKeyViolation(
      () =>
        onUniqueViolation(
          () =>
            this.db
              .insertInto('group_memberships')
              .values({
                membership_id: membership.membershipId,
                identity_store_id: membership.identityStoreId,
                group_id: membership.groupId,
                member_user_id: null,
                member_group_id: membership.memberGroupId,
                created_at: membership.createdAt.getTime(),
                created_by: membership.createdBy ?? null,
                updated_at: membership.updatedAt.getTime(),
                updated_by: membership.updatedBy ?? null,
              })
              .execute(),
          duplicateMembership,
        ),
      () => groupNotFound(membership.groupId),
    );
  }

  async deleteNestedGroup(identityStoreId: string, groupId: string, memberGroupId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('group_memberships')
      .where('group_id', '=', groupId)
      .where('member_group_id', '=', memberGroupId)
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listNestedGroups(groupId: string, page: PageQuery): Promise<NestedGroupMembership[]> {
    let query = this.db
      .selectFrom('group_memberships')
      .selectAll()
      .where('group_id', '=', groupId)
      .where('member_group_id', 'is not', null);
    if (page.after !== undefined) query = query.where('membership_id', '>', page.after);
    return (await query.orderBy('membership_id').limit(page.limit).execute()).map(toNestedGroupMembership);
  }

  async listGroupsContaining(memberGroupId: string, page: PageQuery): Promise<NestedGroupMembership[]> {
    // Ordered by group ID, so the (member_group_id, group_id) nesting index serves it alone.
    let query = this.db
      .selectFrom('group_memberships')
      .selectAll()
      .where('member_group_id', '=', memberGroupId);
    if (page.after !== undefined) query = query.where('group_id', '>', page.after);
    return (await query.orderBy('group_id').limit(page.limit).execute()).map(toNestedGroupMembership);
  }
}
