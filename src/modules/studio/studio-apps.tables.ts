/** The studio apps table (migration 0007). Timestamps are epoch milliseconds, JSON is text. */
export interface StudioAppsTable {
  domain_id: string;
  /** The owning profile's lower-cased name (its key), and its name as created. */
  profile_name_key: string;
  profile_name: string;
  app_type: string;
  app_name: string;
  resource_spec: string | null;
  tags: string | null;
  phase: string;
  phase_until: number;
  created_at: number;
  created_by: string | null;
}

export interface StudioAppsTables {
  studio_apps: StudioAppsTable;
}
