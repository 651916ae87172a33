export interface PortalSessionsTable {
  session_hash: string;
  user_id: string;
  identity_store_id: string;
  auth_method: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ended_at: number | null;
}

export interface PortalTables {
  portal_sessions: PortalSessionsTable;
}
