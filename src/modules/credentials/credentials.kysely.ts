import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { CredentialsRepository } from './credentials.repository.js';
import type { EmailCodesTable, UserCredentialsTable, UserTokensTable } from './credentials.tables.js';
import type { Credential, EmailCode, PasswordKind, TokenPurpose, UserToken } from './credentials.types.js';

const optionalDate = (value: number | null): Date | undefined =>
  value === null ? undefined : new Date(value);

const toCredential = (row: Selectable<UserCredentialsTable>): Credential => ({
  userId: row.user_id,
  passwordHash: row.password_hash,
  kind: row.kind as PasswordKind,
  expiresAt: optionalDate(row.expires_at),
  setAt: new Date(row.set_at),
  setBy: row.set_by ?? undefined,
});

const toToken = (row: Selectable<UserTokensTable>): UserToken => ({
  tokenHash: row.token_hash,
  purpose: row.purpose as TokenPurpose,
  userId: row.user_id,
  identityStoreId: row.identity_store_id,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  usedAt: optionalDate(row.used_at),
});

const toEmailCode = (row: Selectable<EmailCodesTable>): EmailCode => ({
  challengeId: row.challenge_id,
  userId: row.user_id,
  identityStoreId: row.identity_store_id,
  codeHash: row.code_hash,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  attempts: row.attempts,
  usedAt: optionalDate(row.used_at),
  messageId: row.message_id ?? undefined,
});

export class CredentialsKysely implements CredentialsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findCredential(userId: string): Promise<Credential | undefined> {
    const row = await this.db
      .selectFrom('user_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row === undefined ? undefined : toCredential(row);
  }

  async findCredentials(userIds: readonly string[]): Promise<Credential[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('user_credentials')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .execute();
    return rows.map(toCredential);
  }

  async saveCredential(credential: Credential): Promise<void> {
    const values = {
      password_hash: credential.passwordHash,
      kind: credential.kind,
      expires_at: credential.expiresAt?.getTime() ?? null,
      set_at: credential.setAt.getTime(),
      set_by: credential.setBy ?? null,
    };
    await this.db
      .insertInto('user_credentials')
      .values({ user_id: credential.userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  async appendPasswordHistory(userId: string, passwordHash: string, at: Date, keep: number): Promise<void> {
    await this.db
      .insertInto('password_history')
      .values({
        history_id: randomUUID(),
        user_id: userId,
        password_hash: passwordHash,
        set_at: at.getTime(),
      })
      .execute();
    const kept = this.db
      .selectFrom('password_history')
      .select('history_id')
      .where('user_id', '=', userId)
      .orderBy('set_at', 'desc')
      .orderBy('history_id', 'desc')
      .limit(keep);
    await this.db
      .deleteFrom('password_history')
      .where('user_id', '=', userId)
      .where('history_id', 'not in', kept)
      .execute();
  }

  async listPasswordHistory(userId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', userId)
      .orderBy('set_at', 'desc')
      .orderBy('history_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.password_hash);
  }

  async insertToken(token: UserToken): Promise<void> {
    await this.db
      .insertInto('user_tokens')
      .values({
        token_hash: token.tokenHash,
        purpose: token.purpose,
        user_id: token.userId,
        identity_store_id: token.identityStoreId,
        created_at: token.createdAt.getTime(),
        expires_at: token.expiresAt.getTime(),
        used_at: token.usedAt?.getTime() ?? null,
      })
      .execute();
  }

  async useToken(tokenHash: string, purpose: TokenPurpose, now: Date): Promise<UserToken | undefined> {
    const row = await this.db
      .updateTable('user_tokens')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  async findToken(tokenHash: string): Promise<UserToken | undefined> {
    const row = await this.db
      .selectFrom('user_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toToken(row);
  }

  async revokeTokens(userId: string, purpose: TokenPurpose, now: Date): Promise<number> {
    const result = await this.db
      .updateTable('user_tokens')
      .set({ used_at: now.getTime() })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async insertEmailCode(code: EmailCode): Promise<void> {
    await this.db
      .insertInto('email_codes')
      .values({
        challenge_id: code.challengeId,
        user_id: code.userId,
        identity_store_id: code.identityStoreId,
        code_hash: code.codeHash,
        created_at: code.createdAt.getTime(),
        expires_at: code.expiresAt.getTime(),
        attempts: code.attempts,
        used_at: code.usedAt?.getTime() ?? null,
        message_id: code.messageId ?? null,
      })
      .execute();
  }

  async findEmailCode(challengeId: string): Promise<EmailCode | undefined> {
    const row = await this.db
      .selectFrom('email_codes')
      .selectAll()
      .where('challenge_id', '=', challengeId)
      .executeTakeFirst();
    return row === undefined ? undefined : toEmailCode(row);
  }

  async findLatestEmailCode(userId: string): Promise<EmailCode | undefined> {
    const row = await this.db
      .selectFrom('email_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toEmailCode(row);
  }

  async countEmailCodeAttempt(
    challengeId: string,
    now: Date,
    maxAttempts: number,
  ): Promise<EmailCode | undefined> {
    const row = await this.db
      .updateTable('email_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('challenge_id', '=', challengeId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .where('attempts', '<', maxAttempts)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toEmailCode(row);
  }

  async useEmailCode(challengeId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('email_codes')
      .set({ used_at: now.getTime() })
      .where('challenge_id', '=', challengeId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
