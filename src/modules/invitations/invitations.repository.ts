import type { Invitation } from './invitations.types.js';

export interface InvitationsRepository {
  insertInvitation(invitation: Invitation): Promise<void>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /** Newest first. */
  listInvitationsOfUser(userId: string): Promise<Invitation[]>;
  /** The invitations of all these users, newest first, in one query. */
  listInvitationsOfUsers(userIds: readonly string[]): Promise<Invitation[]>;
  /** Accepts the invitation if it is still pending at `now` (atomically); false otherwise. */
  acceptInvitation(invitationId: string, now: Date): Promise<boolean>;
  /** Revokes the user's pending invitations; returns their IDs. */
  revokePendingInvitations(userId: string, now: Date, reason: 'revoked' | 'replaced'): Promise<string[]>;
}
