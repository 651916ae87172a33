import type { Kysely } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { MfaRepository } from './mfa.repository.js';
import type { MfaDevice, MfaDeviceState } from './mfa.types.js';

export class MfaKysely implements MfaRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findDevice(userId: string): Promise<MfaDevice | undefined> {
    const row = await this.db
      .selectFrom('mfa_devices')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      userId: row.user_id,
      sealedSecret: row.secret,
      state: row.state as MfaDeviceState,
      createdAt: new Date(row.created_at),
      activatedAt: row.activated_at === null ? undefined : new Date(row.activated_at),
      lastTimeStep: row.last_time_step ?? undefined,
    };
  }

  async savePendingDevice(device: MfaDevice): Promise<boolean> {
    const values = { secret: device.sealedSecret, state: 'pending', created_at: device.createdAt.getTime() };
    const row = await this.db
      .insertInto('mfa_devices')
      .values({ user_id: device.userId, ...values, activated_at: null, last_time_step: null })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ ...values, activated_at: null, last_time_step: null })
          .where('mfa_devices.state', '=', 'pending'),
      )
      .returning('user_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async activateDevice(userId: string, sealedSecret: string, timeStep: number, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_devices')
      .set({ state: 'active', activated_at: at.getTime(), last_time_step: timeStep })
      .where('user_id', '=', userId)
      .where('state', '=', 'pending')
      .where('secret', '=', sealedSecret)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async useTimeStep(userId: string, timeStep: number): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_devices')
      .set({ last_time_step: timeStep })
      .where('user_id', '=', userId)
      .where('state', '=', 'active')
      .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', timeStep)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteDevice(userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('mfa_devices').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[], at: Date): Promise<void> {
    await this.deleteRecoveryCodes(userId);
    if (codeHashes.length === 0) return;
    await this.db
      .insertInto('mfa_recovery_codes')
      .values(
        codeHashes.map((code_hash) => ({
          code_hash,
          user_id: userId,
          created_at: at.getTime(),
          used_at: null,
        })),
      )
      .execute();
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: at.getTime() })
      .where('code_hash', '=', codeHash)
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('mfa_recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async deleteRecoveryCodes(userId: string): Promise<void> {
    await this.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  }
}
