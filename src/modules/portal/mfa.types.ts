/** A user's authenticator app: `pending` from the moment its QR code is shown until a code confirms it. */
export type MfaDeviceState = 'pending' | 'active';

export interface MfaDevice {
  userId: string;
  /** The TOTP secret, sealed (see SecretBox). */
  sealedSecret: string;
  state: MfaDeviceState;
  createdAt: Date;
  activatedAt?: Date;
  /** The time step of the last accepted code. */
  lastTimeStep?: number;
}

/** What the user and an admin may see of a user's MFA. */
export interface MfaStatus {
  enrolled: boolean;
  activatedAt?: Date;
  recoveryCodesLeft: number;
}

/** Registering an authenticator app: what the page shows to scan or type. */
export interface MfaEnrolment {
  /** The secret in base32, for typing into an app that cannot scan. */
  secret: string;
  /** The `otpauth://` URI the QR code carries. */
  otpauthUri: string;
}

export type MfaCheck =
  | { result: 'ok'; method: 'totp' | 'recovery-code'; recoveryCodesLeft: number }
  /** The right code, already used once (the same time step, or an older one). */
  | { result: 'replayed' }
  | { result: 'wrong' }
  | { result: 'not-enrolled' };

export type EnrolmentConfirmation =
  | { result: 'enrolled'; recoveryCodes: string[] }
  | { result: 'wrong' }
  /** Nothing pending: it was confirmed meanwhile, or never begun. */
  | { result: 'no-enrolment' };
