import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_RETRY_POLICY, MailDeliveryWorker, retryDelayMs } from '../../src/mail/delivery-worker.js';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer.js';
import { OutboxKysely } from '../../src/mail/outbox.kysely.js';
import { OutboxService } from '../../src/mail/outbox.service.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import {
  openTestDatabase,
  postgresUnavailableReason,
  TEST_DATABASE_URL,
  testDialects,
} from '../support/test-databases.js';

const postgresSkip = await postgresUnavailableReason();
const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Two connections (pools, handles) on one database: what two server processes have. */
const openTwice = async (
  dialect: 'sqlite' | 'postgres',
): Promise<[Database, Database, () => Promise<void>]> => {
  if (dialect === 'postgres') {
    const first = await openTestDatabase('postgres');
    const second = await openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL, schema: first.schema });
    const closeBoth = async () => {
      await second.close();
      await first.close();
    };
    return [first, second, closeBoth];
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'studio-sso-outbox-'));
  const file = path.join(dir, 'outbox.db');
  const first = await openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(first);
  const second = await openDatabase({ kind: 'sqlite', file });
  const closeBoth = async () => {
    await second.close();
    await first.close();
    await rm(dir, { recursive: true });
  };
  return [first, second, closeBoth];
};

class RecordingMailer implements Mailer {
  readonly deliveredState = 'sent' as const;
  readonly sent: OutgoingMail[] = [];
  failWith: string | undefined;
  async send(mail: OutgoingMail): Promise<void> {
    // A little latency, so that concurrent workers really overlap.
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (this.failWith !== undefined) throw new Error(this.failWith);
    this.sent.push(mail);
  }
  close(): void {}
}

const draft = (i: number) => ({
  kind: 'invitation' as const,
  to: `user${i}@example.com`,
  subject: `Message ${i}`,
  text: `Link: http://x/start/accept-invitation?token=${i}`,
  html: '<p>hi</p>',
  link: `http://x/start/accept-invitation?token=${i}`,
});

