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

export interface ApplicationsTable {
  application_id: string;
  instance_id: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  application_provider_arn: string;
  status: string;
  /** PortalOptions as JSON. */
  portal_options: string | null;
  /** 0 or 1. */
  assignment_required: number;
  managed_by: string | null;
  client_token: string | null;
  created_at: number;
  created_by: string | null;
}

/** Exactly one of user_id and group_id is set, and principal_id repeats it (a CHECK constraint). */
export interface ApplicationAssignmentsTable {
  application_id: string;
  principal_id: string;
  user_id: string | null;
  group_id: string | null;
  created_at: number;
  created_by: string | null;
}

export interface AccessTables {
  sso_instances: SsoInstancesTable;
  applications: ApplicationsTable;
  application_assignments: ApplicationAssignmentsTable;
}
