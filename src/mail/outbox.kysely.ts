import { type ExpressionBuilder, type Kysely, PostgresAdapter, type Selectable } from 'kysely';
import type { Schema } from '../storage/schema.js';
import type { DeliveryState, MailKind, MailMessage } from './mail.types.js';
import type { ClaimedMessage, OutboxListQuery, OutboxRepository } from './outbox.repository.js';
import type { MailMessagesTable } from './outbox.tables.js';

const optionalDate = (value: number | null): Date | undefined =>
  value === null ? undefined : new Date(value);

const toMessage = (row: Selectable<MailMessagesTable>): MailMessage => ({
  messageId: row.message_id,
  kind: row.kind as MailKind,
  to: row.recipient,
  subject: row.subject,
  text: row.body_text ?? undefined,
  html: row.body_html ?? undefined,
  link: row.link ?? undefined,
  reference: row.reference ?? undefined,
  state: row.state as DeliveryState,
  attempts: row.attempts,
  nextAttemptAt: optionalDate(row.next_attempt_at),
  lastError: row.last_error ?? undefined,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  sentAt: optionalDate(row.sent_at),
});

/** Due, and not held by a live claim: the one definition both halves of a claim use. */
const due = (now: number) => (eb: ExpressionBuilder<Schema, 'mail_messages'>) =>
  eb.and([
    eb('state', 'in', ['queued', 'failed']),
    eb('next_attempt_at', 'is not', null),
    eb('next_attempt_at', '<=', now),
    eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]),
  ]);

export class OutboxKysely implements OutboxRepository {
  private readonly postgres: boolean;

  constructor(private readonly db: Kysely<Schema>) {
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async insertMessage(message: MailMessage): Promise<void> {
    await this.db
      .insertInto('mail_messages')
      .values({
        message_id: message.messageId,
        kind: message.kind,
        recipient: message.to,
        subject: message.subject,
        body_text: message.text ?? null,
        body_html: message.html ?? null,
        link: message.link ?? null,
        reference: message.reference ?? null,
        state: message.state,
        attempts: message.attempts,
        next_attempt_at: message.nextAttemptAt?.getTime() ?? null,
        last_error: message.lastError ?? null,
        claimed_by: null,
        claimed_until: null,
        created_at: message.createdAt.getTime(),
        updated_at: message.updatedAt.getTime(),
        sent_at: message.sentAt?.getTime() ?? null,
      })
      .execute();
  }

  async findMessage(messageId: string): Promise<MailMessage | undefined> {
    const row = await this.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row === undefined ? undefined : toMessage(row);
  }

  async findMessages(messageIds: readonly string[]): Promise<MailMessage[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('message_id', 'in', [...messageIds])
      .execute();
    return rows.map(toMessage);
  }

  async listMessages(query: OutboxListQuery): Promise<MailMessage[]> {
    let select = this.db.selectFrom('mail_messages').selectAll();
    if (query.state !== undefined) select = select.where('state', '=', query.state);
    if (query.to !== undefined) {
      const to = query.to.toLowerCase();
      select = select.where((eb) => eb(eb.fn('lower', ['recipient']), '=', to));
    }
    if (query.before !== undefined) select = select.where('message_id', '<', query.before);
    const rows = await select.orderBy('message_id', 'desc').limit(query.limit).execute();
    return rows.map(toMessage);
  }

  /**
   * One UPDATE … WHERE id IN (due candidates) … RETURNING. On PostgreSQL the candidates are
   * selected FOR UPDATE SKIP LOCKED, so concurrent workers take different rows instead of queueing
   * behind each other; and the outer WHERE repeats the due condition, which PostgreSQL re-checks on
   * the row's latest version after waiting for a lock, so a row another worker claimed meanwhile is
   * never claimed twice. SQLite has one writer at a time, which makes the statement atomic.
   */
  async claimDue(worker: string, now: Date, claimUntil: Date, limit: number): Promise<ClaimedMessage[]> {
    const at = now.getTime();
    let candidates = this.db
      .selectFrom('mail_messages')
      .select('message_id')
      .where(due(at))
      .orderBy('next_attempt_at')
      .orderBy('message_id')
      .limit(limit);
    if (this.postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('mail_messages')
      .set((eb) => ({
        claimed_by: worker,
        claimed_until: claimUntil.getTime(),
        attempts: eb('attempts', '+', 1),
        updated_at: at,
      }))
      .where('message_id', 'in', candidates)
      .where(due(at))
      .returningAll()
      .execute();
    return rows
      .sort((a, b) => (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0))
      .map((row) => ({ ...toMessage(row), text: row.body_text ?? '', html: row.body_html ?? '' }));
  }

  async completeAttempt(
    messageId: string,
    worker: string,
    outcome:
      | { state: 'sent'; at: Date }
      | { state: 'kept'; at: Date }
      | { state: 'failed'; at: Date; error: string; nextAttemptAt?: Date },
  ): Promise<boolean> {
    const at = outcome.at.getTime();
    const changes =
      outcome.state === 'sent'
        ? // The SMTP server has it: the token in the body and link is no longer kept in clear.
          {
            sent_at: at,
            next_attempt_at: null,
            last_error: null,
            body_text: null,
            body_html: null,
            link: null,
          }
        : outcome.state === 'kept'
          ? { next_attempt_at: null, last_error: null }
          : { next_attempt_at: outcome.nextAttemptAt?.getTime() ?? null, last_error: outcome.error };
    const result = await this.db
      .updateTable('mail_messages')
      .set({ ...changes, state: outcome.state, claimed_by: null, claimed_until: null, updated_at: at })
      .where('message_id', '=', messageId)
      .where('claimed_by', '=', worker)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
