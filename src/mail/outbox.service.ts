import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { NotFoundError } from '../core/errors.js';
import { decodePageToken, type Page, toPage } from '../core/pagination.js';
import {
  type DeliveryState,
  type DeliveryStatus,
  deliveryStatusOf,
  type MailDraft,
  type MailMessage,
} from './mail.types.js';
import type { OutboxRepository } from './outbox.repository.js';

/** The repositories a service passes from its transaction to queue a message in it. */
export interface OutboxRepositories {
  outbox: OutboxRepository;
}

/** Time-ordered (milliseconds, then random), so the outbox lists newest first by ID alone. */
const messageId = (at: Date): string =>
  `${at.getTime().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;

export const DEFAULT_OUTBOX_PAGE = 50;

/**
 * The outbox: every message the system sends, recorded in the transaction of whatever caused it
 * (so a message exists exactly when its cause committed), with its delivery state.
 */
export class OutboxService {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly clock: Clock,
    /** Tells this process's delivery worker that messages were committed. */
    private readonly onCommitted: () => void = () => {},
  ) {}

  /** Records the message in the caller's transaction; it is delivered once that commits. */
  async queue(within: OutboxRepositories, draft: MailDraft): Promise<MailMessage> {
    const now = this.clock.now();
    const message: MailMessage = {
      messageId: messageId(now),
      kind: draft.kind,
      to: draft.to,
      subject: draft.subject,
      text: draft.text,
      html: draft.html,
      link: draft.link,
      reference: draft.reference,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await within.outbox.insertMessage(message);
    return message;
  }

  /** Call after the transaction that queued messages committed: they go out now, not at the next poll. */
  messagesCommitted(): void {
    this.onCommitted();
  }

  /** Newest first, paged; `to` keeps the messages to one address (any case). */
  async listMessages(
    request: { state?: DeliveryState; to?: string; limit?: number; nextToken?: string } = {},
  ): Promise<Page<MailMessage>> {
    const limit = request.limit ?? DEFAULT_OUTBOX_PAGE;
    const to = request.to === undefined || request.to === '' ? undefined : request.to;
    const listing = `outbox:${request.state ?? ''}${to === undefined ? '' : `:${to.toLowerCase()}`}`;
    const before = decodePageToken(listing, request.nextToken);
    const rows = await this.repository.listMessages({ state: request.state, to, before, limit: limit + 1 });
    return toPage(listing, rows, limit, (m) => m.messageId);
  }

  async describeMessage(messageId: string): Promise<MailMessage> {
    const message = await this.repository.findMessage(messageId);
    if (message === undefined) {
      throw new NotFoundError('MESSAGE_NOT_FOUND', `Message ${messageId} does not exist.`, {
        resourceType: 'MESSAGE',
        resourceId: messageId,
      });
    }
    return message;
  }

  async deliveryStatuses(messageIds: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    const messages = await this.repository.findMessages(messageIds);
    return new Map(messages.map((m) => [m.messageId, deliveryStatusOf(m)]));
  }
}
