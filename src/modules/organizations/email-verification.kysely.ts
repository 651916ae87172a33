import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { EmailVerificationRepository } from './email-verification.repository.js';
import type { EmailVerificationsTable } from './email-verification.tables.js';
import type { EmailVerification } from './email-verification.types.js';

const toVerification = (row: Selectable<EmailVerificationsTable>): EmailVerification => ({
  verificationId: row.verification_id,
  tokenHash: row.token_hash,
  accountId: row.account_id,
  email: row.email,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
  usedAt: row.used_at === null ? undefined : new Date(row.used_at),
  revokedAt: row.revoked_at === null ? undefined : new Date(row.revoked_at),
  messageId: row.message_id ?? undefined,
});

export class EmailVerificationKysely implements EmailVerificationRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertVerification(v: EmailVerification): Promise<void> {
    await this.db
      .insertInto('email_verifications')
      .values({
        verification_id: v.verificationId,
        token_hash: v.tokenHash,
        account_id: v.accountId,
        email: v.email,
        created_at: v.createdAt.getTime(),
        expires_at: v.expiresAt.getTime(),
        used_at: v.usedAt?.getTime() ?? null,
        revoked_at: v.revokedAt?.getTime() ?? null,
        message_id: v.messageId ?? null,
      })
      .execute();
  }

  async findVerificationByTokenHash(tokenHash: string): Promise<EmailVerification | undefined> {
    const row = await this.db
      .selectFrom('email_verifications')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toVerification(row);
  }

  async findLatestVerification(accountId: string): Promise<EmailVerification | undefined> {
    const row = await this.db
      .selectFrom('email_verifications')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('verification_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toVerification(row);
  }

  async useVerification(verificationId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('email_verifications')
      .set({ used_at: now.getTime() })
      .where('verification_id', '=', verificationId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeOpenVerifications(accountId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('email_verifications')
      .set({ revoked_at: now.getTime() })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
