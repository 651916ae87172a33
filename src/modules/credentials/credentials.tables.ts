export interface UserCredentialsTable {
  user_id: string;
  password_hash: string;
  kind: string;
  expires_at: number | null;
  set_at: number;
  set_by: string | null;
}

export interface PasswordHistoryTable {
  history_id: string;
  user_id: string;
  password_hash: string;
  set_at: number;
}

export interface UserTokensTable {
  token_hash: string;
  purpose: string;
  user_id: string;
  identity_store_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface EmailCodesTable {
  challenge_id: string;
  user_id: string;
  identity_store_id: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  used_at: number | null;
  message_id: string | null;
}

export interface CredentialsTables {
  user_credentials: UserCredentialsTable;
  password_history: PasswordHistoryTable;
  user_tokens: UserTokensTable;
  email_codes: EmailCodesTable;
}
