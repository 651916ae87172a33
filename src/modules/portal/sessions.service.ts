import type { Clock } from '../../core/clock.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { hashToken, newToken, TOKEN_PATTERN } from '../credentials/tokens.js';
import type { IdentityStoreRepository } from '../identity-store/identity-store.repository.js';
import type { User } from '../identity-store/identity-store.types.js';
import type { SettingsService } from '../settings/settings.service.js';
import { findStoreUser } from './portal-users.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { AuthMethod, NewSession, PortalSession } from './sessions.types.js';

export interface SessionsRepositories {
  sessions: SessionsRepository;
  identityStore: IdentityStoreRepository;
}

/** last_seen_at is written at most this often, so reading a page is not a write each time. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

/**
 * Access portal sessions. The ID is 256 random bits, given to the browser only (as a cookie) and
 * stored as its SHA-256 hash; every sign-in creates a new one (no session fixation). A session
 * ends at its expiry (the instance's session duration), at sign-out, or when its user is disabled
 * or deleted.
 */
export class SessionsService {
  constructor(
    private readonly uow: UnitOfWork<SessionsRepositories>,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async createSession(
    user: Pick<User, 'userId' | 'identityStoreId'>,
    authMethod: AuthMethod,
  ): Promise<NewSession> {
    const { sessionDurationHours } = await this.settings.forIdentityStore(user.identityStoreId);
    const sessionId = newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + sessionDurationHours * 60 * 60_000);
    await this.uow.repositories.sessions.insertSession({
      sessionHash: hashToken(sessionId),
      userId: user.userId,
      identityStoreId: user.identityStoreId,
      authMethod,
      createdAt: now,
      expiresAt,
      lastSeenAt: now,
    });
    return { sessionId, expiresAt };
  }

  /** The live session and its (enabled) user, or undefined. */
  async resolveSession(sessionId: string): Promise<{ session: PortalSession; user: User } | undefined> {
    if (!TOKEN_PATTERN.test(sessionId)) return undefined;
    const { sessions, identityStore } = this.uow.repositories;
    const session = await sessions.findSession(hashToken(sessionId));
    const now = this.clock.now();
    if (session === undefined || session.endedAt !== undefined || session.expiresAt <= now) return undefined;
    const user = await findStoreUser(identityStore, session.identityStoreId, session.userId);
    if (user === undefined) return undefined;
    if (user.status !== 'ENABLED') {
      // Ended for good: enabling the user again does not bring the session back.
      await sessions.endSession(session.sessionHash, now);
      return undefined;
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await sessions.touchSession(session.sessionHash, now);
    }
    return { session, user };
  }

  async endSession(sessionId: string): Promise<void> {
    if (!TOKEN_PATTERN.test(sessionId)) return;
    await this.uow.repositories.sessions.endSession(hashToken(sessionId), this.clock.now());
  }

  async endSessionsOfUser(userId: string): Promise<number> {
    return this.uow.repositories.sessions.endSessionsOfUser(userId, this.clock.now());
  }
}
