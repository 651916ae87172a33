import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arns } from '../../src/core/arns.js';
import { ManualClock } from '../../src/core/clock.js';
import { isAppError } from '../../src/core/errors.js';
import { ids } from '../../src/core/ids.js';
import type { Scope } from '../../src/core/scope.js';
import { MailDeliveryWorker } from '../../src/mail/delivery-worker.js';
import { OutboxKysely } from '../../src/mail/outbox.kysely.js';
import type { ClaimedMessage } from '../../src/mail/outbox.repository.js';
import { OutboxService } from '../../src/mail/outbox.service.js';
import { SmtpMailer } from '../../src/mail/smtp-mailer.js';
import { AccountsKysely } from '../../src/modules/accounts/accounts.kysely.js';
import { EmailVerificationKysely } from '../../src/modules/organizations/email-verification.kysely.js';
import { EmailVerificationService } from '../../src/modules/organizations/email-verification.service.js';
import { OrganizationsKysely } from '../../src/modules/organizations/organizations.kysely.js';
import { OrganizationsService } from '../../src/modules/organizations/organizations.service.js';
import type { Database } from '../../src/storage/database.js';
import { kyselyUnitOfWork } from '../../src/storage/kysely-unit-of-work.js';
import type { Schema } from '../../src/storage/schema.js';
import { PublicLinks } from '../../src/web/links.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.js';
import { openTestDatabase, postgresUnavailableReason, testDialects } from '../support/test-databases.js';

const pgUnavailable = await postgresUnavailableReason();

/** The repositories the organization's creation and its mail use, as src/app.ts builds them. */
const repositoriesOn = (db: Kysely<Schema>) => ({
  accounts: new AccountsKysely(db),
  organizations: new OrganizationsKysely(db),
  emailVerifications: new EmailVerificationKysely(db),
  outbox: new OutboxKysely(db),
});
type Repositories = ReturnType<typeof repositoriesOn>;

/** Far longer than any test: a mail that arrives did not wait for the poll. */
const POLL_INTERVAL_MS = 60 * 60_000;
/** Plenty for one SMTP delivery on a busy machine, and nothing next to the poll interval. */
const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * The real outbox, telling the test when the worker ends a delivery pass and goes to sleep until
 * woken or polled. A pass ends after a claim of fewer messages than asked for (none, or a last
 * short batch), once those are attempted. The test creates organizations only while the worker
 * sleeps: a wake during a pass is not remembered (MailDeliveryWorker.wake), and a mail picked up
 * by a pass that was running anyway would prove nothing.
 */
class WatchedOutbox extends OutboxKysely {
  private sleepers: (() => void)[] = [];
  private attemptsLeft = 0;
  private lastBatch = false;

  /** Resolves once the worker's next pass has ended and it sleeps. Ask before the pass ends. */
  passEnded(): Promise<void> {
    return new Promise<void>((resolve) => this.sleepers.push(resolve)).then(
      // From its last outbox call to sleeping, the worker runs only microtasks: a macrotask comes after.
      () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    );
  }

  override async claimDue(
    worker: string,
    now: Date,
    claimUntil: Date,
    limit: number,
  ): Promise<ClaimedMessage[]> {
    const claimed = await super.claimDue(worker, now, claimUntil, limit);
    this.attemptsLeft = claimed.length;
    this.lastBatch = claimed.length < limit;
    if (claimed.length === 0) this.wakeSleepers();
    return claimed;
  }

  override async completeAttempt(
    ...args: Parameters<OutboxKysely['completeAttempt']>
  ): ReturnType<OutboxKysely['completeAttempt']> {
    const completed = await super.completeAttempt(...args);
    this.attemptsLeft -= 1;
    if (this.attemptsLeft === 0 && this.lastBatch) this.wakeSleepers();
    return completed;
  }

  private wakeSleepers(): void {
    for (const sleeper of this.sleepers.splice(0)) sleeper();
  }
}

