/** How the session's user proved who they are. */
export type AuthMethod = 'password' | 'invitation' | 'password-change' | 'mfa';

/** An access portal session. Its ID is a secret held only by the browser; the database has its hash. */
export interface PortalSession {
  sessionHash: string;
  userId: string;
  identityStoreId: string;
  authMethod: AuthMethod;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  endedAt?: Date;
}

/** A session just created: the ID goes into the cookie and nowhere else. */
export interface NewSession {
  sessionId: string;
  expiresAt: Date;
}
