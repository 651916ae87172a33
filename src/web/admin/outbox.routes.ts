import type { Services } from '../../app.js';
import type { DeliveryState, MailMessage } from '../../mail/mail.types.js';
import { type AdminRoute, adminRoute } from './admin-api.js';

export interface OutboxMessageResponse {
  messageId: string;
  kind: string;
  to: string;
  subject: string;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  sentAt?: string;
  nextAttemptAt?: string;
  lastError?: string;
  /** The message's link while it is unsent or kept; removed once an SMTP server has the message. */
  link?: string;
  text?: string;
}

export interface OutboxListResponse {
  messages: OutboxMessageResponse[];
  nextToken?: string;
}

const toResponse = (message: MailMessage, withBody: boolean): OutboxMessageResponse => ({
  messageId: message.messageId,
  kind: message.kind,
  to: message.to,
  subject: message.subject,
  state: message.state,
  attempts: message.attempts,
  createdAt: message.createdAt.toISOString(),
  sentAt: message.sentAt?.toISOString(),
  nextAttemptAt: message.nextAttemptAt?.toISOString(),
  lastError: message.lastError,
  link: message.link,
  ...(withBody ? { text: message.text } : {}),
});

/** The outbox: every message with its delivery state, newest first. */
export const outboxRoutes = (services: Services): AdminRoute[] => [
  adminRoute<unknown, { state?: DeliveryState; limit?: number; nextToken?: string }>({
    method: 'GET',
    path: '/outbox',
    schema: {
      querystring: {
        type: 'object',
        properties: {
          state: { type: 'string', enum: ['queued', 'sent', 'failed', 'kept'] },
          limit: { type: 'integer', minimum: 1, maximum: 500 },
          nextToken: { type: 'string', maxLength: 1024 },
        },
      },
    },
    handler: async ({ query }): Promise<OutboxListResponse> => {
      const page = await services.outbox.listMessages(query);
      return { messages: page.items.map((m) => toResponse(m, false)), nextToken: page.nextToken };
    },
  }),
  adminRoute<unknown, Record<string, never>, { messageId: string }>({
    method: 'GET',
    path: '/outbox/:messageId',
    schema: {
      params: {
        type: 'object',
        required: ['messageId'],
        properties: { messageId: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
      },
    },
    handler: async ({ params }): Promise<OutboxMessageResponse> =>
      toResponse(await services.outbox.describeMessage(params.messageId), true),
  }),
];
