export interface OrganizationsTable {
  organization_id: string;
  management_account_id: string;
  feature_set: string;
  root_id: string;
  created_at: number;
}

export interface OrganizationsTables {
  organizations: OrganizationsTable;
}
