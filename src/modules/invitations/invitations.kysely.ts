import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { InvitationsRepository } from './invitations.repository.js';
import type { InvitationsTable } from './invitations.tables.js';
import type { Invitation } from './invitations.types.js';

const optionalDate = (value: number | null): Date | undefined =>
  value === null ? undefined : new Date(value);

const toInvitation = (row: Selectable<InvitationsTable>): Invitation => ({
  invitationId: row.invitation_id,
  userId: row.user_id,
  identityStoreId: row.identity_store_id,
  tokenHash: row.token_hash,
  createdAt: new Date(row.created_at),
  createdBy: row.created_by ?? undefined,
  expiresAt: new Date(row.expires_at),
  acceptedAt: optionalDate(row.accepted_at),
  revokedAt: optionalDate(row.revoked_at),
  revokedReason: (row.revoked_reason as Invitation['revokedReason']) ?? undefined,
  messageId: row.message_id ?? undefined,
});

export class InvitationsKysely implements InvitationsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertInvitation(invitation: Invitation): Promise<void> {
    await this.db
      .insertInto('invitations')
      .values({
        invitation_id: invitation.invitationId,
        user_id: invitation.userId,
        identity_store_id: invitation.identityStoreId,
        token_hash: invitation.tokenHash,
        created_at: invitation.createdAt.getTime(),
        created_by: invitation.createdBy ?? null,
        expires_at: invitation.expiresAt.getTime(),
        accepted_at: invitation.acceptedAt?.getTime() ?? null,
        revoked_at: invitation.revokedAt?.getTime() ?? null,
        revoked_reason: invitation.revokedReason ?? null,
        message_id: invitation.messageId ?? null,
      })
      .execute();
  }

  async findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const row = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toInvitation(row);
  }

  async listInvitationsOfUser(userId: string): Promise<Invitation[]> {
    const rows = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('invitation_id', 'desc')
      .execute();
    return rows.map(toInvitation);
  }

  async listInvitationsOfUsers(userIds: readonly string[]): Promise<Invitation[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('invitations')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .orderBy('created_at', 'desc')
      .orderBy('invitation_id', 'desc')
      .execute();
    return rows.map(toInvitation);
  }

  async acceptInvitation(invitationId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('invitations')
      .set({ accepted_at: now.getTime() })
      .where('invitation_id', '=', invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokePendingInvitations(
    userId: string,
    now: Date,
    reason: 'revoked' | 'replaced',
  ): Promise<string[]> {
    const rows = await this.db
      .updateTable('invitations')
      .set({ revoked_at: now.getTime(), revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning('invitation_id')
      .execute();
    return rows.map((r) => r.invitation_id);
  }
}
