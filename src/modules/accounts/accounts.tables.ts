export interface SettingsTable {
  key: string;
  value: string;
}

export interface AccountsTable {
  account_id: string;
  name: string;
  email: string;
  email_verified_at: number | null;
  organization_id: string | null;
  joined_method: string | null;
  joined_at: number | null;
  created_at: number;
}

export interface AccessKeysTable {
  access_key_id: string;
  secret_access_key: string;
  account_id: string;
  principal_arn: string;
  status: string;
  created_at: number;
}

export interface AccountsTables {
  settings: SettingsTable;
  accounts: AccountsTable;
  access_keys: AccessKeysTable;
}
