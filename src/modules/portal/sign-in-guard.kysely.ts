import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { AttemptClaim, AttemptPolicy, SignInGuardRepository } from './sign-in-guard.repository.js';

export class SignInGuardKysely implements SignInGuardRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async claimAttempt(subject: string, now: Date, policy: AttemptPolicy): Promise<AttemptClaim> {
    const at = now.getTime();
    const lockUntil = at + policy.lockMs;
    // The existing row, qualified: both SQLite and PostgreSQL read it so in ON CONFLICT DO UPDATE.
    const restart = sql<boolean>`(sign_in_attempts.window_started_at <= ${at - policy.windowMs} or (sign_in_attempts.locked_until is not null and sign_in_attempts.locked_until <= ${at}))`;
    const counted = sql<number>`(case when ${restart} then 1 else sign_in_attempts.attempts + 1 end)`;
    // Parameters are cast: in a CASE without a typed branch PostgreSQL would take them for text.
    const row = await this.db
      .insertInto('sign_in_attempts')
      .values({
        subject,
        attempts: 1,
        window_started_at: at,
        locked_until: policy.limit <= 1 ? lockUntil : null,
      })
      .onConflict((oc) =>
        oc
          .column('subject')
          .doUpdateSet({
            attempts: counted,
            window_started_at: sql<number>`(case when ${restart} then cast(${at} as bigint) else sign_in_attempts.window_started_at end)`,
            locked_until: sql<
              number | null
            >`(case when ${counted} >= ${policy.limit} then cast(${lockUntil} as bigint) else null end)`,
          })
          .where((eb) =>
            eb.or([
              eb('sign_in_attempts.locked_until', 'is', null),
              eb('sign_in_attempts.locked_until', '<=', at),
            ]),
          ),
      )
      .returning(['attempts'])
      .executeTakeFirst();
    if (row !== undefined) return { allowed: true, attempts: row.attempts };
    const lockedUntil = await this.findLock(subject, now);
    // Unlocked between the two statements: the next attempt will be counted normally.
    return { allowed: false, lockedUntil: lockedUntil ?? now };
  }

  async clearAttempts(subject: string): Promise<void> {
    await this.db.deleteFrom('sign_in_attempts').where('subject', '=', subject).execute();
  }

  async refundAttempt(subject: string, limit: number): Promise<void> {
    await this.db
      .updateTable('sign_in_attempts')
      .set({
        attempts: sql<number>`(case when attempts > 0 then attempts - 1 else 0 end)`,
        locked_until: sql<number | null>`(case when attempts - 1 < ${limit} then null else locked_until end)`,
      })
      .where('subject', '=', subject)
      .execute();
  }

  async findLock(subject: string, now: Date): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('sign_in_attempts')
      .select('locked_until')
      .where('subject', '=', subject)
      .where('locked_until', '>', now.getTime())
      .executeTakeFirst();
    return row?.locked_until == null ? undefined : new Date(row.locked_until);
  }

  async purgeExpired(before: Date, now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sign_in_attempts')
      .where('window_started_at', '<', before.getTime())
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.getTime())]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
