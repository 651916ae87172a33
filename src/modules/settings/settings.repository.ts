export interface StoredSetting {
  name: string;
  /** The value as JSON. */
  value: string;
}

/** Storage port of instance settings: only values an admin set are stored. */
export interface SettingsRepository {
  findSettings(instanceId: string): Promise<StoredSetting[]>;
  /** The settings of the instance that owns the identity store, and that instance's ID. */
  findSettingsOfIdentityStore(
    identityStoreId: string,
  ): Promise<{ instanceId: string; settings: StoredSetting[] } | undefined>;
  saveSettings(instanceId: string, settings: StoredSetting[], at: Date, by: string): Promise<void>;
}
