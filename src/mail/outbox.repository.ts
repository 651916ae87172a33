import type { DeliveryState, MailMessage } from './mail.types.js';

/** A message some worker has claimed: nobody else attempts it until the claim runs out. */
export interface ClaimedMessage extends MailMessage {
  text: string;
  html: string;
}

export interface OutboxListQuery {
  state?: DeliveryState;
  /** Only messages to this address (any case). */
  to?: string;
  /** The ID of the last message of the previous page (newest first). */
  before?: string;
  limit: number;
}

/**
 * Storage port of the outbox. Inserts run in the caller's transaction (the transactional outbox);
 * claims are atomic, so any number of workers on one database never attempt a message twice at
 * once, and completions apply only while the worker still holds its claim.
 */
export interface OutboxRepository {
  insertMessage(message: MailMessage): Promise<void>;
  findMessage(messageId: string): Promise<MailMessage | undefined>;
  findMessages(messageIds: readonly string[]): Promise<MailMessage[]>;
  listMessages(query: OutboxListQuery): Promise<MailMessage[]>;
  /**
   * Claims up to `limit` messages that are due (queued, or failed with a retry time reached) and not
   * claimed by a live claim; counts the attempt. Returns the claimed messages, oldest due first.
   */
  claimDue(worker: string, now: Date, claimUntil: Date, limit: number): Promise<ClaimedMessage[]>;
  /** Records the outcome of the worker's attempt; false when its claim was lost meanwhile. */
  completeAttempt(
    messageId: string,
    worker: string,
    outcome:
      | { state: 'sent'; at: Date }
      | { state: 'kept'; at: Date }
      | { state: 'failed'; at: Date; error: string; nextAttemptAt?: Date },
  ): Promise<boolean>;
}
