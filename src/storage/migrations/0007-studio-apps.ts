import type { Kysely } from 'kysely';

/**
 * SageMaker Studio apps of user profiles. Portable as 0001. Never edit after it has landed; add a
 * new migration. An app belongs to its profile's row: when a deleted profile's row is purged, its
 * (deleted) apps go with it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('studio_apps')
    .addColumn('domain_id', 'text', (c) => c.notNull())
    .addColumn('profile_name_key', 'text', (c) => c.notNull())
    .addColumn('profile_name', 'text', (c) => c.notNull())
    .addColumn('app_type', 'text', (c) => c.notNull())
    .addColumn('app_name', 'text', (c) => c.notNull())
    .addColumn('resource_spec', 'text')
    .addColumn('tags', 'text')
    // Pending or Deleting, and until when: InService after Pending, Deleted after Deleting.
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('phase_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addPrimaryKeyConstraint('studio_apps_pk', ['domain_id', 'profile_name_key', 'app_type', 'app_name'])
    .addForeignKeyConstraint(
      'studio_apps_profile',
      ['domain_id', 'profile_name_key'],
      'user_profiles',
      ['domain_id', 'name_key'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('studio_apps_created')
    .on('studio_apps')
    .columns(['domain_id', 'created_at'])
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable('studio_apps').ifExists().execute();
};
