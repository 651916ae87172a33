export interface MfaDevicesTable {
  user_id: string;
  secret: string;
  state: string;
  created_at: number;
  activated_at: number | null;
  last_time_step: number | null;
}

export interface MfaRecoveryCodesTable {
  code_hash: string;
  user_id: string;
  created_at: number;
  used_at: number | null;
}

export interface SignInAttemptsTable {
  subject: string;
  attempts: number;
  window_started_at: number;
  locked_until: number | null;
}

/** The portal's tables beyond sessions: authenticator apps, recovery codes, sign-in attempt counters. */
export interface PortalSecurityTables {
  mfa_devices: MfaDevicesTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  sign_in_attempts: SignInAttemptsTable;
}
