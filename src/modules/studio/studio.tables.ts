/** The studio module's tables (migration 0004). Timestamps are epoch milliseconds, JSON is text. */

export interface DomainsTable {
  domain_id: string;
  account_id: string;
  region: string;
  name: string;
  auth_mode: string;
  /** DomainSettingsDocument as JSON. */
  settings: string;
  application_id: string | null;
  home_efs_file_system_id: string;
  last_home_uid: number;
  phase: string;
  phase_until: number;
  created_at: number;
  created_by: string | null;
  last_modified_at: number;
}

export interface UserProfilesTable {
  domain_id: string;
  name: string;
  name_key: string;
  sso_user_id: string | null;
  sso_user_value: string | null;
  home_efs_uid: string;
  /** UserProfileSettingsDocument as JSON. */
  settings: string;
  phase: string;
  phase_until: number;
  created_at: number;
  created_by: string | null;
  last_modified_at: number;
}

export interface StudioPresignedUrlsTable {
  token_hash: string;
  domain_id: string;
  profile_name_key: string;
  session_seconds: number;
  space_name: string | null;
  landing_uri: string | null;
  created_at: number;
  created_by: string | null;
  expires_at: number;
  used_at: number | null;
}

export interface StudioTables {
  domains: DomainsTable;
  user_profiles: UserProfilesTable;
  studio_presigned_urls: StudioPresignedUrlsTable;
}
