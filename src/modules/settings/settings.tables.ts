export interface InstanceSettingsTable {
  instance_id: string;
  name: string;
  /** JSON of the value. */
  value: string;
  updated_at: number;
  updated_by: string | null;
}

export interface SettingsTables {
  instance_settings: InstanceSettingsTable;
}
