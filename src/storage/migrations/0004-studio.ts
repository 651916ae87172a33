import type { Kysely } from 'kysely';

/**
 * SageMaker Studio domains, their user profiles, and the single-use tokens of presigned domain
 * URLs. Portable as 0001: text, integer and bigint columns, timestamps as epoch milliseconds, JSON
 * as text. Never edit after it has landed; add a new migration.
 *
 * Status is not stored as such: a row keeps its last lifecycle phase (Pending, Updating, Deleting)
 * and until when it lasts; after that the resource is InService, or gone for Deleting. So the
 * lifecycle needs no background job and is the same on every process that shares the database.
 *
 * References, and why:
 * - A domain's managed application (`application_id`) is removed by DeleteDomain itself. If the
 *   application disappears otherwise (its Identity Center instance is deleted), the domain stays
 *   and loses its SSO link: ON DELETE SET NULL, so deleting an instance is never blocked by, nor
 *   fails on, a SageMaker domain.
 * - A profile's SSO user (`sso_user_id`): AWS keeps a user profile when its Identity Center user
 *   is deleted. So does this: ON DELETE SET NULL. The profile keeps the user name it was created
 *   for (`sso_user_value`) but belongs to no user any more; a new user of the same name is another
 *   person and may get a profile of their own.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('domains')
    .addColumn('domain_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('auth_mode', 'text', (c) => c.notNull())
    // DefaultUserSettings, DomainSettings, DefaultSpaceSettings, VpcId, SubnetIds, Tags, … as given.
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) =>
      c.references('applications.application_id').onDelete('set null'),
    )
    .addColumn('home_efs_file_system_id', 'text', (c) => c.notNull())
    // The last HomeEfsFileSystemUid handed out; incrementing it also locks the domain's row, which
    // orders a profile creation against a concurrent DeleteDomain.
    .addColumn('last_home_uid', 'bigint', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('phase_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('domains_of_account')
    .on('domains')
    .columns(['account_id', 'region', 'domain_id'])
    .execute();
  await db.schema.createIndex('domains_phase').on('domains').columns(['phase', 'phase_until']).execute();
  await db.schema.createIndex('domains_application').on('domains').columns(['application_id']).execute();

  await db.schema
    .createTable('user_profiles')
    .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.domain_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // UserProfileName is not case sensitive: the lower-cased name is the key.
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('sso_user_id', 'text', (c) => c.references('users.user_id').onDelete('set null'))
    .addColumn('sso_user_value', 'text')
    .addColumn('home_efs_uid', 'text', (c) => c.notNull())
    // UserSettings and Tags as given.
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('phase_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_profiles_pk', ['domain_id', 'name_key'])
    .execute();
  // One profile per SSO user and domain; NULLs (IAM profiles, deleted users) never collide.
  await db.schema
    .createIndex('user_profiles_sso_user')
    .on('user_profiles')
    .columns(['domain_id', 'sso_user_id'])
    .unique()
    .execute();
  await db.schema.createIndex('user_profiles_by_user').on('user_profiles').columns(['sso_user_id']).execute();
  await db.schema
    .createIndex('user_profiles_phase')
    .on('user_profiles')
    .columns(['phase', 'phase_until'])
    .execute();
  await db.schema
    .createIndex('user_profiles_created')
    .on('user_profiles')
    .columns(['domain_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('studio_presigned_urls')
    // SHA-256 of the token: the token itself is only in the URL handed to the caller.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addColumn('profile_name_key', 'text', (c) => c.notNull())
    .addColumn('session_seconds', 'integer', (c) => c.notNull())
    .addColumn('space_name', 'text')
    .addColumn('landing_uri', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addForeignKeyConstraint(
      'studio_presigned_urls_profile',
      ['domain_id', 'profile_name_key'],
      'user_profiles',
      ['domain_id', 'name_key'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('studio_presigned_urls_profile')
    .on('studio_presigned_urls')
    .columns(['domain_id', 'profile_name_key'])
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable('studio_presigned_urls').ifExists().execute();
  await db.schema.dropTable('user_profiles').ifExists().execute();
  await db.schema.dropTable('domains').ifExists().execute();
};