for (const dialect of testDialects()) {
  const skip = dialect === 'postgres' ? postgresSkip : undefined;
  describe.skipIf(skip !== undefined)(`the outbox on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let a: Database;
    let b: Database;
    let closeBoth: () => Promise<void>;
    const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));

    beforeAll(async () => {
      [a, b, closeBoth] = await openTwice(dialect);
    });
    afterAll(async () => {
      await closeBoth?.();
    });

    const queue = async (db: Database, count: number, offset = 0) => {
      const outbox = new OutboxService(new OutboxKysely(db.db), clock);
      const repositories = { outbox: new OutboxKysely(db.db) };
      const ids: string[] = [];
      for (let i = 0; i < count; i++)
        ids.push((await outbox.queue(repositories, draft(offset + i))).messageId);
      return ids;
    };

    it('lets concurrent claims on two connections take each message exactly once', async () => {
      const ids = await queue(a, 60);
      const claimedBy = new Map<string, string[]>();
      const drain = async (db: Database, worker: string) => {
        const repository = new OutboxKysely(db.db);
        const mine: string[] = [];
        for (;;) {
          const now = clock.now();
          const batch = await repository.claimDue(worker, now, new Date(now.getTime() + 60_000), 3);
          if (batch.length === 0) break;
          mine.push(...batch.map((m) => m.messageId));
        }
        claimedBy.set(worker, mine);
      };
      await Promise.all([drain(a, 'w1'), drain(b, 'w2'), drain(a, 'w3'), drain(b, 'w4')]);
      const all = [...claimedBy.values()].flat();
      expect(all.sort()).toEqual([...ids].sort());
      expect(new Set(all).size).toBe(60);
      // Claimed messages are not due again while their claim lasts…
      expect(await new OutboxKysely(b.db).claimDue('w5', clock.now(), clock.now(), 100)).toEqual([]);
      // …and completions count only for the worker that holds the claim.
      const first = ids[0] ?? '';
      const holder = [...claimedBy].find(([, mine]) => mine.includes(first))?.[0] ?? '';
      expect(
        await new OutboxKysely(a.db).completeAttempt(first, 'someone-else', {
          state: 'sent',
          at: clock.now(),
        }),
      ).toBe(false);
      expect(
        await new OutboxKysely(a.db).completeAttempt(first, holder, { state: 'sent', at: clock.now() }),
      ).toBe(true);
      // A claim that ran out (its worker died) is taken over.
      clock.advance(61_000);
      const retaken = await new OutboxKysely(b.db).claimDue(
        'w6',
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
        100,
      );
      expect(retaken.map((m) => m.messageId).sort()).toEqual(ids.slice(1).sort());
      for (const m of retaken)
        await new OutboxKysely(b.db).completeAttempt(m.messageId, 'w6', { state: 'sent', at: clock.now() });
    });

    it('never sends a message twice with two delivery workers on two connections', async () => {
      const ids = await queue(b, 40, 100);
      const mailers = [new RecordingMailer(), new RecordingMailer()];
      const workers = [a, b].map(
        (db, i) =>
          new MailDeliveryWorker({
            outbox: new OutboxKysely(db.db),
            mailer: mailers[i] ?? new RecordingMailer(),
            clock,
            logger: silent,
            batchSize: 4,
          }),
      );
      await Promise.all(workers.flatMap((w) => [w.deliverDue(), w.deliverDue()]));
      const sent = mailers.flatMap((m) => m.sent.map((mail) => mail.messageId));
      expect(sent.sort()).toEqual([...ids].sort());
      const stored = await new OutboxKysely(a.db).findMessages(ids);
      expect(stored.every((m) => m.state === 'sent' && m.attempts === 1)).toBe(true);
      // Once sent, the token-bearing body and link are gone from the database.
      expect(stored.every((m) => m.link === undefined && m.text === undefined && m.html === undefined)).toBe(
        true,
      );
    });

    it('retries failures with exponential backoff, records the error, and gives up in the end', async () => {
      const [id = ''] = await queue(a, 1, 200);
      const mailer = new RecordingMailer();
      mailer.failWith = 'connect ECONNREFUSED 127.0.0.1:25';
      const worker = new MailDeliveryWorker({
        outbox: new OutboxKysely(a.db),
        mailer,
        clock,
        logger: silent,
      });
      const repository = new OutboxKysely(b.db);

      expect(await worker.deliverDue()).toBe(1);
      let stored = await repository.findMessage(id);
      expect(stored).toMatchObject({
        state: 'failed',
        attempts: 1,
        lastError: 'connect ECONNREFUSED 127.0.0.1:25',
      });
      expect(stored?.nextAttemptAt?.getTime()).toBe(clock.now().getTime() + 30_000);
      expect(stored?.link).toContain('token=200');

      // Not before its time; then 30 s, 1 min, 2 min, … apart.
      clock.advance(29_000);
      expect(await worker.deliverDue()).toBe(0);
      clock.advance(1_000);
      expect(await worker.deliverDue()).toBe(1);
      stored = await repository.findMessage(id);
      expect(stored?.attempts).toBe(2);
      expect(stored?.nextAttemptAt?.getTime()).toBe(clock.now().getTime() + 60_000);
      expect([1, 2, 3, 4, 9, 10].map((n) => retryDelayMs(DEFAULT_RETRY_POLICY, n) / 1000)).toEqual([
        30, 60, 120, 240, 3600, 3600,
      ]);

      for (let attempt = 3; attempt <= DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
        clock.advance(retryDelayMs(DEFAULT_RETRY_POLICY, attempt - 1));
        expect(await worker.deliverDue()).toBe(1);
      }
      stored = await repository.findMessage(id);
      expect(stored).toMatchObject({ state: 'failed', attempts: DEFAULT_RETRY_POLICY.maxAttempts });
      expect(stored?.nextAttemptAt).toBeUndefined();
      clock.advance(24 * 60 * 60_000);
      expect(await worker.deliverDue()).toBe(0);
    });

    it('lists newest first, by state, a page at a time', async () => {
      const outbox = new OutboxService(new OutboxKysely(a.db), clock);
      const failed = await outbox.listMessages({ state: 'failed' });
      expect(failed.items.map((m) => m.subject)).toEqual(['Message 200']);
      const first = await outbox.listMessages({ limit: 50 });
      expect(first.items).toHaveLength(50);
      const second = await outbox.listMessages({ limit: 50, nextToken: first.nextToken });
      const third = await outbox.listMessages({ limit: 50, nextToken: second.nextToken });
      expect([second.items.length, third.items.length, third.nextToken]).toEqual([50, 1, undefined]);
      const ids = [...first.items, ...second.items, ...third.items].map((m) => m.messageId);
      expect(new Set(ids).size).toBe(101);
      expect(ids).toEqual([...ids].sort().reverse());
    });
  });
}
