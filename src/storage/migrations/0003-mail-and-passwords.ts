import type { Kysely } from 'kysely';

/**
 * Mail (the outbox), e-mail verification, instance settings, passwords, invitations, single-use
 * tokens, e-mailed codes and portal sessions. Portable as 0001: text, integer and bigint columns,
 * timestamps as epoch milliseconds. Secrets (tokens, session IDs, codes) are stored only as hashes.
 * Rows that belong to a user go with the user (ON DELETE CASCADE), however it is deleted. Never
 * edit after it has landed; add 0004.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving schema type
export const up = async (db: Kysely<any>): Promise<void> => {
  await db.schema
    .createTable('mail_messages')
    // Time-ordered: the outbox lists newest first by ID.
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Bodies and link carry a one-time token: cleared once the SMTP server has the message.
    .addColumn('body_text', 'text')
    .addColumn('body_html', 'text')
    .addColumn('link', 'text')
    .addColumn('reference', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  // What the delivery workers poll: only rows with a next attempt are in it by value.
  await db.schema.createIndex('mail_messages_due').on('mail_messages').columns(['next_attempt_at']).execute();
  await db.schema
    .createIndex('mail_messages_state')
    .on('mail_messages')
    .columns(['state', 'message_id'])
    .execute();

  await db.schema
    .createTable('email_verifications')
    .addColumn('verification_id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.account_id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('email_verifications_account')
    .on('email_verifications')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('instance_settings')
    .addColumn('instance_id', 'text', (c) =>
      c.notNull().references('sso_instances.instance_id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('instance_settings_pk', ['instance_id', 'name'])
    .execute();

  await db.schema
    .createTable('user_credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.user_id').onDelete('cascade'))
    // argon2id PHC string.
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .addColumn('set_by', 'text')
    .execute();

  await db.schema
    .createTable('password_history')
    .addColumn('history_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('password_history_user')
    .on('password_history')
    .columns(['user_id', 'set_at'])
    .execute();

  await db.schema
    .createTable('user_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('user_tokens_user').on('user_tokens').columns(['user_id']).execute();

  await db.schema
    .createTable('email_codes')
    .addColumn('challenge_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    // HMAC-SHA256 under the installation's key: a million codes are too few for a plain hash.
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'bigint')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('email_codes_user')
    .on('email_codes')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('invitation_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_reason', 'text')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('invitations_user')
    .on('invitations')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('portal_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('identity_store_id', 'text', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('portal_sessions_user').on('portal_sessions').columns(['user_id']).execute();
};

// biome-ignore lint/suspicious/noExplicitAny: see up()
export const down = async (db: Kysely<any>): Promise<void> => {
  for (const table of [
    'portal_sessions',
    'invitations',
    'email_codes',
    'user_tokens',
    'password_history',
    'user_credentials',
    'instance_settings',
    'email_verifications',
    'mail_messages',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
};
