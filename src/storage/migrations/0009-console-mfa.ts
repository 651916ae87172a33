import type { Kysely } from 'kysely';

/**
 * The console root admin's MFA: an authenticator app (TOTP) with recovery codes, kept apart from
 * the access portal's tables (whose rows belong to identity-store users), and the short-lived
 * ticket between the password step and the MFA code step of a console sign-in. Portable as 0001:
 * text and bigint columns, timestamps as epoch milliseconds. Never edit after it has landed; add
 * a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('console_mfa_devices')
    // The shape of the portal's mfa_devices, so the portal's MFA repository serves it too: its
    // "user" is the root's account ID. One authenticator per root account; registering anew
    // replaces a pending one, never an active one.
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    // The TOTP secret, AES-256-GCM under a key derived from the installation key.
    .addColumn('secret', 'text', (c) => c.notNull())
    // pending (shown, not yet confirmed with a code) | active.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    // The last time step whose code was accepted: a code is accepted once, and never an older one.
    .addColumn('last_time_step', 'bigint')
    .execute();

  await db.schema
    .createTable('console_mfa_recovery_codes')
    // HMAC-SHA256 under the installation key, of the account ID and the code.
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    // The root's account ID, under the portal table's column name (as above).
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('console_mfa_recovery_codes_account')
    .on('console_mfa_recovery_codes')
    .columns(['user_id'])
    .execute();

  await db.schema
    .createTable('console_sign_in_tickets')
    // SHA-256 of the ticket the MFA step's form carries; the ticket itself is never stored.
    .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  for (const table of ['console_sign_in_tickets', 'console_mfa_recovery_codes', 'console_mfa_devices']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
};
