import type { Kysely } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { AuthMethod, PortalSession } from './sessions.types.js';

export class SessionsKysely implements SessionsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async insertSession(session: PortalSession): Promise<void> {
    await this.db
      .insertInto('portal_sessions')
      .values({
        session_hash: session.sessionHash,
        user_id: session.userId,
        identity_store_id: session.identityStoreId,
        auth_method: session.authMethod,
        created_at: session.createdAt.getTime(),
        expires_at: session.expiresAt.getTime(),
        last_seen_at: session.lastSeenAt.getTime(),
        ended_at: session.endedAt?.getTime() ?? null,
      })
      .execute();
  }

  async findSession(sessionHash: string): Promise<PortalSession | undefined> {
    const row = await this.db
      .selectFrom('portal_sessions')
      .selectAll()
      .where('session_hash', '=', sessionHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      sessionHash: row.session_hash,
      userId: row.user_id,
      identityStoreId: row.identity_store_id,
      authMethod: row.auth_method as AuthMethod,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      lastSeenAt: new Date(row.last_seen_at),
      endedAt: row.ended_at === null ? undefined : new Date(row.ended_at),
    };
  }

  async touchSession(sessionHash: string, at: Date): Promise<void> {
    await this.db
      .updateTable('portal_sessions')
      .set({ last_seen_at: at.getTime() })
      .where('session_hash', '=', sessionHash)
      .execute();
  }

  async endSession(sessionHash: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('portal_sessions')
      .set({ ended_at: at.getTime() })
      .where('session_hash', '=', sessionHash)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async endSessionsOfUser(userId: string, at: Date): Promise<number> {
    const result = await this.db
      .updateTable('portal_sessions')
      .set({ ended_at: at.getTime() })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', at.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
