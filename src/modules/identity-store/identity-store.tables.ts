export interface IdentityStoresTable {
  identity_store_id: string;
  account_id: string;
  region: string;
  created_at: number;
}

interface Audited {
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface UsersTable extends Audited {
  user_id: string;
  identity_store_id: string;
  user_name: string;
  user_name_key: string;
  display_name: string | null;
  email_key: string | null;
  attributes: string;
  status: string;
}

export interface GroupsTable extends Audited {
  group_id: string;
  identity_store_id: string;
  display_name: string;
  display_name_key: string;
  description: string | null;
}

export interface GroupMembershipsTable extends Audited {
  membership_id: string;
  identity_store_id: string;
  group_id: string;
  member_user_id: string | null;
  member_group_id: string | null;
}

export interface ExternalIdsTable {
  identity_store_id: string;
  issuer: string;
  external_id: string;
  principal_type: string;
  principal_id: string;
}

export interface IdentityStoreTables {
  identity_stores: IdentityStoresTable;
  users: UsersTable;
  groups: GroupsTable;
  group_memberships: GroupMembershipsTable;
  external_ids: ExternalIdsTable;
}
