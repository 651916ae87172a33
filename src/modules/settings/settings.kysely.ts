import type { Kysely } from 'kysely';
import type { Schema } from '../../storage/schema.js';
import type { SettingsRepository, StoredSetting } from './settings.repository.js';

export class SettingsKysely implements SettingsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findSettings(instanceId: string): Promise<StoredSetting[]> {
    return this.db
      .selectFrom('instance_settings')
      .select(['name', 'value'])
      .where('instance_id', '=', instanceId)
      .execute();
  }

  async findSettingsOfIdentityStore(
    identityStoreId: string,
  ): Promise<{ instanceId: string; settings: StoredSetting[] } | undefined> {
    const instance = await this.db
      .selectFrom('sso_instances')
      .select('instance_id')
      .where('identity_store_id', '=', identityStoreId)
      .executeTakeFirst();
    if (instance === undefined) return undefined;
    return { instanceId: instance.instance_id, settings: await this.findSettings(instance.instance_id) };
  }

  async saveSettings(instanceId: string, settings: StoredSetting[], at: Date, by: string): Promise<void> {
    for (const setting of settings) {
      await this.db
        .insertInto('instance_settings')
        .values({
          instance_id: instanceId,
          name: setting.name,
          value: setting.value,
          updated_at: at.getTime(),
          updated_by: by,
        })
        .onConflict((oc) =>
          oc
            .columns(['instance_id', 'name'])
            .doUpdateSet({ value: setting.value, updated_at: at.getTime(), updated_by: by }),
        )
        .execute();
    }
  }
}
