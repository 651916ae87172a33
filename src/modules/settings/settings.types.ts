/**
 * Settings of an IAM Identity Center instance that AWS keeps under Settings → Authentication, and
 * ours: per instance (so per identity store), with defaults until an admin changes them.
 */
export interface InstanceSettings {
  /** How long an invitation link and a one-time password stay valid. AWS: 7 days. */
  invitationValidityDays: number;
  /**
   * "Send email OTP": a user created through the API (no password, no invitation) gets a code by
   * e-mail at the first sign-in attempt, then chooses a password. AWS's default is off.
   */
  sendEmailOtp: boolean;
  /** Length of an access portal session. AWS: 8 hours. */
  sessionDurationHours: number;
  /** NIST SP 800-63B asks for at least 8; we default to 12. */
  minimumPasswordLength: number;
  /**
   * "Require MFA": every sign-in asks for a code from an authenticator app; a user without one
   * registers it at the next sign-in. Off by default: then MFA is for the users who register it.
   */
  mfaRequired: boolean;
}

export type SettingName = keyof InstanceSettings;

export const DEFAULT_SETTINGS: InstanceSettings = {
  invitationValidityDays: 7,
  sendEmailOtp: false,
  sessionDurationHours: 8,
  minimumPasswordLength: 12,
  mfaRequired: false,
};

/** The settings that are whole numbers (the others are on/off). */
export type NumericSettingName = {
  [K in SettingName]: InstanceSettings[K] extends number ? K : never;
}[SettingName];

/** Allowed ranges of the numeric settings (inclusive). */
export const SETTING_RANGES: Record<NumericSettingName, { min: number; max: number }> = {
  invitationValidityDays: { min: 1, max: 90 },
  // AWS allows 15 minutes to 90 days; whole hours here.
  sessionDurationHours: { min: 1, max: 2160 },
  minimumPasswordLength: { min: 8, max: 64 },
};
