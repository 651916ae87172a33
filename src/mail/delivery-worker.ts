import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { Mailer } from './mailer.js';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository.js';

export interface WorkerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RetryPolicy {
  /** Delay after the first failed attempt; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before the message is given up (state failed, no next attempt). */
  maxAttempts: number;
}

/** 30 s, 1, 2, 4, … minutes, at most an hour apart: ten attempts span about four hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 10,
};

export const retryDelayMs = (policy: RetryPolicy, attempts: number): number =>
  Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);

export interface DeliveryWorkerOptions {
  outbox: OutboxRepository;
  mailer: Mailer;
  clock: Clock;
  logger: WorkerLogger;
  retry?: RetryPolicy;
  /** How often the outbox is polled for due messages (new ones and retries). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a claim holds: longer than any SMTP attempt (whose timeouts are 15-30 s). */
  claimMs?: number;
}

/**
 * Delivers the outbox. Every server process runs one; they share the work through atomic claims
 * (OutboxRepository.claimDue), so no message is attempted by two workers at once and none is sent
 * twice. A process that dies holding a claim only delays its messages: the claim runs out and
 * another worker takes them (only a death between the SMTP server's acceptance and the state
 * update can repeat a message, with the same Message-ID).
 */
export class MailDeliveryWorker {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly retry: RetryPolicy;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly claimMs: number;
  private running: Promise<void> | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  /** A wake() that came during a delivery pass: the pass may have missed those messages, so look again. */
  private wokenDuringPass = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 10;
    this.claimMs = options.claimMs ?? 5 * 60_000;
  }

  start(): void {
    if (this.running !== undefined || this.stopped) return;
    this.running = this.loop();
  }

  /** Finishes the attempt in progress, then stops; messages not yet attempted stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    this.options.mailer.close();
  }

  /** New messages were committed: look now instead of at the next poll. */
  wake(): void {
    if (this.wakeUp === undefined) this.wokenDuringPass = true;
    else this.wakeUp();
  }

  /** Attempts every message that is due now; returns how many were attempted. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const now = this.options.clock.now();
      const claimed = await this.options.outbox.claimDue(
        this.workerId,
        now,
        new Date(now.getTime() + this.claimMs),
        this.batchSize,
      );
      for (const message of claimed) await this.attempt(message);
      attempted += claimed.length;
      if (claimed.length < this.batchSize || this.stopped) return attempted;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.wokenDuringPass = false;
      try {
        await this.deliverDue();
      } catch (error) {
        this.options.logger.error({ err: error }, 'mail delivery pass failed');
      }
      if (this.stopped) break;
      if (this.wokenDuringPass) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.pollIntervalMs);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }

  private async attempt(message: ClaimedMessage): Promise<void> {
    const { mailer, clock, logger, outbox } = this.options;
    const about = { mail: message.messageId, kind: message.kind, to: message.to, subject: message.subject };
    try {
      await mailer.send({
        messageId: message.messageId,
        kind: message.kind,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        link: message.link,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const giveUp = message.attempts >= this.retry.maxAttempts;
      const at = clock.now();
      const nextAttemptAt = giveUp
        ? undefined
        : new Date(at.getTime() + retryDelayMs(this.retry, message.attempts));
      await outbox.completeAttempt(message.messageId, this.workerId, {
        state: 'failed',
        at,
        error: reason,
        nextAttemptAt,
      });
      logger.warn(
        { ...about, attempt: message.attempts, error: reason, nextAttemptAt },
        giveUp ? 'mail delivery failed; giving up' : 'mail delivery failed; will retry',
      );
      return;
    }
    const state = mailer.deliveredState;
    await outbox.completeAttempt(message.messageId, this.workerId, { state, at: clock.now() });
    if (state === 'kept') {
      // Without SMTP the log is one of the places the admin reads the message, so it carries the link.
      logger.info({ ...about, link: message.link }, 'mail kept in the outbox (no SMTP_URL)');
    } else {
      logger.info({ ...about, attempt: message.attempts }, 'mail sent');
    }
  }
}
