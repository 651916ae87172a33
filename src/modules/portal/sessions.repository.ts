import type { PortalSession } from './sessions.types.js';

export interface SessionsRepository {
  insertSession(session: PortalSession): Promise<void>;
  findSession(sessionHash: string): Promise<PortalSession | undefined>;
  touchSession(sessionHash: string, at: Date): Promise<void>;
  /** Ends the session; false when it had already ended or never existed. */
  endSession(sessionHash: string, at: Date): Promise<boolean>;
  /** Ends every live session of the user; returns how many. */
  endSessionsOfUser(userId: string, at: Date): Promise<number>;
}
