import type { Kysely } from 'kysely';

/**
 * Accounts, access keys, organizations, Identity Center instances and the identity store.
 * Written once for SQLite and PostgreSQL: only portable column types (text, integer, bigint),
 * timestamps as epoch milliseconds, booleans as 0/1. Never edit after it has landed; add 0002.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'bigint')
    .addColumn('organization_id', 'text')
    .addColumn('joined_method', 'text')
    .addColumn('joined_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    // Kept as given: SigV4 verification needs the secret itself (AWS keeps it too), never a hash.
    .addColumn('secret_access_key', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('principal_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organizations')
    .addColumn('organization_id', 'text', (c) => c.primaryKey())
    .addColumn('management_account_id', 'text', (c) => c.notNull().unique().references('accounts.account_id'))
    .addColumn('feature_set', 'text', (c) => c.notNull())
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sso_instances')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    // One instance per account across all regions, and one organization instance per organization.
    .addColumn('owner_account_id', 'text', (c) => c.notNull().unique().references('accounts.account_id'))
    .addColumn('organization_id', 'text', (c) => c.unique())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('identity_store_id', 'text', (c) => c.notNull().unique())
    // CreateInstance's idempotency token: a retried call returns the instance it already made.
    .addColumn('client_token', 'text')
    .addColumn('kms_key_type', 'text', (c) => c.notNull())
    .addColumn('kms_key_arn', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('identity_stores')
    .addColumn('identity_store_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_store_id', 'text', (c) =>
      c.notNull().references('identity_stores.identity_store_id').onDelete('cascade'),
    )
    .addColumn('user_name', 'text', (c) => c.notNull())
    // Lower-cased user name: UserName is unique regardless of case (SCIM's caseExact=false).
    .addColumn('user_name_key', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('email_key', 'text')
    // Every other SCIM-shaped attribute (Name, Emails, Addresses, …) as one JSON document.
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createIndex('users_user_name_key')
    .on('users')
    .columns(['identity_store_id', 'user_name_key'])
    .unique()
    .execute();
  await db.schema.createIndex('users_page').on('users').columns(['identity_store_id', 'user_id']).execute();
  await db.schema
    .createIndex('users_email_key')
    .on('users')
    .columns(['identity_store_id', 'email_key'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('group_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_store_id', 'text', (c) =>
      c.notNull().references('identity_stores.identity_store_id').onDelete('cascade'),
    )
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createIndex('groups_display_name_key')
    .on('groups')
    .columns(['identity_store_id', 'display_name_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('groups_page')
    .on('groups')
    .columns(['identity_store_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('group_memberships')
    .addColumn('membership_id', 'text', (c) => c.primaryKey())
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.group_id').onDelete('cascade'))
    .addColumn('member_user_id', 'text', (c) => c.references('users.user_id').onDelete('cascade'))
    // Nested groups (from directories and SCIM); AWS's CreateGroupMembership cannot make them.
    .addColumn('member_group_id', 'text', (c) => c.references('groups.group_id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createIndex('group_memberships_user')
    .on('group_memberships')
    .columns(['group_id', 'member_user_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('group_memberships_group')
    .on('group_memberships')
    .columns(['group_id', 'member_group_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('group_memberships_by_user')
    .on('group_memberships')
    .columns(['member_user_id', 'membership_id'])
    .execute();
  await db.schema
    .createIndex('group_memberships_by_member_group')
    .on('group_memberships')
    .columns(['member_group_id'])
    .execute();
  await db.schema
    .createIndex('group_memberships_page')
    .on('group_memberships')
    .columns(['group_id', 'membership_id'])
    .execute();

  await db.schema
    .createTable('external_ids')
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_ids_pk', ['identity_store_id', 'issuer', 'external_id'])
    .execute();
  await db.schema
    .createIndex('external_ids_principal')
    .on('external_ids')
    .columns(['principal_id'])
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  for (const table of [
    'external_ids',
    'group_memberships',
    'groups',
    'users',
    'identity_stores',
    'sso_instances',
    'organizations',
    'access_keys',
    'accounts',
    'settings',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
};
