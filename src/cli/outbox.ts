import { type Command, InvalidArgumentError } from 'commander';
import type { OutboxListResponse, OutboxMessageResponse } from '../web/admin/outbox.routes.js';
import type { AdminClient } from './admin-client.js';

const STATES = ['queued', 'sent', 'failed', 'kept'];

const at = (iso: string | undefined): string =>
  iso === undefined ? '-' : `${iso.slice(0, 16).replace('T', ' ')}`;

const stateText = (m: OutboxMessageResponse): string => {
  if (m.state === 'failed') {
    return m.nextAttemptAt === undefined
      ? `failed after ${m.attempts} attempts, given up`
      : `failed (attempt ${m.attempts}), retry at ${at(m.nextAttemptAt)}`;
  }
  if (m.state === 'sent') return `sent ${at(m.sentAt)}`;
  if (m.state === 'kept') return 'kept (no SMTP_URL)';
  return 'queued';
};

/** `studio-sso outbox`: every message with its delivery state and link, newest first. */
export const registerOutbox = (program: Command, client: () => AdminClient): void => {
  program
    .command('outbox')
    .description('list mail with its delivery state and links (without SMTP_URL, this is where mail goes)')
    .option('--state <state>', `only messages in this state (${STATES.join(', ')})`, (value: string) => {
      if (!STATES.includes(value)) throw new InvalidArgumentError(`must be one of ${STATES.join(', ')}`);
      return value;
    })
    .option('--limit <n>', 'at most this many messages (default 50)', (value: string) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('must be 1-500');
      return n;
    })
    .option('--json', 'print JSON')
    .action(async (options: { state?: string; limit?: number; json?: boolean }) => {
      const page = await client().get<OutboxListResponse>('/outbox', {
        state: options.state,
        limit: options.limit === undefined ? undefined : String(options.limit),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        return;
      }
      if (page.messages.length === 0) {
        process.stdout.write('The outbox is empty.\n');
        return;
      }
      const lines = page.messages.flatMap((m) => [
        `${at(m.createdAt)}  ${m.to}  ${m.subject}`,
        `    ${stateText(m)}${m.lastError === undefined ? '' : `: ${m.lastError}`}`,
        `    ${m.link ?? (m.state === 'sent' ? '(link removed once delivered: it carried a one-time token)' : '(no link)')}`,
      ]);
      if (page.nextToken !== undefined) lines.push('(more: use --limit or --json for the next page token)');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
};
