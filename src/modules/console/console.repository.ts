export interface ConsoleSessionRecord {
  sessionHash: string;
  accountId: string;
  createdAt: Date;
  expiresAt: Date;
  endedAt?: Date;
}

export interface ConsoleRepository {
  findPasswordHash(accountId: string): Promise<string | undefined>;
  savePasswordHash(accountId: string, passwordHash: string, at: Date): Promise<void>;
  /** Ends every unused setup token of the account (a new link replaces the old ones). */
  retireSetupTokens(accountId: string, at: Date): Promise<void>;
  insertSetupToken(tokenHash: string, accountId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** The account of a live (unused, unexpired) setup token. */
  findLiveSetupToken(tokenHash: string, now: Date): Promise<string | undefined>;
  /** Marks the token used; false when it was used (or retired) already. */
  useSetupToken(tokenHash: string, at: Date): Promise<boolean>;
  insertSession(session: ConsoleSessionRecord): Promise<void>;
  findSession(sessionHash: string): Promise<ConsoleSessionRecord | undefined>;
  endSession(sessionHash: string, at: Date): Promise<void>;
  endSessionsOfAccount(accountId: string, at: Date): Promise<void>;

  /** The ticket between the password step and the MFA code step of a sign-in. */
  insertSignInTicket(ticketHash: string, accountId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** The account of a live (unused, unexpired) ticket. */
  findLiveSignInTicket(ticketHash: string, now: Date): Promise<string | undefined>;
  /** Marks the ticket used; false when it was used (or retired) already, or has expired. */
  useSignInTicket(ticketHash: string, now: Date): Promise<boolean>;
  /** Ends every open ticket of the account (its password changed). */
  retireSignInTickets(accountId: string): Promise<void>;
  /** Removes used and expired tickets: of no further use, so the table holds only open ones. */
  purgeSpentSignInTickets(now: Date): Promise<void>;
}
