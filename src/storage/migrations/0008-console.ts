import type { Kysely } from 'kysely';

/**
 * The console: the root admin's password, the one-time setup links that set it, and console
 * sessions (separate from the access portal's). Portable as 0001: text and bigint columns,
 * timestamps as epoch milliseconds. Never edit after it has landed; add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('console_admins')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    // argon2id PHC string.
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_set_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('console_setup_tokens')
    // SHA-256 of the token in the link; the token itself is never stored.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  for (const table of ['console_sessions', 'console_setup_tokens', 'console_admins']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
};
