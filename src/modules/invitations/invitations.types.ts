import type { DeliveryStatus } from '../../mail/mail.types.js';
import type { CredentialStatus } from '../credentials/credentials.types.js';
import type { User } from '../identity-store/identity-store.types.js';

/** An invitation to set a first password, sent by e-mail with a single-use link. */
export interface Invitation {
  invitationId: string;
  userId: string;
  identityStoreId: string;
  tokenHash: string;
  createdAt: Date;
  createdBy?: string;
  expiresAt: Date;
  acceptedAt?: Date;
  revokedAt?: Date;
  /** `revoked` by an admin, or `replaced` by a newer invitation or a one-time password. */
  revokedReason?: 'revoked' | 'replaced';
  messageId?: string;
}

export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked';

export const invitationState = (invitation: Invitation, now: Date): InvitationState => {
  if (invitation.acceptedAt !== undefined) return 'accepted';
  if (invitation.revokedAt !== undefined) return 'revoked';
  return invitation.expiresAt <= now ? 'expired' : 'pending';
};

/** An invitation as an admin sees it: its state now and the state of its mail. */
export interface InvitationView {
  invitationId: string;
  userId: string;
  state: InvitationState;
  createdAt: Date;
  createdBy?: string;
  expiresAt: Date;
  acceptedAt?: Date;
  revokedAt?: Date;
  revokedReason?: 'revoked' | 'replaced';
  delivery?: DeliveryStatus;
}

/** The console's two ways of giving a new user a password. */
export type PasswordSetup = 'send-email' | 'one-time-password';

export interface AddUserRequest {
  /** The caller's instance's identity store when omitted. */
  identityStoreId?: string;
  userName: string;
  email: string;
  givenName: string;
  familyName: string;
  displayName: string;
  /** Group IDs or display names; the user becomes a direct member of each. */
  groups?: string[];
  passwordSetup: PasswordSetup;
}

export interface OneTimePasswordView {
  /** Shown once: only its hash is kept. */
  password: string;
  expiresAt: Date;
}

export interface AddUserResult {
  user: User;
  groupIds: string[];
  invitation?: InvitationView;
  oneTimePassword?: OneTimePasswordView;
  portalUrl: string;
}

/**
 * Where a user stands with signing in: `active` once they chose a password; `invited` while an
 * invitation is pending; `one-time-password` until they replace the one they were given.
 */
export type OnboardingStatus =
  | 'active'
  | 'invited'
  | 'invitation-expired'
  | 'one-time-password'
  | 'one-time-password-expired'
  | 'no-password';

export interface UserOnboarding {
  user: User;
  status: OnboardingStatus;
  password: CredentialStatus;
  /** Newest first. */
  invitations: InvitationView[];
  portalUrl: string;
}

/** A user of a listing with where they stand with signing in (the console's Users table). */
export interface UserOnboardingSummary {
  user: User;
  status: OnboardingStatus;
  /** The newest invitation, with the state of its mail. */
  latestInvitation?: InvitationView;
}

/** What opening (or submitting) an invitation link finds. */
export type InvitationCheck =
  | { result: 'pending'; invitation: Invitation; user: User }
  | { result: 'expired'; invitation: Invitation }
  | { result: 'accepted'; invitation: Invitation }
  | { result: 'revoked'; invitation: Invitation }
  | { result: 'invalid' };
