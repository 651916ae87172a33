export interface InvitationsTable {
  invitation_id: string;
  user_id: string;
  identity_store_id: string;
  token_hash: string;
  created_at: number;
  created_by: string | null;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
  revoked_reason: string | null;
  message_id: string | null;
}

export interface InvitationsTables {
  invitations: InvitationsTable;
}