/**
 * CreateOrganization records the verification mail in the organization's transaction; once that
 * commits, the delivery worker is woken, so the mail goes out now and not at the next poll. The
 * parts are composed as src/app.ts composes them, with a poll interval no test would outwait.
 */
for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? pgUnavailable : undefined;
  describe.skipIf(skip !== undefined)(
    `the organization's verification mail goes out at once, on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      const clock = new ManualClock(new Date('2025-04-01T08:00:00.000Z'));
      let database: Database;
      let receiver: SmtpReceiver;
      let outboxRepository: WatchedOutbox;
      let worker: MailDeliveryWorker;
      let organizations: OrganizationsService<Repositories>;
      let accounts: AccountsKysely;
      let wakes = 0;

      const newAccount = async (email: string, verified: boolean): Promise<Scope> => {
        const accountId = ids.accountId();
        await accounts.insertAccountIfAbsent({
          accountId,
          name: email,
          email,
          emailVerifiedAt: verified ? clock.now() : undefined,
          createdAt: clock.now(),
        });
        return { accountId, region: 'us-east-1', principalArn: arns.root(accountId) };
      };

      beforeAll(async () => {
        database = await openTestDatabase(dialect);
        receiver = await startSmtpReceiver();
        outboxRepository = new WatchedOutbox(database.db);
        const uow = kyselyUnitOfWork(database.db, repositoriesOn);
        accounts = uow.repositories.accounts;
        worker = new MailDeliveryWorker({
          outbox: outboxRepository,
          mailer: new SmtpMailer({ url: receiver.url, from: 'studio-sso <sso@example.com>' }),
          clock,
          logger: pino({ level: 'silent' }),
          pollIntervalMs: POLL_INTERVAL_MS,
        });
        const outbox = new OutboxService(outboxRepository, clock, () => {
          wakes++;
          worker.wake();
        });
        const emailVerification = new EmailVerificationService(
          uow,
          outbox,
          new PublicLinks('https://sso.example.com'),
          clock,
        );
        organizations = new OrganizationsService<Repositories>(uow, clock, emailVerification);
        const firstPass = outboxRepository.passEnded();
        worker.start();
        await firstPass;
      });
      afterAll(async () => {
        await worker?.stop();
        await receiver?.close();
        await database?.close();
      });

      it('delivers the verification mail as soon as the organization is created', async () => {
        const scope = await newAccount('owner@example.com', false);
        const delivered = outboxRepository.passEnded();
        const created = await organizations.createOrganization(scope);
        expect(wakes).toBe(1);
        const mail = await receiver.waitFor((m) => m.to === 'owner@example.com', DELIVERY_TIMEOUT_MS);
        expect(mail.text).toContain(created.organization.organizationId);
        expect(mail.text).toContain('https://sso.example.com/verify-email');
        await delivered;
        expect((await outboxRepository.findMessage(mail.outboxId ?? '-'))?.state).toBe('sent');
      });

      it('wakes no one when nothing was sent: a verified address, or a refused creation', async () => {
        const before = wakes;
        await organizations.createOrganization(await newAccount('verified@example.com', true));
        const twice = await newAccount('twice@example.com', false);
        const delivered = outboxRepository.passEnded();
        await organizations.createOrganization(twice);
        const again = await organizations.createOrganization(twice).then(
          () => 'created twice',
          (error: unknown) => (isAppError(error) ? error.code : error),
        );
        expect(again).toBe('ALREADY_IN_ORGANIZATION');
        // One wake: the first creation for twice@; neither the verified one nor the refused one.
        expect(wakes).toBe(before + 1);
        await receiver.waitFor((m) => m.to === 'twice@example.com', DELIVERY_TIMEOUT_MS);
        await delivered;
        expect(receiver.received.map((m) => m.to)).not.toContain('verified@example.com');
      });
    },
  );
}
