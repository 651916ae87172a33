export interface SsoInstancesTable {
  instance_id: string;
  owner_account_id: string;
  organization_id: string | null;
  region: string;
  name: string | null;
  status: string;
  identity_store_id: string;
  client_token: string | null;
  kms_key_type: string;
  kms_key_arn: string | null;
  created_at: number;
}

export interface AccessTables {
  sso_instances: SsoInstancesTable;
}
