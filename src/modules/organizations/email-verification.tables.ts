export interface EmailVerificationsTable {
  verification_id: string;
  token_hash: string;
  account_id: string;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  message_id: string | null;
}

export interface EmailVerificationTables {
  email_verifications: EmailVerificationsTable;
}
