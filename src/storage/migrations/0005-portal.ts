import type { Kysely } from 'kysely';

/**
 * The access portal: authenticator apps (TOTP) and their recovery codes, and the counters that
 * lock a user name or throttle an address after repeated failed sign-ins. Portable as 0001: text,
 * integer and bigint columns, timestamps as epoch milliseconds. Never edit after it has landed; add
 * a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('mfa_devices')
    // One authenticator per user: registering anew replaces a pending one, never an active one.
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.user_id').onDelete('cascade'))
    // The TOTP secret, AES-256-GCM under a key derived from the installation key (it must be read
    // back to compute codes, so it cannot be hashed).
    .addColumn('secret', 'text', (c) => c.notNull())
    // pending (shown, not yet confirmed with a code) | active.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    // The last time step whose code was accepted: a code is accepted once, and never an older one.
    .addColumn('last_time_step', 'bigint')
    .execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    // HMAC-SHA256 under the installation key, of the user ID and the code.
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('mfa_recovery_codes_user')
    .on('mfa_recovery_codes')
    .columns(['user_id'])
    .execute();

  await db.schema
    .createTable('sign_in_attempts')
    // `user:<identity store>:<user name key>` or `address:<IP>`: user names that do not exist are
    // counted like those that do, so a lockout never tells which names exist.
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_window')
    .on('sign_in_attempts')
    .columns(['window_started_at'])
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  for (const table of ['sign_in_attempts', 'mfa_recovery_codes', 'mfa_devices']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
};
