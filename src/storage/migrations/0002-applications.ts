import { type Kysely, sql } from 'kysely';

/**
 * IAM Identity Center applications and their assignments. Portable as 0001: text, integer and
 * bigint columns, timestamps as epoch milliseconds, booleans as 0/1, JSON as text.
 *
 * Assignments name their principal twice: `principal_id` is the one sort key ListApplicationAssignments
 * pages by, and exactly one of `user_id`/`group_id` holds the same ID with a foreign key, so that
 * deleting a user or a group deletes its assignments in the database itself, on both dialects and
 * whichever way in (API, SCIM, console) deleted it. Also two covering indexes on group_memberships
 * for the access decision. Never edit after it has landed; add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('applications')
    .addColumn('application_id', 'text', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) =>
      c.notNull().references('sso_instances.instance_id').onDelete('cascade'),
    )
    // The account that owns the application (ApplicationAccount) and the Region it lives in.
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('application_provider_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('portal_options', 'text')
    // AWS's default: only assigned principals may use a new application.
    .addColumn('assignment_required', 'integer', (c) => c.notNull().defaultTo(1))
    // NULL for customer-managed applications; the managing service (e.g. 'sagemaker') otherwise.
    .addColumn('managed_by', 'text')
    .addColumn('client_token', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('applications_page')
    .on('applications')
    .columns(['instance_id', 'application_id'])
    .execute();
  // CreateApplication's idempotency token; NULLs never collide in either dialect.
  await db.schema
    .createIndex('applications_client_token')
    .on('applications')
    .columns(['instance_id', 'client_token'])
    .unique()
    .execute();

  await db.schema
    .createTable('application_assignments')
    .addColumn('application_id', 'text', (c) =>
      c.notNull().references('applications.application_id').onDelete('cascade'),
    )
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.user_id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.references('groups.group_id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    // The assignments of one application, in ListApplicationAssignments' order.
    .addPrimaryKeyConstraint('application_assignments_pk', ['application_id', 'principal_id'])
    .addCheckConstraint(
      'application_assignments_one_principal',
      sql`(user_id is null) <> (group_id is null) and principal_id = coalesce(user_id, group_id)`,
    )
    .execute();
  // One assignment per application and principal, and the assignments of a principal.
  await db.schema
    .createIndex('application_assignments_user')
    .on('application_assignments')
    .columns(['user_id', 'application_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('application_assignments_group')
    .on('application_assignments')
    .columns(['group_id', 'application_id'])
    .unique()
    .execute();

  // The access decision reads a user's direct groups, and the groups above a group, from these
  // indexes alone (no table lookups): a user in a thousand groups is answered in well under a
  // millisecond. The nesting index supersedes 0001's index on member_group_id alone.
  await db.schema
    .createIndex('group_memberships_user_groups')
    .on('group_memberships')
    .columns(['member_user_id', 'group_id'])
    .execute();
  await db.schema
    .createIndex('group_memberships_nesting')
    .on('group_memberships')
    .columns(['member_group_id', 'group_id'])
    .execute();
  await db.schema.dropIndex('group_memberships_by_member_group').execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createIndex('group_memberships_by_member_group')
    .on('group_memberships')
    .columns(['member_group_id'])
    .execute();
  await db.schema.dropIndex('group_memberships_nesting').ifExists().execute();
  await db.schema.dropIndex('group_memberships_user_groups').ifExists().execute();
  await db.schema.dropTable('application_assignments').ifExists().execute();
  await db.schema.dropTable('applications').ifExists().execute();
};
