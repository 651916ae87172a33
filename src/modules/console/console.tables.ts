import type { MfaDevicesTable, MfaRecoveryCodesTable } from '../portal/portal.tables.js';

export interface ConsoleAdminsTable {
  account_id: string;
  password_hash: string;
  password_set_at: number;
}

export interface ConsoleSetupTokensTable {
  token_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ConsoleSessionsTable {
  session_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export interface ConsoleSignInTicketsTable {
  ticket_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ConsoleTables {
  console_admins: ConsoleAdminsTable;
  console_setup_tokens: ConsoleSetupTokensTable;
  console_sessions: ConsoleSessionsTable;
  /** The portal's MFA tables' shape, for the root (its user_id holds the account ID). */
  console_mfa_devices: MfaDevicesTable;
  console_mfa_recovery_codes: MfaRecoveryCodesTable;
  console_sign_in_tickets: ConsoleSignInTicketsTable;
}
