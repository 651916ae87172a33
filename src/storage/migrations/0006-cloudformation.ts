import type { Kysely } from 'kysely';

/**
 * CloudFormation: stacks, their resources and events, change sets, and the exports and imports
 * between stacks. Portable as 0001: text, integer and bigint columns, timestamps as epoch
 * milliseconds, JSON as text, booleans as 0/1. Never edit after it has landed; add a new migration.
 *
 * A stack row is never removed: a deleted stack stays DELETE_COMPLETE (ListStacks shows it, as
 * AWS's do for 90 days) with `live_name` NULL, so the unique (account, Region, live_name) index lets
 * a new stack take the name while no two live stacks share it.
 *
 * While an operation runs, the stack row holds it (`operation`, `busy` = 1) and a lease
 * (`lease_owner`, `lease_until`): one process at a time works on a stack, and a process that stops
 * leaves its lease to run out, after which another (or the same, restarted) finishes the work.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('cfn_stacks')
    .addColumn('stack_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('live_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('description', 'text')
    .addColumn('template_body', 'text')
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('no_echo', 'text', (c) => c.notNull())
    .addColumn('capabilities', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('outputs', 'text', (c) => c.notNull())
    .addColumn('notification_arns', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text')
    .addColumn('timeout_minutes', 'integer')
    .addColumn('disable_rollback', 'integer', (c) => c.notNull())
    .addColumn('termination_protection', 'integer', (c) => c.notNull())
    .addColumn('change_set_id', 'text')
    .addColumn('operation', 'text')
    .addColumn('busy', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('last_updated_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('cfn_stacks_live_name')
    .on('cfn_stacks')
    .columns(['account_id', 'region', 'live_name'])
    .unique()
    .execute();
  await db.schema
    .createIndex('cfn_stacks_of_account')
    .on('cfn_stacks')
    .columns(['account_id', 'region', 'created_at'])
    .execute();
  await db.schema.createIndex('cfn_stacks_busy').on('cfn_stacks').columns(['busy', 'lease_until']).execute();

  await db.schema
    .createTable('cfn_stack_resources')
    .addColumn('stack_id', 'text', (c) => c.notNull().references('cfn_stacks.stack_id').onDelete('cascade'))
    .addColumn('logical_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('physical_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('deletion_policy', 'text')
    .addColumn('update_replace_policy', 'text')
    .addColumn('metadata', 'text')
    .addColumn('action', 'text')
    .addColumn('previous', 'text')
    .addColumn('delete_requested', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cfn_stack_resources_pk', ['stack_id', 'logical_id'])
    .execute();
  // DescribeStackResources by PhysicalResourceId, and the uniqueness of recorded resources' names.
  await db.schema
    .createIndex('cfn_stack_resources_physical')
    .on('cfn_stack_resources')
    .columns(['physical_id', 'resource_type'])
    .execute();

  await db.schema
    .createTable('cfn_stack_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('stack_id', 'text', (c) => c.notNull().references('cfn_stacks.stack_id').onDelete('cascade'))
    .addColumn('sort_key', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('logical_id', 'text', (c) => c.notNull())
    .addColumn('physical_id', 'text')
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('properties', 'text')
    .addColumn('client_request_token', 'text')
    .execute();
  await db.schema
    .createIndex('cfn_stack_events_of_stack')
    .on('cfn_stack_events')
    .columns(['stack_id', 'sort_key'])
    .execute();

  await db.schema
    .createTable('cfn_change_sets')
    .addColumn('change_set_id', 'text', (c) => c.primaryKey())
    .addColumn('stack_id', 'text', (c) => c.notNull().references('cfn_stacks.stack_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('change_set_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('execution_status', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('template_body', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('parameter_values', 'text', (c) => c.notNull())
    .addColumn('capabilities', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('notification_arns', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text')
    .addColumn('on_stack_failure', 'text')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('cfn_change_sets_name')
    .on('cfn_change_sets')
    .columns(['stack_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('cfn_exports')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('stack_id', 'text', (c) => c.notNull().references('cfn_stacks.stack_id').onDelete('cascade'))
    .addPrimaryKeyConstraint('cfn_exports_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema.createIndex('cfn_exports_of_stack').on('cfn_exports').columns(['stack_id']).execute();

  await db.schema
    .createTable('cfn_imports')
    .addColumn('stack_id', 'text', (c) => c.notNull().references('cfn_stacks.stack_id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('export_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cfn_imports_pk', ['stack_id', 'export_name'])
    .execute();
  await db.schema
    .createIndex('cfn_imports_by_export')
    .on('cfn_imports')
    .columns(['account_id', 'region', 'export_name'])
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  await db.schema.dropTable('cfn_imports').ifExists().execute();
  await db.schema.dropTable('cfn_exports').ifExists().execute();
  await db.schema.dropTable('cfn_change_sets').ifExists().execute();
  await db.schema.dropTable('cfn_stack_events').ifExists().execute();
  await db.schema.dropTable('cfn_stack_resources').ifExists().execute();
  await db.schema.dropTable('cfn_stacks').ifExists().execute();
};
