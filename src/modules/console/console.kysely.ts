import type { Kysely } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { ConsoleRepository, ConsoleSessionRecord } from './console.repository.js';

export class ConsoleKysely implements ConsoleRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findPasswordHash(accountId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('console_admins')
      .select('password_hash')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row?.password_hash;
  }

  async savePasswordHash(accountId: string, passwordHash: string, at: Date): Promise<void> {
    await this.db
      .insertInto('console_admins')
      .values({ account_id: accountId, password_hash: passwordHash, password_set_at: at.getTime() })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ password_hash: passwordHash, password_set_at: at.getTime() }),
      )
      .execute();
  }

  async retireSetupTokens(accountId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('console_setup_tokens')
      .set({ used_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .execute();
  }

  async insertSetupToken(
    tokenHash: string,
    accountId: string,
    createdAt: Date,
    expiresAt: Date,
  ): Promise<void> {
    await this.db
      .insertInto('console_setup_tokens')
      .values({
        token_hash: tokenHash,
        account_id: accountId,
        created_at: createdAt.getTime(),
        expires_at: expiresAt.getTime(),
        used_at: null,
      })
      .execute();
  }

  async findLiveSetupToken(tokenHash: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('console_setup_tokens')
      .select('account_id')
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    return row?.account_id;
  }

  async useSetupToken(tokenHash: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('console_setup_tokens')
      .set({ used_at: at.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertSession(session: ConsoleSessionRecord): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        session_hash: session.sessionHash,
        account_id: session.accountId,
        created_at: session.createdAt.getTime(),
        expires_at: session.expiresAt.getTime(),
        ended_at: null,
      })
      .execute();
  }

  async findSession(sessionHash: string): Promise<ConsoleSessionRecord | undefined> {
    const row = await this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('session_hash', '=', sessionHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      sessionHash: row.session_hash,
      accountId: row.account_id,
      createdAt: new Date(Number(row.created_at)),
      expiresAt: new Date(Number(row.expires_at)),
      endedAt: row.ended_at === null ? undefined : new Date(Number(row.ended_at)),
    };
  }

  async endSession(sessionHash: string, at: Date): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ ended_at: at.getTime() })
      .where('session_hash', '=', sessionHash)
      .where('ended_at', 'is', null)
      .execute();
  }

  async endSessionsOfAccount(accountId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ ended_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .execute();
  }

  async insertSignInTicket(
    ticketHash: string,
    accountId: string,
    createdAt: Date,
    expiresAt: Date,
  ): Promise<void> {
    await this.db
      .insertInto('console_sign_in_tickets')
      .values({
        ticket_hash: ticketHash,
        account_id: accountId,
        created_at: createdAt.getTime(),
        expires_at: expiresAt.getTime(),
        used_at: null,
      })
      .execute();
  }

  async findLiveSignInTicket(ticketHash: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('console_sign_in_tickets')
      .select('account_id')
      .where('ticket_hash', '=', ticketHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    return row?.account_id;
  }

  async useSignInTicket(ticketHash: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('console_sign_in_tickets')
      .set({ used_at: now.getTime() })
      .where('ticket_hash', '=', ticketHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async retireSignInTickets(accountId: string): Promise<void> {
    await this.db.deleteFrom('console_sign_in_tickets').where('account_id', '=', accountId).execute();
  }

  async purgeSpentSignInTickets(now: Date): Promise<void> {
    await this.db
      .deleteFrom('console_sign_in_tickets')
      .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now.getTime())]))
      .execute();
  }
}
